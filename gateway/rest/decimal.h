// Numbers read from text on the REST API paths (management values, OpenAPI scalars, status codes
// in templates) with std::from_chars: no exceptions (one escaping a libuv callback would end the
// gateway), no locale, no leading spaces; the whole text must be the number ("+" allowed first,
// as strtol allowed it). nullopt when it is not, or when it is out of the type's range; doubles
// must be finite.
#pragma once

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace cdnlab::gateway {

template <typename T>
std::optional<T> parseNumber(std::string_view s) {
  static_assert(std::is_arithmetic_v<T>);
  if (s.size() > 1 && s[0] == '+' && s[1] != '-') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if constexpr (std::is_floating_point_v<T>)
    if (!std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace cdnlab::gateway

// Whole-string decimal integers from untrusted text (query parameters, headers, a function's
// answer, stored tokens). std::from_chars never throws and never reads past the text, where
// std::sto* throw (an exception escaping a libuv callback ends the process) and atoi/strtol read
// "12abc" as 12, "abc" as 0 and overflow without a word.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace cdnlab {

// The value of `text` if it is exactly a decimal integer that fits T (a leading '-' for signed
// types only; no '+', no spaces); nullopt otherwise.
template <typename T>
std::optional<T> parseInteger(std::string_view text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace cdnlab

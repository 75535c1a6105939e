#include "common/config/units.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace cdnlab::config {
namespace {

bool fail(std::string* why, std::string msg) {
  if (why) *why = std::move(msg);
  return false;
}

// Splits "12.5MiB" into the number 12.5 and the unit "MiB". The number is digits with at most
// one '.', no sign, no exponent: configs are read by people, "1e3ms" is more likely a typo.
bool splitNumberUnit(std::string_view text, long double* number, std::string_view* unit,
                     bool* integral, std::string* why) {
  size_t i = 0;
  bool seenDigit = false, seenDot = false;
  while (i < text.size()) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      seenDigit = true;
    } else if (c == '.' && !seenDot) {
      seenDot = true;
    } else {
      break;
    }
    ++i;
  }
  if (!seenDigit) return fail(why, "expected a number followed by a unit");
  std::string digits(text.substr(0, i));
  char* end = nullptr;
  *number = std::strtold(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size()) return fail(why, "malformed number");
  *unit = text.substr(i);
  *integral = !seenDot;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::uint64_t> parseByteSize(std::string_view text, std::string* why) {
  text = trim(text);
  long double number = 0;
  std::string_view unit;
  bool integral = false;
  if (!splitNumberUnit(text, &number, &unit, &integral, why)) return std::nullopt;
  unit = trim(unit);
  struct U {
    std::string_view name;
    long double factor;
  };
  static constexpr U kUnits[] = {
      {"", 1},          {"B", 1},
      {"KiB", 1024.0L}, {"MiB", 1024.0L * 1024},         {"GiB", 1024.0L * 1024 * 1024},
      {"TiB", 1024.0L * 1024 * 1024 * 1024},
      {"kB", 1e3L},     {"KB", 1e3L},                    {"MB", 1e6L},
      {"GB", 1e9L},     {"TB", 1e12L},
  };
  for (const U& u : kUnits) {
    if (u.name != unit) continue;
    long double bytes = number * u.factor;
    if (bytes > static_cast<long double>(std::numeric_limits<std::uint64_t>::max())) {
      fail(why, "too large");
      return std::nullopt;
    }
    if (bytes != std::floor(bytes)) {
      fail(why, "not a whole number of bytes");
      return std::nullopt;
    }
    return static_cast<std::uint64_t>(bytes);
  }
  fail(why, "unknown size unit '" + std::string(unit) + "' (use B, KiB, MiB, GiB, TiB, kB, MB, GB, TB)");
  return std::nullopt;
}

std::optional<Duration> parseDuration(std::string_view text, std::string* why) {
  text = trim(text);
  long double number = 0;
  std::string_view unit;
  bool integral = false;
  if (!splitNumberUnit(text, &number, &unit, &integral, why)) return std::nullopt;
  unit = trim(unit);
  if (unit.empty()) {
    if (number == 0) return Duration::zero();
    fail(why, "missing unit (use ns, us, ms, s, m, h, d)");
    return std::nullopt;
  }
  struct U {
    std::string_view name;
    long double nanos;
  };
  static constexpr U kUnits[] = {
      {"ns", 1},          {"us", 1e3L},          {"ms", 1e6L},           {"s", 1e9L},
      {"m", 60 * 1e9L},   {"h", 3600 * 1e9L},    {"d", 86400 * 1e9L},
  };
  for (const U& u : kUnits) {
    if (u.name != unit) continue;
    long double ns = std::round(number * u.nanos);
    if (ns > static_cast<long double>(std::numeric_limits<Duration::rep>::max())) {
      fail(why, "too large");
      return std::nullopt;
    }
    return Duration(static_cast<Duration::rep>(ns));
  }
  fail(why, "unknown duration unit '" + std::string(unit) + "' (use ns, us, ms, s, m, h, d)");
  return std::nullopt;
}

std::string formatByteSize(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"TiB", "GiB", "MiB", "KiB"};
  static constexpr std::uint64_t kFactors[] = {1ull << 40, 1ull << 30, 1ull << 20, 1ull << 10};
  for (int i = 0; i < 4; ++i) {
    if (bytes != 0 && bytes % kFactors[i] == 0) return std::to_string(bytes / kFactors[i]) + kUnits[i];
  }
  return std::to_string(bytes) + "B";
}

std::string formatDuration(Duration d) {
  struct U {
    const char* name;
    std::int64_t nanos;
  };
  static constexpr U kUnits[] = {{"d", 86400'000'000'000LL}, {"h", 3600'000'000'000LL},
                                 {"m", 60'000'000'000LL},    {"s", 1'000'000'000LL},
                                 {"ms", 1'000'000LL},        {"us", 1'000LL}};
  std::int64_t ns = d.count();
  if (ns == 0) return "0s";
  for (const U& u : kUnits) {
    if (ns % u.nanos == 0) return std::to_string(ns / u.nanos) + u.name;
  }
  return std::to_string(ns) + "ns";
}

std::string HostPort::str() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::optional<HostPort> parseHostPort(std::string_view text, std::string* why) {
  text = trim(text);
  HostPort hp;
  std::string_view portText;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      fail(why, "expected [ipv6]:port");
      return std::nullopt;
    }
    hp.host = std::string(text.substr(1, close - 1));
    portText = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      fail(why, "expected host:port");
      return std::nullopt;
    }
    if (text.substr(0, colon).find(':') != std::string_view::npos) {
      fail(why, "an IPv6 address needs brackets: [::1]:port");
      return std::nullopt;
    }
    hp.host = std::string(text.substr(0, colon));
    portText = text.substr(colon + 1);
  }
  if (hp.host.empty()) {
    fail(why, "empty host");
    return std::nullopt;
  }
  for (char c : hp.host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '-' || c == ':' || c == '_';
    if (!ok) {
      fail(why, "invalid character in host");
      return std::nullopt;
    }
  }
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (portText.empty() || ec != std::errc() || ptr != portText.data() + portText.size() || port > 65535) {
    fail(why, "port must be an integer in [0, 65535]");
    return std::nullopt;
  }
  hp.port = static_cast<std::uint16_t>(port);
  return hp;
}

}  // namespace cdnlab::config

// Policy spec parsing ("name:k=v,k=v") and the parameter reader the factories use.
#include "edge/cache/policies/params.h"

#include <cerrno>
#include <cstdlib>

namespace cdnlab::edge::cache {

std::string PolicySpec::text() const {
  std::string s = name;
  char sep = ':';
  for (const auto& [k, v] : params) {
    s += sep;
    s += k + "=" + v;
    sep = ',';
  }
  return s;
}

Result<PolicySpec> parsePolicySpec(std::string_view text) {
  PolicySpec spec;
  size_t colon = text.find(':');
  spec.name = std::string(text.substr(0, colon));
  if (spec.name.empty()) return Error{0, "empty eviction policy name in '" + std::string(text) + "'"};
  if (colon == std::string_view::npos) return spec;
  std::string_view rest = text.substr(colon + 1);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view kv = rest.substr(0, comma);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == kv.size())
      return Error{0, "policy parameter '" + std::string(kv) + "' in '" + std::string(text) +
                          "' is not key=value"};
    std::string key(kv.substr(0, eq));
    if (!spec.params.emplace(key, std::string(kv.substr(eq + 1))).second)
      return Error{0, "policy parameter '" + key + "' given twice in '" + std::string(text) + "'"};
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return spec;
}

namespace {
bool parseDouble(const std::string& s, double& out) {
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end && *end == '\0' && !s.empty();
}
}  // namespace

double ParamReader::fraction(std::string_view key, double def, double lo, double hi) {
  read_.emplace(key);
  auto it = config_.spec.params.find(key);
  if (it == config_.spec.params.end()) return def;
  double v = 0;
  if (!parseDouble(it->second, v) || !(v >= lo && v <= hi)) {
    if (error_.empty())
      error_ = config_.spec.name + ": parameter " + std::string(key) + "=" + it->second + " must be a number in [" +
               std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return def;
  }
  return v;
}

int64_t ParamReader::integer(std::string_view key, int64_t def, int64_t lo, int64_t hi) {
  read_.emplace(key);
  auto it = config_.spec.params.find(key);
  if (it == config_.spec.params.end()) return def;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (errno != 0 || !end || *end != '\0' || it->second.empty() || v < lo || v > hi) {
    if (error_.empty())
      error_ = config_.spec.name + ": parameter " + std::string(key) + "=" + it->second + " must be an integer in [" +
               std::to_string(lo) + ", " + std::to_string(hi) + "]";
    return def;
  }
  return v;
}

Result<bool> ParamReader::finish() const {
  if (!error_.empty()) return Error{0, error_};
  for (const auto& [k, v] : config_.spec.params) {
    if (read_.count(k)) continue;
    std::string known;
    for (const auto& r : read_) known += (known.empty() ? "" : ", ") + r;
    return Error{0, config_.spec.name + " has no parameter '" + k + "' (known: " +
                        (known.empty() ? "none" : known) + ")"};
  }
  return true;
}

}  // namespace cdnlab::edge::cache

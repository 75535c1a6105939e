// Cache-size parsing and resolution against a trace's working set.
#include "bench/sim/cache_size.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/config/units.h"

namespace cdnlab::sim {

Result<SizeSpec> parseSizeSpec(std::string_view text) {
  SizeSpec s;
  s.label = std::string(text);
  if (text.ends_with("obj")) {
    std::string n(text.substr(0, text.size() - 3));
    char* end = nullptr;
    unsigned long long v = std::strtoull(n.c_str(), &end, 10);
    if (n.empty() || *end || v == 0) return Error{0, "size '" + s.label + "': expected a whole number of objects, e.g. 10000obj"};
    s.absolute = v;
    s.objects = true;
    return s;
  }
  std::string t(text);
  char* end = nullptr;
  double f = std::strtod(t.c_str(), &end);
  if (!t.empty() && *end == '\0' && t.find_first_of("eE") == std::string::npos && t.find('.') != std::string::npos) {
    if (!(f > 0 && f <= 1)) return Error{0, "size '" + s.label + "': a fraction must be in (0, 1]"};
    s.fraction = f;
    return s;
  }
  std::string why;
  auto bytes = config::parseByteSize(text, &why);
  if (!bytes || *bytes == 0)
    return Error{0, "size '" + s.label + "': expected a fraction (0.01), bytes (64MiB) or objects (10000obj)" +
                        (why.empty() ? "" : ": " + why)};
  s.absolute = *bytes;
  return s;
}

Result<std::vector<SizeSpec>> parseSizeList(std::string_view text) {
  std::vector<SizeSpec> out;
  while (!text.empty()) {
    size_t c = text.find(',');
    auto s = parseSizeSpec(text.substr(0, c));
    if (!s) return s.error();
    out.push_back(*s);
    if (c == std::string_view::npos) break;
    text.remove_prefix(c + 1);
  }
  if (out.empty()) return Error{0, "no cache size given"};
  return out;
}

Result<uint64_t> resolveSize(const SizeSpec& s, const Trace& t, SizeMode mode) {
  if (s.fraction > 0) {
    double base = mode == SizeMode::Objects ? double(t.objects()) : double(t.workingSetBytes());
    uint64_t v = uint64_t(std::floor(s.fraction * base));
    if (v == 0) return Error{0, "size " + s.label + " of the working set is 0"};
    return v;
  }
  if (s.objects != (mode == SizeMode::Objects))
    return Error{0, "size " + s.label + (s.objects ? " counts objects but --mode is byte" : " is bytes but --mode is obj")};
  return s.absolute;
}

std::vector<SizeSpec> logSweep(double lo, double hi, int n) {
  std::vector<SizeSpec> out;
  for (int i = 0; i < n; ++i) {
    double f = n == 1 ? hi : lo * std::pow(hi / lo, double(i) / double(n - 1));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", f);
    SizeSpec s;
    s.label = buf;
    s.fraction = f;
    out.push_back(s);
  }
  return out;
}

}  // namespace cdnlab::sim

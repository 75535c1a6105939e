// Zipf trace generation: inverse-CDF sampling (binary search over the cumulative weights),
// splitmix64 random numbers so that a seed gives the same file on every machine.
#include "bench/sim/zipf_trace.h"

#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <vector>

namespace cdnlab::sim {

namespace {

struct SplitMix {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double unit() { return double(next() >> 11) * 0x1.0p-53; }
};

}  // namespace

std::string zipfTraceBytes(const ZipfTraceSpec& spec) {
  const uint64_t n = std::max<uint64_t>(1, spec.objects);
  std::vector<double> cdf(n);
  double sum = 0;
  for (uint64_t r = 0; r < n; ++r) {
    sum += 1.0 / std::pow(double(r + 1), spec.alpha);
    cdf[r] = sum;
  }
  SplitMix rng{spec.seed};
  // Per-object sizes (log-uniform) and ids (a seeded scatter so that ids are not ranks).
  std::vector<uint32_t> size(n);
  const double lo = std::log(double(std::max<uint32_t>(1, spec.minSize)));
  const double hi = std::log(double(std::max(spec.minSize, spec.maxSize)));
  for (auto& s : size) s = uint32_t(std::llround(std::exp(lo + (hi - lo) * rng.unit())));
  std::vector<uint64_t> rankOf(spec.requests);
  for (auto& r : rankOf) {
    double u = rng.unit() * sum;
    r = uint64_t(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    if (r >= n) r = n - 1;
  }
  // Next-access indexes (1-based, -1 = none), as libCacheSim writes them.
  std::vector<int64_t> next(spec.requests);
  std::vector<int64_t> seen(n, -1);
  for (uint64_t i = spec.requests; i-- > 0;) {
    next[i] = seen[rankOf[i]];
    seen[rankOf[i]] = int64_t(i) + 1;
  }
  std::string out(spec.requests * 24, '\0');
  const uint32_t rate = std::max<uint32_t>(1, spec.ratePerSecond);
  for (uint64_t i = 0; i < spec.requests; ++i) {
    char* p = out.data() + i * 24;
    uint32_t t = uint32_t(i / rate);
    uint64_t id = rankOf[i] + 1;  // ids from 1 (0 is a valid id too, but reads oddly)
    std::memcpy(p, &t, 4);
    std::memcpy(p + 4, &id, 8);
    std::memcpy(p + 12, &size[rankOf[i]], 4);
    std::memcpy(p + 16, &next[i], 8);
  }
  return out;
}

Result<uint64_t> writeZipfTrace(const ZipfTraceSpec& spec, const std::string& path) {
  if (spec.objects == 0 || spec.requests == 0) return Error{0, "zipf: objects and requests must be > 0"};
  if (!(spec.alpha >= 0)) return Error{0, "zipf: alpha must be >= 0"};
  std::string bytes = zipfTraceBytes(spec);
  if (path.ends_with(".zst")) {
    std::string z(ZSTD_compressBound(bytes.size()), '\0');
    size_t n = ZSTD_compress(z.data(), z.size(), bytes.data(), bytes.size(), 3);
    if (ZSTD_isError(n)) return Error{0, std::string("zstd: ") + ZSTD_getErrorName(n)};
    z.resize(n);
    bytes.swap(z);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Error{0, path + ": cannot write: " + std::strerror(errno)};
  out.write(bytes.data(), std::streamsize(bytes.size()));
  if (!out) return Error{0, path + ": write failed"};
  return spec.requests;
}

}  // namespace cdnlab::sim

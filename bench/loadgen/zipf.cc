#include "bench/loadgen/zipf.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "bench/loadgen/rng.h"

namespace cdnlab::loadgen {

ZipfSampler::ZipfSampler(uint64_t n, double alpha) : alpha_(alpha), harmonic_(0) {
  if (n == 0) n = 1;
  cdf_.resize(n);
  for (uint64_t r = 0; r < n; ++r) {
    harmonic_ += 1.0 / std::pow(static_cast<double>(r + 1), alpha);
    cdf_[r] = harmonic_;
  }
  for (auto& c : cdf_) c /= harmonic_;
  cdf_.back() = 1.0;  // so that any u < 1 finds a rank despite rounding
}

uint64_t ZipfSampler::rank(double u) const {
  auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  if (it == cdf_.end()) --it;
  return static_cast<uint64_t>(it - cdf_.begin());
}

double ZipfSampler::probability(uint64_t r) const {
  return (1.0 / std::pow(static_cast<double>(r + 1), alpha_)) / harmonic_;
}

Popularity::Popularity(uint64_t n, bool perRegion, uint64_t seed, std::string_view region) {
  if (!perRegion) return;
  order_.resize(n);
  std::iota(order_.begin(), order_.end(), uint64_t{0});
  Rng rng(streamSeed(seed, region, 0x5045524d));  // "PERM": a stream apart from arrivals
  for (uint64_t i = n; i > 1; --i) std::swap(order_[i - 1], order_[rng.below(i)]);
}

}  // namespace cdnlab::loadgen

// Object popularity: Zipf over the catalog's object ids. Rank r (0-based) is drawn with
// probability (1 / (r+1)^alpha) / H(n, alpha), H the generalised harmonic number; the rank is
// then mapped to an object id, either the same for every region (rank r = /obj/r) or through a
// per-region permutation so that regions like different objects (seeded by the region's name,
// so a region's ranking is the same in every run with the same seed). Pure code.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace cdnlab::loadgen {

class ZipfSampler {
 public:
  // n >= 1 objects, alpha >= 0 (0 = uniform). Builds the CDF once: 8 bytes per object.
  ZipfSampler(uint64_t n, double alpha);

  // The rank for a uniform draw u in [0, 1): binary search in the CDF.
  uint64_t rank(double u) const;
  // The formula's probability of rank r (what rank() should reproduce).
  double probability(uint64_t r) const;
  uint64_t size() const { return cdf_.size(); }
  double alpha() const { return alpha_; }

 private:
  double alpha_;
  double harmonic_;
  std::vector<double> cdf_;
};

// rank -> object id for one region.
class Popularity {
 public:
  // perRegion false: identity (rank r is object r in every region). true: a permutation of
  // 0..n-1 from (seed, region), Fisher-Yates.
  Popularity(uint64_t n, bool perRegion, uint64_t seed, std::string_view region);
  uint64_t objectAt(uint64_t rank) const { return order_.empty() ? rank : order_[rank]; }

 private:
  std::vector<uint64_t> order_;  // empty for identity
};

}  // namespace cdnlab::loadgen

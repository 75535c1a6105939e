// Zipf popularity: rank frequencies match (1/r^alpha)/H, and per-region rankings are
// deterministic permutations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "bench/loadgen/rng.h"
#include "bench/loadgen/zipf.h"

namespace cdnlab::loadgen {
namespace {

// The formula, computed here independently of the sampler.
std::vector<double> zipfProbabilities(uint64_t n, double alpha) {
  std::vector<double> p(n);
  double h = 0;
  for (uint64_t r = 1; r <= n; ++r) h += 1.0 / std::pow(static_cast<double>(r), alpha);
  for (uint64_t r = 1; r <= n; ++r) p[r - 1] = (1.0 / std::pow(static_cast<double>(r), alpha)) / h;
  return p;
}

void checkFrequencies(uint64_t n, double alpha) {
  ZipfSampler z(n, alpha);
  auto expected = zipfProbabilities(n, alpha);
  for (uint64_t r = 0; r < n; ++r) EXPECT_NEAR(z.probability(r), expected[r], 1e-12);
  Rng rng(2024);
  const int draws = 400000;
  std::vector<int> counts(n, 0);
  for (int i = 0; i < draws; ++i) ++counts[z.rank(rng.uniform())];
  // The top ranks (where the counts are large) within 4 standard deviations of a binomial.
  for (uint64_t r = 0; r < std::min<uint64_t>(n, 20); ++r) {
    double mean = draws * expected[r];
    double sd = std::sqrt(mean * (1 - expected[r]));
    EXPECT_NEAR(counts[r], mean, 4 * sd + 1) << "rank " << r << " alpha " << alpha;
  }
  EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), 0), draws);
}

TEST(ZipfSampler, RankFrequenciesFollowTheFormula) {
  checkFrequencies(1000, 0.9);
  checkFrequencies(100, 1.2);
  checkFrequencies(50, 0.0);  // alpha 0: uniform
}

TEST(ZipfSampler, EdgesOfTheUnitInterval) {
  ZipfSampler z(10, 1.0);
  EXPECT_EQ(z.rank(0.0), 0u);
  EXPECT_EQ(z.rank(0.9999999999), 9u);
  ZipfSampler one(1, 0.9);
  EXPECT_EQ(one.rank(0.5), 0u);
}

TEST(Popularity, SharedRankingIsTheIdentity) {
  Popularity p(100, false, 1, "berlin");
  for (uint64_t r = 0; r < 100; ++r) EXPECT_EQ(p.objectAt(r), r);
}

TEST(Popularity, PerRegionRankingIsADeterministicPermutationPerRegion) {
  const uint64_t n = 500;
  Popularity a(n, true, 42, "berlin"), again(n, true, 42, "berlin"), other(n, true, 42, "tokyo"),
      otherSeed(n, true, 43, "berlin");
  std::vector<uint64_t> seen;
  size_t sameAsOther = 0, sameAsOtherSeed = 0;
  for (uint64_t r = 0; r < n; ++r) {
    EXPECT_EQ(a.objectAt(r), again.objectAt(r));
    seen.push_back(a.objectAt(r));
    sameAsOther += a.objectAt(r) == other.objectAt(r);
    sameAsOtherSeed += a.objectAt(r) == otherSeed.objectAt(r);
  }
  std::sort(seen.begin(), seen.end());
  for (uint64_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], i);  // a permutation: every id once
  EXPECT_LT(sameAsOther, 20u);  // independent permutations agree on ~1 position
  EXPECT_LT(sameAsOtherSeed, 20u);
  EXPECT_NE(a.objectAt(0), other.objectAt(0));
}

}  // namespace
}  // namespace cdnlab::loadgen

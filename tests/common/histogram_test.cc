// Histogram: bucket layout, error bound, percentiles, merge.
#include "common/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

namespace cdnlab {
namespace {

TEST(Histogram, BucketsCoverEveryValueOnce) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128}, uint64_t{129}, uint64_t{255},
                     uint64_t{256}, uint64_t{1000}, uint64_t{123456789}, uint64_t{1} << 40}) {
    size_t i = Histogram::bucketIndex(v);
    EXPECT_LE(Histogram::bucketLow(i), v);
    EXPECT_GE(Histogram::bucketHigh(i), v);
  }
  for (size_t i = 0; i + 1 < 2000; ++i) EXPECT_EQ(Histogram::bucketHigh(i) + 1, Histogram::bucketLow(i + 1)) << i;
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.percentile(50), 50u);
  EXPECT_EQ(h.percentile(99), 99u);
  EXPECT_EQ(h.percentile(100), 100u);
  EXPECT_EQ(h.percentile(0), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 100u);
}

TEST(Histogram, RelativeErrorUnderOnePercent) {
  unsigned seed = std::random_device{}();
  printf("seed %u\n", seed);
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(8.0, 2.0);
  Histogram h;
  std::vector<uint64_t> values;
  for (int i = 0; i < 100000; ++i) {
    uint64_t v = static_cast<uint64_t>(dist(rng)) + 1;
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {10.0, 50.0, 90.0, 99.0, 99.9}) {
    uint64_t exact = values[static_cast<size_t>(p / 100.0 * values.size() + 0.5) - 1];
    double got = static_cast<double>(h.percentile(p));
    EXPECT_NEAR(got, static_cast<double>(exact), static_cast<double>(exact) * 0.01 + 1) << p;
  }
}

TEST(Histogram, MergeAddsCountsAndClampsHugeValues) {
  Histogram a, b;
  a.record(10);
  b.record(1000);
  b.recordN(20, 3);
  b.record(uint64_t{1} << 50);  // beyond max: clamped, still counted
  a.merge(b);
  EXPECT_EQ(a.count(), 6u);
  EXPECT_EQ(a.min(), 10u);
  EXPECT_EQ(a.max(), uint64_t{1} << 40);
  EXPECT_EQ(a.percentile(50), 20u);
  a.reset();
  EXPECT_EQ(a.count(), 0u);
  EXPECT_EQ(a.percentile(50), 0u);
}

}  // namespace
}  // namespace cdnlab

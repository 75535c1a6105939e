// Poisson arrivals: exponential gaps (mean 1/rate, variance 1/rate^2), counts per window with
// variance equal to their mean, the same sequence for the same seed.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bench/loadgen/arrivals.h"

namespace cdnlab::loadgen {
namespace {

TEST(PoissonArrivals, GapsAreExponentialWithTheRatesMean) {
  const double rate = 500;  // per second
  PoissonArrivals a(rate, 12345, 0);
  const int n = 200000;
  double sum = 0, sumSq = 0;
  int64_t prev = 0;
  for (int i = 0; i < n; ++i) {
    int64_t t = a.take();
    double gap = static_cast<double>(t - prev);
    prev = t;
    sum += gap;
    sumSq += gap * gap;
  }
  double mean = sum / n;
  double var = sumSq / n - mean * mean;
  double expected = 1e9 / rate;
  EXPECT_NEAR(mean, expected, expected * 0.01);
  // Exponential: variance = mean^2 (coefficient of variation 1), unlike a fixed pacing.
  EXPECT_NEAR(var, expected * expected, expected * expected * 0.03);
}

TEST(PoissonArrivals, CountsPerWindowHaveVarianceEqualToMean) {
  PoissonArrivals a(1000, 7, 0);
  const int windows = 4000;
  const int64_t windowNs = 10'000'000;  // 10 ms: mean 10 arrivals
  std::vector<int> counts(windows, 0);
  for (;;) {
    int64_t t = a.take();
    if (t >= windows * windowNs) break;
    ++counts[static_cast<size_t>(t / windowNs)];
  }
  double sum = 0, sumSq = 0;
  for (int c : counts) {
    sum += c;
    sumSq += static_cast<double>(c) * c;
  }
  double mean = sum / windows;
  double var = sumSq / windows - mean * mean;
  EXPECT_NEAR(mean, 10.0, 0.2);
  EXPECT_NEAR(var, mean, 0.6);
}

TEST(PoissonArrivals, SameSeedSameSequenceAndPeekDoesNotConsume) {
  PoissonArrivals a(100, 99, 1000), b(100, 99, 1000), c(100, 100, 1000);
  int64_t p = a.peek();
  EXPECT_EQ(p, a.peek());
  EXPECT_EQ(p, a.take());
  b.take();
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    int64_t x = a.take();
    EXPECT_EQ(x, b.take());
    differs |= x != c.take();
  }
  EXPECT_TRUE(differs);
  EXPECT_GT(p, 1000);
}

}  // namespace
}  // namespace cdnlab::loadgen

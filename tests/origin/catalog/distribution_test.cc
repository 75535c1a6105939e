// Bounded distributions: every kind stays within [min, max], is monotonic in u, and has the
// shape its parameters say (lognormal median, uniform mean, Pareto heavy tail).
#include "origin/catalog/distribution.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace cdnlab::origin::catalog {
namespace {

std::vector<double> quantiles(const Distribution& d, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(d.sample((i + 0.5) / n));
  return v;
}

TEST(Distribution, FixedIsConstant) {
  Distribution d{Distribution::Kind::Fixed, 4096, 4096, 4096};
  EXPECT_EQ(d.sample(0.0), 4096);
  EXPECT_EQ(d.sample(0.999), 4096);
  EXPECT_EQ(d.mean(), 4096);
}

TEST(Distribution, EveryKindStaysInBoundsAndIsMonotonic) {
  std::vector<Distribution> ds = {
      {Distribution::Kind::Uniform, 0, 100, 200},
      {Distribution::Kind::LogNormal, 0, 1024, 4 << 20, 16 << 10, 1.0, 0},
      {Distribution::Kind::LogNormal, 0, 1024, 2048, 1500, 5.0, 0},  // wide sigma, narrow bounds
      {Distribution::Kind::Pareto, 0, 1024, 1 << 30, 0, 0, 1.1},
      {Distribution::Kind::Pareto, 0, 10, 20, 0, 0, 0.5},
  };
  for (const auto& d : ds) {
    double prev = d.min;
    for (double u : {0.0, 1e-12, 0.001, 0.1, 0.5, 0.9, 0.999, 1 - 1e-12}) {
      double v = d.sample(u);
      EXPECT_GE(v, d.min) << kindName(d.kind) << " u=" << u;
      EXPECT_LE(v, d.max) << kindName(d.kind) << " u=" << u;
      EXPECT_GE(v, prev) << kindName(d.kind) << " u=" << u;
      prev = v;
    }
  }
}

TEST(Distribution, LogNormalMedianIsTheMedian) {
  // Symmetric bounds in log space around the median keep the median where it was.
  Distribution d{Distribution::Kind::LogNormal, 0, 1024, 256 << 10, 16 << 10, 1.0, 0};
  auto q = quantiles(d, 10001);
  EXPECT_NEAR(q[5000], 16 << 10, (16 << 10) * 0.01);
  // Most mass between median/e and median*e (one sigma): ~68% before truncation.
  double lo = (16 << 10) / 2.718281828, hi = (16 << 10) * 2.718281828;
  auto inside = std::count_if(q.begin(), q.end(), [&](double v) { return v >= lo && v <= hi; });
  EXPECT_GT(inside, 6800);
  EXPECT_LT(inside, 7600);
}

TEST(Distribution, UniformMean) {
  Distribution d{Distribution::Kind::Uniform, 0, 1000, 3000};
  EXPECT_NEAR(d.mean(), 2000, 1);
}

TEST(Distribution, ParetoHasAHeavyTail) {
  Distribution d{Distribution::Kind::Pareto, 0, 1000, 1e9, 0, 0, 1.2};
  auto q = quantiles(d, 10000);
  // Median of Pareto(x_m, a) = x_m * 2^(1/a) (truncation far out barely moves it).
  EXPECT_NEAR(q[5000], 1000 * std::pow(2.0, 1 / 1.2), 20);
  EXPECT_GT(q[9999], 100 * q[5000]);  // the top 0.01% is orders of magnitude above the median
}

}  // namespace
}  // namespace cdnlab::origin::catalog

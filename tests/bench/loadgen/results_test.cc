// Result aggregation: hit classification from chained X-Cache values, per PoP / region /
// second tallies, and merging per-thread results.
#include <gtest/gtest.h>

#include "bench/loadgen/results.h"

namespace cdnlab::loadgen {
namespace {

Sample ok(bool hit, uint64_t bytes, uint64_t us) {
  Sample s;
  s.hit = hit;
  s.bodyBytes = bytes;
  s.latencyUs = us;
  return s;
}

TEST(Results, HitClassificationUsesTheClientFacingOutcome) {
  EXPECT_EQ(lastElement("Hit"), "Hit");
  EXPECT_EQ(lastElement("Hit, Miss"), "Miss");  // shield hit, edge miss: the edge missed
  EXPECT_EQ(lastElement("Miss,Hit "), "Hit");
  EXPECT_EQ(lastElement(""), "");
  EXPECT_TRUE(isCacheHit("Hit"));
  EXPECT_TRUE(isCacheHit("Stale"));
  EXPECT_TRUE(isCacheHit("Revalidated"));
  EXPECT_FALSE(isCacheHit("Miss"));
  EXPECT_FALSE(isCacheHit("Collapsed"));
  EXPECT_FALSE(isCacheHit("Pass"));
  EXPECT_FALSE(isCacheHit(""));
}

TEST(Results, TalliesPerPopRegionAndSecond) {
  Results r({"near", "far"});
  r.record(0, "fra", 0, ok(true, 1000, 100));
  r.record(0, "fra", 0, ok(false, 3000, 5000));
  r.record(1, "syd", 2, ok(true, 500, 200000));
  Sample err;
  err.error = true;
  r.record(1, "", 2, err);

  EXPECT_EQ(r.total().requests, 4u);
  EXPECT_EQ(r.total().hits, 2u);
  EXPECT_EQ(r.total().errors, 1u);
  EXPECT_EQ(r.total().bytes, 4500u);
  EXPECT_EQ(r.total().hitBytes, 1500u);
  EXPECT_EQ(r.total().latencyUs.count(), 3u);  // errors carry no latency
  ASSERT_EQ(r.regions().size(), 2u);
  EXPECT_EQ(r.regions()[0].tally.requests, 2u);
  EXPECT_DOUBLE_EQ(r.regions()[0].tally.hitRatio(), 0.5);
  EXPECT_DOUBLE_EQ(r.regions()[0].tally.byteHitRatio(), 0.25);
  ASSERT_EQ(r.pops().size(), 3u);  // fra, syd, (none)
  EXPECT_EQ(r.pops()[2].name, "(none)");
  ASSERT_EQ(r.series().size(), 3u);
  EXPECT_EQ(r.series()[0].requests, 2u);
  EXPECT_EQ(r.series()[1].requests, 0u);
  EXPECT_EQ(r.series()[2].requests, 2u);
}

TEST(Results, MergeAddsCountsAndHistograms) {
  Results a({"near", "far"}), b({"near", "far"});
  for (int i = 0; i < 100; ++i) a.record(0, "fra", 0, ok(true, 10, 1000));
  for (int i = 0; i < 100; ++i) b.record(1, "syd", 1, ok(false, 20, 100000));
  b.record(0, "lon", 3, ok(true, 5, 1000));
  a.merge(b);
  EXPECT_EQ(a.total().requests, 201u);
  EXPECT_EQ(a.total().hits, 101u);
  EXPECT_EQ(a.regions()[0].tally.requests, 101u);
  EXPECT_EQ(a.regions()[1].tally.requests, 100u);
  EXPECT_EQ(a.pops().size(), 3u);
  EXPECT_EQ(a.series().size(), 4u);
  EXPECT_EQ(a.series()[1].requests, 100u);
  // The merged p99 sits with the slow half; p50 is still the fast one (101 of 201).
  EXPECT_NEAR(static_cast<double>(a.total().latencyUs.percentile(99)), 100000, 1000);
  EXPECT_NEAR(static_cast<double>(a.total().latencyUs.percentile(50)), 1000, 10);
}

}  // namespace
}  // namespace cdnlab::loadgen

// Result aggregation: outcome classification from chained X-Cache values (Revalidated is not a
// hit), per PoP / region / shield / second tallies, per-outcome latency, and merging.
#include <gtest/gtest.h>

#include "bench/loadgen/results.h"

namespace cdnlab::loadgen {
namespace {

Sample ok(Outcome o, uint64_t bytes, uint64_t us, std::optional<Outcome> shield = std::nullopt) {
  Sample s;
  s.outcome = o;
  s.shield = shield;
  s.bodyBytes = bytes;
  s.latencyUs = us;
  return s;
}

Sample failed() {
  Sample s;
  s.outcome = Outcome::Error;
  return s;
}

TEST(Results, OutcomeClassificationUsesTheClientFacingElement) {
  EXPECT_EQ(lastElement("Hit"), "Hit");
  EXPECT_EQ(lastElement("Hit, Miss"), "Miss");  // shield hit, edge miss: the edge missed
  EXPECT_EQ(lastElement("Miss,Hit "), "Hit");
  EXPECT_EQ(lastElement(""), "");
  EXPECT_EQ(upstreamElement("Hit, Miss"), "Hit");
  EXPECT_EQ(upstreamElement("Miss"), "");
  EXPECT_EQ(upstreamElement("Miss, Revalidated, Hit"), "Revalidated");
  EXPECT_EQ(parseOutcome("Revalidated"), Outcome::Revalidated);
  EXPECT_EQ(parseOutcome("Collapsed"), Outcome::Collapsed);
  EXPECT_EQ(parseOutcome("Other"), Outcome::Other);
  EXPECT_EQ(parseOutcome("HIT"), Outcome::Other);
  EXPECT_TRUE(isCacheHit("Hit"));
  EXPECT_TRUE(isCacheHit("Stale"));
  EXPECT_FALSE(isCacheHit("Revalidated"));  // costs a round trip to upstream
  EXPECT_FALSE(isCacheHit("Miss"));
  EXPECT_FALSE(isCacheHit("Collapsed"));
  EXPECT_FALSE(isCacheHit("Pass"));
  EXPECT_FALSE(isCacheHit(""));
}

TEST(Results, TalliesPerPopRegionAndSecond) {
  Results r({"near", "far"});
  r.record(0, "fra", 0, ok(Outcome::Hit, 1000, 100));
  r.record(0, "fra", 0, ok(Outcome::Miss, 3000, 5000, Outcome::Miss));
  r.record(1, "syd", 2, ok(Outcome::Revalidated, 500, 200000));
  r.record(1, "", 2, failed());

  EXPECT_EQ(r.total().requests, 4u);
  EXPECT_EQ(r.total().hits, 1u);
  EXPECT_EQ(r.total().count(Outcome::Revalidated), 1u);
  EXPECT_EQ(r.total().count(Outcome::Miss), 1u);
  EXPECT_EQ(r.total().errors, 1u);
  EXPECT_EQ(r.total().count(Outcome::Error), 1u);
  EXPECT_EQ(r.total().bytes, 4500u);
  EXPECT_EQ(r.total().hitBytes, 1000u);
  EXPECT_EQ(r.total().latencyUs.count(), 3u);  // errors carry no latency
  EXPECT_EQ(r.total().latency(Outcome::Hit).count(), 1u);
  EXPECT_EQ(r.total().latency(Outcome::Revalidated).percentile(50), r.total().latency(Outcome::Revalidated).max());
  ASSERT_EQ(r.regions().size(), 2u);
  EXPECT_EQ(r.regions()[0].tally.requests, 2u);
  EXPECT_DOUBLE_EQ(*r.regions()[0].tally.hitRatio(), 0.5);
  EXPECT_DOUBLE_EQ(*r.regions()[0].tally.byteHitRatio(), 0.25);
  ASSERT_EQ(r.pops().size(), 3u);  // fra, syd, (none)
  EXPECT_EQ(r.pops()[2].name, "(none)");
  ASSERT_EQ(r.pops()[0].series.size(), 1u);
  EXPECT_EQ(r.pops()[0].series[0].requests, 2u);
  ASSERT_EQ(r.regions()[1].series.size(), 3u);
  EXPECT_EQ(r.regions()[1].series[2].errors, 1u);
  ASSERT_EQ(r.series().size(), 3u);
  EXPECT_EQ(r.series()[0].counts.requests, 2u);
  EXPECT_EQ(r.series()[1].counts.requests, 0u);
  EXPECT_EQ(r.series()[2].counts.requests, 2u);
  // Only the request that reached the shield is in the shield row, under the shield's outcome.
  EXPECT_EQ(r.shield().requests, 1u);
  EXPECT_EQ(r.shield().count(Outcome::Miss), 1u);
  // An edge hit carries the shield's verdict from when it was filled ("Miss, Hit"): that
  // request never reached the shield and is not in its row.
  r.record(0, "fra", 0, ok(Outcome::Hit, 10, 100, Outcome::Miss));
  EXPECT_EQ(r.shield().requests, 1u);
  EXPECT_TRUE(wentUpstream(Outcome::Revalidated));
  EXPECT_FALSE(wentUpstream(Outcome::Collapsed));
}

TEST(Results, NothingMeasuredIsAbsentNotZero) {
  Results r({"near"});
  EXPECT_FALSE(r.total().hitRatio().has_value());
  EXPECT_FALSE(r.total().byteHitRatio().has_value());
  r.record(0, "fra", 0, failed());
  EXPECT_DOUBLE_EQ(*r.total().hitRatio(), 0.0);  // one request, none a hit: a measured 0
  EXPECT_FALSE(r.total().byteHitRatio().has_value());  // no bytes came back
}

TEST(Results, MergeAddsCountsAndHistograms) {
  Results a({"near", "far"}), b({"near", "far"});
  for (int i = 0; i < 100; ++i) a.record(0, "fra", 0, ok(Outcome::Hit, 10, 1000));
  for (int i = 0; i < 100; ++i) b.record(1, "syd", 1, ok(Outcome::Miss, 20, 100000, Outcome::Hit));
  b.record(0, "lon", 3, ok(Outcome::Hit, 5, 1000));
  a.merge(b);
  EXPECT_EQ(a.total().requests, 201u);
  EXPECT_EQ(a.total().hits, 101u);
  EXPECT_EQ(a.regions()[0].tally.requests, 101u);
  EXPECT_EQ(a.regions()[1].tally.requests, 100u);
  EXPECT_EQ(a.pops().size(), 3u);
  EXPECT_EQ(a.series().size(), 4u);
  EXPECT_EQ(a.series()[1].counts.requests, 100u);
  EXPECT_EQ(a.shield().count(Outcome::Hit), 100u);
  EXPECT_EQ(a.regions()[1].series.size(), 2u);
  // The merged p99 sits with the slow half; p50 is still the fast one (101 of 201).
  EXPECT_NEAR(static_cast<double>(a.total().latencyUs.percentile(99)), 100000, 1000);
  EXPECT_NEAR(static_cast<double>(a.total().latencyUs.percentile(50)), 1000, 10);
  EXPECT_NEAR(static_cast<double>(a.total().latency(Outcome::Miss).percentile(1)), 100000, 1000);
}

}  // namespace
}  // namespace cdnlab::loadgen

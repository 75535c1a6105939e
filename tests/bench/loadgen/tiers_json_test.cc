// The per-tier JSON of a load run (what `cdnlab report` reads): differences between the start
// and end snapshots, medians from histogram buckets, per-second series from the snapshots taken
// meanwhile, behaviors of the edge PoPs.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <limits>

#include "bench/loadgen/tiers.h"

namespace cdnlab::loadgen {
namespace {

const char* const kTopo = R"(origin: {city: Ashburn, lat: 39.0, lon: -77.5, address: 127.0.2.1:9000}
pops:
  - {id: shield, city: New York, lat: 40.7, lon: -74.0, address: 127.0.3.1:8080, admin: 127.0.3.1:9080, tier: shield, upstream: origin, capacity: 4MiB}
  - {id: fra, city: Frankfurt, lat: 50.1, lon: 8.7, address: 127.0.3.2:8080, admin: 127.0.3.2:9080, upstream: shield, capacity: 4MiB}
regions:
  - {name: berlin, city: Berlin, lat: 52.5, lon: 13.4, block: 127.10.0.0/16, share: 1}
catalog: {objects: 10}
)";

TierSnapshot snapshot(double at, double fraRequests, double fraHits, double reads, double rcu, double storeFast) {
  TierSnapshot s;
  s.atS = at;
  s.values = {{"pop/fra/requests", fraRequests}, {"pop/fra/hits", fraHits}, {"pop/shield/requests", fraRequests - fraHits},
              {"pop/shield/hits", 0}, {"behavior/api/requests", fraRequests}, {"behavior/api/hits", fraHits},
              {"store/requests", reads}, {"store/reads", reads}, {"store/read_capacity_units", rcu}};
  // Store latency buckets (ms): storeFast observations <= 1 ms, all of them <= 10 ms.
  s.histograms["store/latency_ms"] = {{1, storeFast}, {10, reads}, {std::numeric_limits<double>::max(), reads}};
  return s;
}

TEST(TiersJson, DeltasMediansSeriesAndBehaviors) {
  auto topo = geo::loadTopologyString(kTopo, "t.yaml");
  ASSERT_TRUE(topo.ok()) << config::formatErrors(topo.errors());
  const TierSnapshot before = snapshot(0, 100, 50, 10, 5, 10);
  const std::vector<TierSnapshot> during = {snapshot(1, 150, 90, 20, 10, 10)};
  const TierSnapshot after = snapshot(2, 300, 200, 30, 15, 10);  // 20 new reads, all in (1, 10] ms
  rapidjson::Document d;
  d.Parse(tiersJson(before, after, *topo, during).c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_DOUBLE_EQ(d["edge"]["requests"].GetDouble(), 200);
  EXPECT_DOUBLE_EQ(d["edge"]["hit_ratio"].GetDouble(), 0.75);
  EXPECT_DOUBLE_EQ(d["behaviors"]["api"]["hits"].GetDouble(), 150);
  EXPECT_DOUBLE_EQ(d["store"]["reads"].GetDouble(), 20);
  EXPECT_DOUBLE_EQ(d["store"]["read_capacity_units"].GetDouble(), 10);
  EXPECT_NEAR(d["store"]["latency_p50_ms"].GetDouble(), 5.5, 1e-9);  // halfway through (1, 10]
  // Series: one point per interval, [second, value].
  const auto& reads = d["store"]["series"]["reads"];
  ASSERT_EQ(reads.Size(), 2u);
  EXPECT_DOUBLE_EQ(reads[0][0].GetDouble(), 1);
  EXPECT_DOUBLE_EQ(reads[0][1].GetDouble(), 10);
  EXPECT_DOUBLE_EQ(reads[1][1].GetDouble(), 10);
  const auto& edgeRatio = d["edge"]["series"]["hit_ratio"];
  EXPECT_DOUBLE_EQ(edgeRatio[1][1].GetDouble(), 110.0 / 150.0);
  EXPECT_FALSE(d.HasMember("gateway")) << "a tier that was not scraped is left out";
}

}  // namespace
}  // namespace cdnlab::loadgen

// Topology replay: the default topology's routing, tier accounting (the shield sees exactly the
// edges' misses, the origin the shield's), agreement with the one-cache simulator, and exact
// reproducibility for a seed.
#include "bench/sim/topology_replay.h"

#include <gtest/gtest.h>

#include <cmath>

#include "bench/sim/simulator.h"
#include "bench/sim/trace_reader.h"
#include "bench/sim/zipf_trace.h"
#include "geo/pop_selector.h"

namespace cdnlab::sim {
namespace {

geo::Topology defaultTopology() {
  auto t = geo::loadTopologyFile(std::string(CDNLAB_SOURCE_DIR) + "/configs/catalog.yaml");
  EXPECT_TRUE(t.ok());
  return std::move(*t);
}

Trace zipf(uint64_t requests, uint64_t objects, uint64_t seed = 7) {
  ZipfTraceSpec z;
  z.requests = requests;
  z.objects = objects;
  z.alpha = 0.9;
  z.seed = seed;
  return std::move(parseTrace(zipfTraceBytes(z), "zipf", TraceFormat{}).value());
}

const PopReplay& pop(const ReplayResult& r, std::string_view id) {
  for (const auto& p : r.pops)
    if (p.id == id) return p;
  ADD_FAILURE() << "no pop " << id;
  return r.pops.front();
}

TEST(TopologyReplay, TiersSeeExactlyTheMissesBelowThem) {
  geo::Topology t = defaultTopology();
  auto r = replayTopology(t, zipf(200000, 20000));
  ASSERT_TRUE(r.ok()) << r.error().message;
  uint64_t edgeRequests = 0, edgeMisses = 0;
  for (const auto& p : r->pops)
    if (p.tier == geo::Tier::Edge) {
      edgeRequests += p.stats.requests;
      edgeMisses += p.stats.requests - p.stats.hits;
    }
  const PopReplay& shield = pop(*r, "shield-nyc");
  EXPECT_EQ(edgeRequests, 200000u);
  EXPECT_EQ(shield.stats.requests, edgeMisses);
  EXPECT_EQ(r->originRequests, shield.stats.requests - shield.stats.hits);
  EXPECT_GT(shield.stats.hits, 0u);
  EXPECT_GT(r->offload(), 0.0);
  EXPECT_LT(r->offload(), 1.0);
  uint64_t regionRequests = 0;
  for (const auto& g : r->regions) regionRequests += g.edge.requests;
  EXPECT_EQ(regionRequests, 200000u);
}

TEST(TopologyReplay, RoutesEachRegionLikeTheRouter) {
  geo::Topology t = defaultTopology();
  auto r = replayTopology(t, zipf(50000, 5000));
  ASSERT_TRUE(r.ok());
  std::vector<geo::PopCandidate> candidates;
  for (const auto* e : t.edgePops()) candidates.push_back(geo::PopCandidate{e->id, e->location});
  geo::PopSelector selector(t.router.strategy, geo::LatencyModel(t.latency));
  for (size_t g = 0; g < t.regions.size(); ++g) {
    auto pick = selector.select(candidates, t.regions[g].location);
    ASSERT_TRUE(pick);
    ASSERT_EQ(r->regions[g].pops.size(), 1u);
    EXPECT_EQ(r->regions[g].pops[0], candidates[pick->index].id) << t.regions[g].name;
  }
  // Shares: new-york has 0.20 of 50,000 requests, within 5 standard deviations.
  EXPECT_NEAR(double(r->regions[2].edge.requests), 10000.0, 5 * std::sqrt(50000 * 0.2 * 0.8));
  // The latency model is on: every median is at least the region's RTT to its PoP.
  geo::LatencyModel model(t.latency);
  for (size_t g = 0; g < t.regions.size(); ++g) {
    const geo::GeoPoint popAt = t.findPop(r->regions[g].pops[0])->location;
    EXPECT_GE(r->regions[g].p50Ms, model.rttMs(t.regions[g].location, popAt)) << t.regions[g].name;
  }
}

TEST(TopologyReplay, OneEdgeToOriginMatchesTheSimulator) {
  geo::Topology t = defaultTopology();
  std::vector<geo::PopSpec> pops;
  for (auto p : t.pops)
    if (p.id == "fra") {
      p.upstream = "origin";
      p.policy = "s3fifo";
      pops.push_back(p);
    }
  t.pops = pops;
  Trace trace = zipf(100000, 10000);
  auto r = replayTopology(t, trace);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto s = simulate(trace, SimJob{"s3fifo", pops[0].capacityBytes, SizeMode::Bytes, ""});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(r->pops[0].stats.requests - r->pops[0].stats.hits, s->misses);
  EXPECT_EQ(r->originRequests, s->misses);
  EXPECT_EQ(r->bytes - r->originBytes, s->bytes - s->missBytes);
}

TEST(TopologyReplay, SameSeedSameAnswerOtherSeedOtherDraws) {
  geo::Topology t = defaultTopology();
  Trace trace = zipf(50000, 5000);
  auto a = replayTopology(t, trace, ReplayOptions{3});
  auto b = replayTopology(t, trace, ReplayOptions{3});
  auto c = replayTopology(t, trace, ReplayOptions{4});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(formatReplay(*a).substr(0, formatReplay(*a).find("\norigin")),
            formatReplay(*b).substr(0, formatReplay(*b).find("\norigin")));
  EXPECT_EQ(a->originRequests, b->originRequests);
  bool differs = false;
  for (size_t g = 0; g < a->regions.size(); ++g) differs |= a->regions[g].edge.requests != c->regions[g].edge.requests;
  EXPECT_TRUE(differs);
}

TEST(TopologyReplay, UnknownPolicyAndEmptyTopologyAreErrors) {
  geo::Topology t = defaultTopology();
  t.pops[0].policy = "nope";
  auto r = replayTopology(t, zipf(10, 5));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nope"), std::string::npos);
  geo::Topology empty = defaultTopology();
  empty.regions.clear();
  EXPECT_FALSE(replayTopology(empty, zipf(10, 5)).ok());
}

}  // namespace
}  // namespace cdnlab::sim

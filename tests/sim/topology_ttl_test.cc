// Topology replay with TTLs: a hand-worked CDN log through one edge and a shield (fresh hits,
// revalidation at both tiers, expiry past the keep time, no TTL, TTL 0, stale-while-revalidate
// with its background refresh, an unstorable response), the cdnlog reader's ttl column, and the
// catalog workload's freshness as the PoP computes it.
#include <gtest/gtest.h>

#include <algorithm>

#include "bench/sim/catalog_workload.h"
#include "bench/sim/topology_replay.h"
#include "bench/sim/trace_reader.h"

namespace cdnlab::sim {
namespace {

// One region, one edge PoP (fra) behind a shield (nyc), no latency model.
geo::Topology tinyTopology() {
  const char* yaml = R"(
latency: {enabled: false}
origin: {city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.2.1:9000}
catalog: {objects: 10}
pops:
  - {id: nyc, city: New York, lat: 40.7128, lon: -74.0060, address: 127.0.3.1:8080, admin: 127.0.3.1:9080,
     tier: shield, upstream: origin, capacity: 4MiB, policy: lru}
  - {id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: 127.0.3.2:8080, admin: 127.0.3.2:9080,
     tier: edge, upstream: nyc, capacity: 1MiB, policy: lru}
regions:
  - {name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}
)";
  auto t = geo::loadTopologyString(yaml, "tiny.yaml");
  EXPECT_TRUE(t.ok());
  return std::move(t.value());
}

Trace cdnlog(const std::string& text) {
  TraceFormat f;
  f.kind = TraceKind::CdnLog;
  f.timeCol = 1, f.idCol = 2, f.sizeCol = 3, f.ttlCol = 4;
  auto t = parseTrace(text, "log.csv", f);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return std::move(t.value());
}

const TierStats& stats(const ReplayResult& r, std::string_view id) {
  for (const auto& p : r.pops)
    if (p.id == id) return p.stats;
  ADD_FAILURE() << "no pop " << id;
  return r.pops.front().stats;
}

TEST(TopologyTtl, CdnLogTtlColumnIsOptionalPerLine) {
  Trace t = cdnlog("time,url,size,ttl\n0,/a,100,10\n1,/b,100\n2,/c,100,\n");
  ASSERT_EQ(t.freshness.size(), 3u);
  EXPECT_EQ(t.freshness[0].maxAgeS, 10u);
  EXPECT_EQ(t.freshness[1].maxAgeS, ResponseFreshness::kForever);
  EXPECT_EQ(t.freshness[2].maxAgeS, ResponseFreshness::kForever);
  EXPECT_TRUE(cdnlog("0,/a,100\n").freshness.empty());  // no TTL anywhere: nothing expires

  TraceFormat f;
  f.kind = TraceKind::CdnLog;
  f.timeCol = 1, f.idCol = 2, f.sizeCol = 3, f.ttlCol = 4;
  auto bad = parseTrace("0,/a,100,10\n5,/a,100,ten\n", "log.csv", f);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "log.csv: record 2: ttl (column 4) 'ten' is not a whole number of seconds");
}

// Worked by hand, keep = 20 s (every response has a validator):
//   t=0  /a (ttl 10)  edge miss, shield miss, origin: both copies fresh until 10
//   t=5  /a           edge hit
//   t=12 /a           edge stale (no SWR), kept: revalidation -> shield stale: revalidation ->
//                     origin; both fresh until 22
//   t=15 /a           edge hit
//   t=60 /a           60 >= 22 + keep 20: the edge drops its copy (expired) and misses; so does
//                     the shield; origin
//   t=1  /b (no ttl)  miss everywhere; t=1000 /b: edge hit (never expires)
//   t=2  /c (ttl 0)   miss; t=3 /c: revalidation at the edge and the shield, origin
TEST(TopologyTtl, HandWorkedLog) {
  Trace t = cdnlog(
      "0,/a,100,10\n1,/b,100,\n2,/c,100,0\n3,/c,100,0\n5,/a,100,10\n12,/a,100,10\n15,/a,100,10\n60,/a,100,10\n"
      "1000,/b,100,\n");
  ReplayOptions o;
  o.keepS = 20;
  auto r = replayTopology(tinyTopology(), t, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const TierStats& edge = stats(*r, "fra");
  const TierStats& shield = stats(*r, "nyc");
  EXPECT_EQ(edge.requests, 9u);
  EXPECT_EQ(edge.hits, 3u);           // a at 5 and 15, b at 1000
  EXPECT_EQ(edge.revalidations, 2u);  // a at 12, c at 3
  EXPECT_EQ(edge.expired, 1u);        // a at 60
  EXPECT_EQ(edge.upstream, 6u);
  EXPECT_EQ(shield.requests, 6u);
  EXPECT_EQ(shield.hits, 0u);
  EXPECT_EQ(shield.revalidations, 2u);
  EXPECT_EQ(shield.expired, 1u);
  EXPECT_EQ(r->originRequests, 6u);
  ASSERT_EQ(r->regions.size(), 1u);
  EXPECT_EQ(r->regions[0].originRequests, 6u);
}

// A copy filled from the shield keeps the shield's expiry (its Age came with it):
//   t=0 /a (ttl 10): miss, miss; both fresh until 10. t=8: edge hit.
//   t=9 /big fills the 1 MiB edge and evicts /a there (the 4 MiB shield keeps both).
//   t=9 /a: edge miss, shield hit (fresh until 10): the edge's new copy is fresh until 10, not
//   19, so t=11 /a is a revalidation at the edge (and at the shield).
TEST(TopologyTtl, CopyFromAboveKeepsItsAge) {
  Trace t = cdnlog("0,/a,100,10\n8,/a,100,10\n9,/big,1048526,100\n9,/a,100,10\n11,/a,100,10\n");
  auto r = replayTopology(tinyTopology(), t, ReplayOptions{});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const TierStats& edge = stats(*r, "fra");
  const TierStats& shield = stats(*r, "nyc");
  EXPECT_EQ(edge.hits, 1u);           // t=8
  EXPECT_EQ(edge.revalidations, 1u);  // t=11: the copy from t=9 was fresh until 10, not 19
  EXPECT_EQ(shield.hits, 1u);         // t=9 /a (/big evicted /a at the edge only)
  EXPECT_EQ(shield.revalidations, 1u);  // t=11: the shield's copy is stale too
}

// stale-while-revalidate: served stale (a hit) and refreshed in the background: the refresh
// is a request to the tier above, the client's answer does not wait for it.
TEST(TopologyTtl, StaleWhileRevalidateIsAHitWithABackgroundRefresh) {
  Trace t = cdnlog("0,/a,100,10\n15,/a,100,10\n16,/a,100,10\n60,/a,100,10\n");
  for (auto& f : t.freshness) f.staleWhileRevalidateS = 30;
  auto r = replayTopology(tinyTopology(), t, ReplayOptions{});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const TierStats& edge = stats(*r, "fra");
  // t=0: miss, miss, origin: both fresh until 10, usable stale until 40.
  // t=15: edge stale within SWR: a hit, and a background refresh; the shield is stale within
  //   SWR too: a hit that refreshes from the origin (shield fresh until 25), but its answer to
  //   the edge was its stale copy, so the edge's copy still expires at 10.
  // t=16: edge stale within SWR again: a hit, a refresh; the shield is fresh now (until 25), so
  //   the edge's copy is fresh until 25, usable stale until 55.
  // t=60: past 55, within keep: the edge revalidates; the shield (fresh until 25) does too.
  EXPECT_EQ(edge.requests, 4u);
  EXPECT_EQ(edge.hits, 2u);
  EXPECT_EQ(edge.revalidations, 1u);
  EXPECT_EQ(edge.upstream, 4u);  // t=0 miss, two refreshes, t=60 revalidation
  EXPECT_EQ(stats(*r, "nyc").hits, 2u);
  EXPECT_EQ(stats(*r, "nyc").revalidations, 1u);
  EXPECT_EQ(r->originRequests, 3u);              // t=0, the shield's refresh at 15, t=60
  EXPECT_EQ(r->regions[0].originRequests, 2u);  // the client waited for the origin at 0 and 60
}

TEST(TopologyTtl, UnstorableResponsesMissEverywhere) {
  Trace t = cdnlog("0,/a,100,60\n1,/a,100,60\n");
  for (auto& f : t.freshness) f.storable = false;
  auto r = replayTopology(tinyTopology(), t, ReplayOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(stats(*r, "fra").hits, 0u);
  EXPECT_EQ(stats(*r, "nyc").hits, 0u);
  EXPECT_EQ(r->originRequests, 2u);
}

TEST(TopologyTtl, CatalogFreshnessIsThePopsReading) {
  origin::catalog::ObjectInfo o;
  o.etag = "\"x\"";
  o.cacheControl = "public, max-age=30, stale-while-revalidate=30";
  ResponseFreshness f = catalogFreshness(o);
  EXPECT_TRUE(f.storable);
  EXPECT_EQ(f.maxAgeS, 30u);
  EXPECT_EQ(f.staleWhileRevalidateS, 30u);
  o.cacheControl = "max-age=60, s-maxage=5";  // a shared cache takes s-maxage
  EXPECT_EQ(catalogFreshness(o).maxAgeS, 5u);
  o.cacheControl = "no-cache, max-age=60";  // stored, revalidated on every use
  EXPECT_TRUE(catalogFreshness(o).storable);
  EXPECT_EQ(catalogFreshness(o).maxAgeS, 0u);
  o.cacheControl = "no-cache";  // with a validator: stored with lifetime 0 (every use revalidates)
  EXPECT_TRUE(catalogFreshness(o).storable);
  EXPECT_EQ(catalogFreshness(o).maxAgeS, 0u);
  o.etag.clear();
  o.lastModified = 0;  // catalogFreshness always sends Last-Modified: so still a validator
  EXPECT_TRUE(catalogFreshness(o).storable);
  o.etag = "\"x\"";
  o.cacheControl = "no-store";
  EXPECT_FALSE(catalogFreshness(o).storable);
  o.cacheControl = "private, max-age=60";
  EXPECT_FALSE(catalogFreshness(o).storable);
}

TEST(TopologyTtl, CatalogWorkloadIsTheCatalogsObjectsAndReproducible) {
  origin::catalog::CatalogConfig c;
  c.objects = 500;
  c.seed = 3;
  CatalogWorkloadSpec w;
  w.requests = 20000;
  w.alpha = 0.9;
  w.seed = 11;
  w.rate = 100;
  auto a = catalogWorkload(c, w), b = catalogWorkload(c, w);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->requests.size(), 20000u);
  ASSERT_EQ(a->freshness.size(), 20000u);
  const origin::catalog::Catalog cat(c, 0);
  for (size_t i = 0; i < a->requests.size(); i += 97) {
    const Request& q = a->requests[i];
    EXPECT_EQ(q.obj, b->requests[i].obj);
    EXPECT_EQ(q.size, cat.object(a->keys[q.obj]).size);
    EXPECT_EQ(q.time, uint32_t(i / 100));
    EXPECT_EQ(a->freshness[i].storable, cat.object(a->keys[q.obj]).cacheable);
  }
  // Rank 0 is object 0 and the most requested (Zipf 0.9 over 500: 1 / H(500, 0.9) = 10.9 %).
  std::vector<uint64_t> count(a->objects());
  for (const auto& q : a->requests) ++count[q.obj];
  const uint64_t top = uint64_t(std::max_element(count.begin(), count.end()) - count.begin());
  EXPECT_EQ(a->keys[top], 0u);
  EXPECT_NEAR(double(count[top]) / 20000.0, 0.109, 0.01);
  w.objects = 501;
  EXPECT_FALSE(catalogWorkload(c, w).ok());
}

}  // namespace
}  // namespace cdnlab::sim

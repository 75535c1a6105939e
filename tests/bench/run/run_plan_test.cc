// bench/run/run_plan: the start order of `cdnlab up` and the per-hop RTTs it passes to PoPs.
#include "bench/run/run_plan.h"
#include "tests/bench/run/plan_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "bench/run/default_topology.h"
#include "geo/latency_model.h"

namespace cdnlab::bench::run {
namespace {

// Edges listed before their shields, and a two-level shield chain, so that file order and start
// order differ.
const char* const kTopo = R"(
latency: {route_inflation: 2.0, per_hop_processing: 1ms}
router: {address: 127.0.1.1:8000}
origin: {city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.2.1:9000}
pops:
  - {id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: 127.0.3.2:8080, admin: 127.0.3.2:9080,
     upstream: shield-eu, capacity: 4MiB, workers: 2, policy: lru}
  - {id: shield-eu, city: London, lat: 51.5074, lon: -0.1278, address: 127.0.3.5:8080, tier: shield,
     upstream: shield-us, capacity: 8MiB}
  - {id: iad, city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.3.4:8080, upstream: shield-us, capacity: 4MiB}
  - {id: shield-us, city: New York, lat: 40.7128, lon: -74.0060, address: 127.0.3.1:8080, tier: shield,
     upstream: origin, capacity: 8MiB}
regions:
  - {name: berlin, city: Berlin, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}
catalog: {objects: 10}
)";

PlanInputs inputs(bool latency = true) { return {"/t/topo.yaml", "/t/catalog.yaml", "/t/geo.mmdb", latency}; }

size_t position(const std::vector<Component>& plan, const std::string& name) {
  return static_cast<size_t>(&find(plan, name) - plan.data());
}

TEST(RunPlan, OriginFirstShieldsBeforeTheirEdgesRouterLast) {
  auto plan = planComponents(load(kTopo), inputs());
  ASSERT_EQ(plan.size(), 7u);
  EXPECT_EQ(plan.front().name, "origin");
  EXPECT_EQ(plan[5].name, "router");
  EXPECT_EQ(plan.back().name, "dashboard");
  EXPECT_LT(position(plan, "shield-us"), position(plan, "shield-eu"));
  EXPECT_LT(position(plan, "shield-eu"), position(plan, "fra"));
  EXPECT_LT(position(plan, "shield-us"), position(plan, "iad"));
  EXPECT_EQ(find(plan, "origin").wave, 0);
  EXPECT_EQ(find(plan, "shield-us").wave, 1);
  EXPECT_EQ(find(plan, "shield-eu").wave, 2);
  EXPECT_EQ(find(plan, "iad").wave, 2);  // starts together with shield-eu
  EXPECT_EQ(find(plan, "fra").wave, 3);
  EXPECT_EQ(find(plan, "router").wave, 4);
  EXPECT_EQ(find(plan, "dashboard").wave, 4);
  for (size_t i = 1; i < plan.size(); ++i) EXPECT_LE(plan[i - 1].wave, plan[i].wave);
}

TEST(RunPlan, DashboardNextToTheRouterWatchingTheTopology) {
  auto plan = planComponents(load(kTopo), inputs());
  const Component& d = find(plan, "dashboard");
  const Component& r = find(plan, "router");
  EXPECT_EQ(d.address.host, r.address.host);
  EXPECT_EQ(d.address.port, r.address.port + 1);
  EXPECT_EQ(d.args.front(), "dashboard");
  EXPECT_NE(std::find(d.args.begin(), d.args.end(), inputs().topologyFile), d.args.end());
  EXPECT_EQ(kindName(d.kind), std::string("dashboard"));
}

TEST(RunPlan, DefaultTopologyIsTheShopInDependencyOrder) {
  auto t = geo::loadTopologyString(defaultTopologyYaml());
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  auto plan = planComponents(*t, inputs());
  // store + origin, Lambda, gateway, shield, 6 edge PoPs, router, dashboard.
  ASSERT_EQ(plan.size(), 13u);
  EXPECT_EQ(plan[0].name, "store");
  EXPECT_EQ(plan[1].name, "origin");
  EXPECT_EQ(plan[2].name, "lambda");
  EXPECT_EQ(plan[3].name, "gateway");
  EXPECT_EQ(plan[4].name, "shield-nyc");
  for (size_t i = 5; i < 11; ++i) EXPECT_EQ(plan[i].tier, "edge") << plan[i].name;
  EXPECT_EQ(plan[11].name, "router");
  EXPECT_EQ(t->app.functions.size(), 3u);
  // Every function has a reservation: a burst of misses cannot start one environment per request.
  for (const auto& f : t->app.functions) EXPECT_TRUE(f.reservedConcurrency.has_value()) << f.name;
}

// The files the embedded shop names relative to itself are embedded with it (`up` writes them
// next to the topology in the run directory): seed data, function code, the OpenAPI file.
TEST(RunPlan, DefaultTopologyFilesHoldWhatItNames) {
  auto t = geo::loadTopologyString(defaultTopologyYaml());
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  auto has = [](const std::string& path) {
    for (const auto& f : defaultTopologyFiles())
      if (f.path == path && !f.content.empty()) return true;
    return false;
  };
  auto hasUnder = [](const std::string& dir) {
    for (const auto& f : defaultTopologyFiles())
      if (f.path.substr(0, dir.size() + 1) == dir + "/" && !f.content.empty()) return true;
    return false;
  };
  ASSERT_TRUE(t->app.store.has_value());
  for (const auto& table : t->app.store->tables)
    for (const auto& seed : table.seed) EXPECT_TRUE(has(seed)) << seed;
  for (const auto& f : t->app.functions) EXPECT_TRUE(hasUnder(f.code)) << f.code;
  ASSERT_TRUE(t->app.gateway.has_value());
  for (const auto& api : t->app.gateway->apis) EXPECT_TRUE(has(api.openapi)) << api.openapi;
}

TEST(RunPlan, PopFlagsPointAtTheUpstreamsAddress) {
  auto plan = planComponents(load(kTopo), inputs());
  const auto& fra = find(plan, "fra");
  const std::vector<std::string> want = {"pop",      "--id",       "fra",      "--listen",   "127.0.3.2:8080",
                                         "--upstream", "http://127.0.3.5:8080", "--capacity", "4MiB",
                                         "--policy", "lru",        "--workers", "2",         "--admin",
                                         "127.0.3.2:9080"};
  ASSERT_GE(fra.args.size(), want.size());
  EXPECT_EQ(std::vector<std::string>(fra.args.begin(), fra.args.begin() + want.size()), want);
  EXPECT_EQ(fra.readyNames, (std::vector<std::string>{"http", "admin"}));
  const auto& us = find(plan, "shield-us");
  EXPECT_NE(std::find(us.args.begin(), us.args.end(), "http://127.0.2.1:9000"), us.args.end());
  EXPECT_EQ(us.readyNames, std::vector<std::string>{"http"});
  const auto& origin = find(plan, "origin");
  EXPECT_EQ(origin.args[0], "origin");
  EXPECT_NE(std::find(origin.args.begin(), origin.args.end(), "/t/catalog.yaml"), origin.args.end());
  const auto& router = find(plan, "router");
  EXPECT_NE(std::find(router.args.begin(), router.args.end(), "/t/geo.mmdb"), router.args.end());
  EXPECT_NE(std::find(router.args.begin(), router.args.end(), "127.0.1.1:8000"), router.args.end());
}

TEST(RunPlan, UpstreamRttIsTheModelsRttOfThatHop) {
  auto t = load(kTopo);
  geo::LatencyModel model(t.latency);
  // Frankfurt -> London: ~637 km great circle; x2 (round trip) x2.0 inflation / 200 km/ms + 1 ms.
  const double fraLon = model.rttMs(t.findPop("fra")->location, t.findPop("shield-eu")->location);
  EXPECT_NEAR(fraLon, 2 * 637.0 * 2.0 / 200 + 1, 0.3);
  EXPECT_DOUBLE_EQ(upstreamRttMs(t, *t.findPop("fra")), fraLon);
  // The shield's hop is to the origin, not to itself or to a PoP.
  EXPECT_DOUBLE_EQ(upstreamRttMs(t, *t.findPop("shield-us")),
                   model.rttMs(t.findPop("shield-us")->location, t.origin.location));
  // Same city: only the per-hop processing time.
  EXPECT_NEAR(upstreamRttMs(t, *t.findPop("iad")), model.rttMs(t.findPop("iad")->location, t.findPop("shield-us")->location), 1e-9);

  auto plan = planComponents(t, inputs());
  const auto& fra = find(plan, "fra");
  EXPECT_DOUBLE_EQ(fra.upstreamRttMs, fraLon);
  auto flag = std::find(fra.args.begin(), fra.args.end(), "--upstream-rtt");
  ASSERT_NE(flag, fra.args.end());
  EXPECT_EQ(*(flag + 1), formatMs(fraLon));
  auto bw = std::find(fra.args.begin(), fra.args.end(), "--upstream-bandwidth-mbps");
  ASSERT_NE(bw, fra.args.end());
  EXPECT_EQ(*(bw + 1), "1000");  // latency.backbone_bandwidth_mbps default
}

TEST(RunPlan, NoLatencyPassesNoRtt) {
  auto plan = planComponents(load(kTopo), inputs(false));
  for (const auto& c : plan) {
    EXPECT_EQ(std::find(c.args.begin(), c.args.end(), "--upstream-rtt"), c.args.end()) << c.name;
    EXPECT_EQ(std::find(c.args.begin(), c.args.end(), "--upstream-bandwidth-mbps"), c.args.end()) << c.name;
    EXPECT_EQ(c.upstreamRttMs, 0) << c.name;
  }
}

TEST(RunPlan, AccessLogsGoToTheRunDirectory) {
  PlanInputs in = inputs();
  in.logDir = "/run/x";
  auto without = planComponents(load(kTopo), in);
  for (const auto& c : without) EXPECT_EQ(std::find(c.args.begin(), c.args.end(), "--access-log"), c.args.end());
  in.accessLogs = true;
  auto with = planComponents(load(kTopo), in);
  const auto& fra = find(with, "fra").args;
  auto at = std::find(fra.begin(), fra.end(), "--access-log");
  ASSERT_NE(at, fra.end());
  EXPECT_EQ(*(at + 1), "/run/x/fra.access.log");
  const auto& origin = find(with, "origin").args;
  EXPECT_EQ(std::find(origin.begin(), origin.end(), "--access-log"), origin.end());  // PoPs only
}

TEST(RunPlan, FormatMsIsADurationFlag) {
  EXPECT_EQ(formatMs(84.2134), "84.213ms");
  EXPECT_EQ(formatMs(0), "0.000ms");
  EXPECT_EQ(formatMs(-1), "0.000ms");
}

}  // namespace
}  // namespace cdnlab::bench::run

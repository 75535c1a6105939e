// The dashboard's watch list and counters: every tier of the shop (the embedded default) is
// watched, and the store's reads and writes are its requests split by operation.
#include <gtest/gtest.h>

#include <algorithm>

#include "bench/dashboard/dashboard_server.h"
#include "bench/run/default_topology.h"
#include "report/dashboard_page.h"

namespace cdnlab::dashboard {
namespace {

constexpr const char* kStoreMetrics =
    "# TYPE cdnlab_store_requests_total counter\n"
    "cdnlab_store_requests_total{operation=\"GetItem\"} 7\n"
    "cdnlab_store_requests_total{operation=\"Query\"} 2\n"
    "cdnlab_store_requests_total{operation=\"TransactWriteItems\"} 3\n"
    "cdnlab_store_requests_total{operation=\"DescribeTable\"} 5\n"
    "cdnlab_store_read_capacity_units_total{operation=\"GetItem\"} 3.5\n";

const Watched* find(const std::vector<Watched>& all, const std::string& id) {
  auto it = std::find_if(all.begin(), all.end(), [&](const Watched& w) { return w.component.id == id; });
  return it == all.end() ? nullptr : &*it;
}

const CounterSource* counter(const Watched& w, const std::string& name) {
  auto it = std::find_if(w.counters.begin(), w.counters.end(), [&](const CounterSource& c) { return c.counter == name; });
  return it == w.counters.end() ? nullptr : &*it;
}

TEST(DashboardWatched, TheShopHasEveryTier) {
  auto topo = geo::loadTopologyString(bench::run::defaultTopologyYaml(), bench::run::kDefaultTopologyName);
  ASSERT_TRUE(topo) << config::formatErrors(topo.errors());
  auto all = watchedComponents(*topo);
  for (const char* id : {"shield-nyc", "fra", "gateway", "lambda", "store", "origin"}) EXPECT_NE(find(all, id), nullptr) << id;
  const Watched* store = find(all, "store");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->metrics.host, topo->app.store->address.host);
  for (const char* c : {"reads", "writes", "rcu", "wcu"}) EXPECT_NE(counter(*store, c), nullptr) << c;
  const Watched* lambda = find(all, "lambda");
  ASSERT_NE(lambda, nullptr);
  for (const char* c : {"requests", "cold_starts", "throttles"}) EXPECT_NE(counter(*lambda, c), nullptr) << c;
}

TEST(DashboardWatched, StoreReadsAndWritesAreRequestsByOperation) {
  auto topo = geo::loadTopologyString(bench::run::defaultTopologyYaml(), bench::run::kDefaultTopologyName);
  ASSERT_TRUE(topo);
  auto all = watchedComponents(*topo);
  const Watched& store = *find(all, "store");
  EXPECT_EQ(counterValue(kStoreMetrics, *counter(store, "requests")), 17);
  EXPECT_EQ(counterValue(kStoreMetrics, *counter(store, "reads")), 9);   // GetItem + Query
  EXPECT_EQ(counterValue(kStoreMetrics, *counter(store, "writes")), 3);  // not DescribeTable
  EXPECT_EQ(counterValue(kStoreMetrics, *counter(store, "rcu")), 3.5);
  EXPECT_FALSE(counterValue(kStoreMetrics, *counter(store, "wcu")).has_value());  // not in the text
}

TEST(DashboardPage, PanelsOnlyForTheTiersTheTopologyHas) {
  auto topo = geo::loadTopologyString(bench::run::defaultTopologyYaml(), bench::run::kDefaultTopologyName);
  ASSERT_TRUE(topo);
  std::vector<report::WatchedComponent> shop;
  for (const auto& w : watchedComponents(*topo)) shop.push_back(w.component);
  const std::string page = report::renderDashboardPage(*topo, shop);
  for (const char* p : {"edge", "shield", "gateway", "lambda", "store", "origin"})
    EXPECT_NE(page.find(std::string("data-panel=\"") + p + "\""), std::string::npos) << p;
  EXPECT_NE(page.find("id=\"plot-live-capacity\""), std::string::npos);
  EXPECT_NE(page.find("data-field=\"rcu:rate\""), std::string::npos);

  std::vector<report::WatchedComponent> catalogOnly = {{"fra", "edge", "Frankfurt"}, {"origin", "origin", "London"}};
  const std::string small = report::renderDashboardPage(*topo, catalogOnly);
  EXPECT_EQ(small.find("data-panel=\"store\""), std::string::npos);
  EXPECT_EQ(small.find("id=\"plot-live-tiers\""), std::string::npos);
  EXPECT_NE(small.find("data-panel=\"edge\""), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::dashboard

// A load mix (topology load.mix -> loadgen::PathClass): paths built around one placeholder,
// classes picked by weight, mistakes in the topology reported at their line.
#include <gtest/gtest.h>

#include "bench/loadgen/plan.h"
#include "geo/topology.h"

namespace cdnlab::loadgen {
namespace {

const char* const kTopo = R"(origin: {city: Ashburn, lat: 39.0, lon: -77.5, address: 127.0.2.1:9000}
pops:
  - {id: fra, city: Frankfurt, lat: 50.1, lon: 8.7, address: 127.0.3.2:8080, upstream: origin, capacity: 4MiB}
regions:
  - {name: berlin, city: Berlin, lat: 52.5, lon: 13.4, block: 127.10.0.0/16, share: 1}
catalog: {objects: 10}
load:
  mix:
    - {weight: 3, path: "/api/products/p{id:05}", objects: 3000}
    - {weight: 1, path: "/api/categories/{value}?limit=20", values: [books, music]}
    - {path: "/static/{id}"}
)";

TEST(LoadMix, PathsAndWeights) {
  auto t = geo::loadTopologyString(kTopo, "t.yaml");
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  LoadPlan plan = planFromTopology(*t, 100);
  ASSERT_EQ(plan.mix.size(), 3u);
  EXPECT_EQ(mixPath(plan.mix[0], 42), "/api/products/p00042");
  EXPECT_EQ(mixPath(plan.mix[0], 3042), "/api/products/p00042");  // modulo objects
  EXPECT_EQ(mixPath(plan.mix[1], 3), "/api/categories/music?limit=20");
  EXPECT_EQ(mixPath(plan.mix[2], 7), "/static/7");
  // Weights 3 : 1 : 1 over [0, 1).
  EXPECT_EQ(pickClass(plan.mix, 0.0), 0u);
  EXPECT_EQ(pickClass(plan.mix, 0.59), 0u);
  EXPECT_EQ(pickClass(plan.mix, 0.61), 1u);
  EXPECT_EQ(pickClass(plan.mix, 0.81), 2u);
  EXPECT_EQ(pickClass(plan.mix, 0.999999), 2u);
}

TEST(LoadMix, MistakesAtTheirLine) {
  for (const auto& [bad, words] : std::vector<std::pair<std::string, std::string>>{
           {"    - {path: \"/a/{id}/{id}\"}", "exactly one placeholder"},
           {"    - {path: \"/a/{name}\"}", "exactly one placeholder"},
           {"    - {path: \"a/{id}\"}", "must start with '/'"},
           {"    - {path: \"/a/{value}\"}", "needs a list of values"},
           {"    - {path: \"/a/{id}\", values: [x]}", "only with a {value}"},
           {"    - {path: \"/a/{id:0999}\"}", "exactly one placeholder"},
           {"    - {path: \"/a/{id:0x}\"}", "exactly one placeholder"},
           {"    - {path: \"/a/{id:021}\"}", "at most 20 digits"},
           {"    - {path: \"/a/{id}\", weight: 0}", ""}}) {
    std::string yaml = kTopo;
    yaml.replace(yaml.find("    - {path: \"/static/{id}\"}"), 29, bad);
    auto t = geo::loadTopologyString(yaml, "t.yaml");
    ASSERT_FALSE(t.ok()) << bad;
    const std::string all = config::formatErrors(t.errors());
    EXPECT_NE(all.find("t.yaml:11:"), std::string::npos) << bad << "\n" << all;
    EXPECT_NE(all.find(words), std::string::npos) << bad << "\n" << all;
  }
}

TEST(LoadMix, PostWithTheIdInItsBody) {
  std::string topo = kTopo;
  topo += "    - {weight: 1, method: POST, path: /api/orders, body: '{\"productId\": \"p{id:05}\", \"quantity\": 1}', objects: 3000}\n";
  topo += "  per_region_ranking: true\n";
  auto t = geo::loadTopologyString(topo, "t.yaml");
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  EXPECT_TRUE(t->load.perRegionRanking);
  LoadPlan plan = planFromTopology(*t, 100);
  ASSERT_EQ(plan.mix.size(), 4u);
  EXPECT_TRUE(plan.mix[3].post);
  EXPECT_EQ(mixPath(plan.mix[3], 42), "/api/orders");
  EXPECT_EQ(mixBody(plan.mix[3], 42), R"({"productId": "p00042", "quantity": 1})");
  EXPECT_EQ(mixBody(plan.mix[0], 42), "") << "a GET has no body";
}

TEST(LoadMix, BadMethodsAndBodiesNamedAtTheirLine) {
  for (const char* bad : {"    - {method: PUT, path: \"/x/{id}\"}\n", "    - {path: \"/x/{id}\", body: x}\n",
                          "    - {method: POST, path: /orders, body: '{\"a\": 1}'}\n"}) {
    std::string topo = std::string(kTopo) + bad;
    auto t = geo::loadTopologyString(topo, "t.yaml");
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(config::formatErrors(t.errors()).find("t.yaml:12:"), std::string::npos) << config::formatErrors(t.errors());
  }
}

}  // namespace
}  // namespace cdnlab::loadgen

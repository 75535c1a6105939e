// `cdnlab up`'s per-PoP edge-function files: the PoP gets `--edge-functions FILE` (reloadable)
// instead of fixed flags, and the file holds the topology's associations in the shape the PoP's
// own reader (`cdnlab pop --edge-functions`) accepts.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/run/edge_functions_file.h"
#include "bench/run/run_plan.h"
#include "tests/bench/run/plan_test_util.h"
#include "edge/pop/function_sources.h"

namespace cdnlab::bench::run {
namespace {

const char* const kTopo = R"(
origin: {city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.2.1:9000}
pops:
  - {id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: 127.0.3.2:8080, upstream: origin, capacity: 4MiB,
     edge_functions: [{trigger: viewer-request, function: "builtin:normalize-query", path: "/api/*"},
                      {trigger: viewer-response, function: "lambda:stamp"}]}
  - {id: syd, city: Sydney, lat: -33.8688, lon: 151.2093, address: 127.0.3.3:8080, upstream: origin, capacity: 4MiB}
regions:
  - {name: berlin, city: Berlin, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}
catalog: {objects: 10}
lambda: {address: 127.0.4.2:9001}
)";

bool hasFlagNamed(const Component& c, const std::string& flag) {
  return std::find(c.args.begin(), c.args.end(), flag) != c.args.end();
}

TEST(EdgeFunctionsFile, ThePopReadsWhatUpWrites) {
  geo::Topology t = load(kTopo);
  auto text = edgeFunctionsYaml(t.pops[0], "/t/topo.yaml");
  auto parsed = edge::pop::loadEdgeFunctionsString(text, "fra.edge-functions.yaml");
  ASSERT_TRUE(parsed.ok()) << config::formatErrors(parsed.errors()) << "\n" << text;
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].function.spec, "builtin:normalize-query");
  EXPECT_EQ((*parsed)[0].pathPattern, "/api/*");
  EXPECT_EQ((*parsed)[0].trigger, lambda::edge::Trigger::ViewerRequest);
  EXPECT_EQ((*parsed)[1].function.spec, "lambda:stamp");
  EXPECT_EQ((*parsed)[1].pathPattern, "*");
  EXPECT_EQ((*parsed)[1].trigger, lambda::edge::Trigger::ViewerResponse);
}

TEST(EdgeFunctionsFile, WrittenOnlyForPopsWithFunctionsAndPassedAsAFile) {
  geo::Topology t = load(kTopo);
  auto dir = std::filesystem::temp_directory_path() / ("cdnlab-eff-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto files = writeEdgeFunctionFiles(t, "/t/topo.yaml", dir.string());
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ(files->at("fra"), edgeFunctionsPath(dir.string(), "fra"));
  EXPECT_TRUE(std::filesystem::exists(files->at("fra")));
  EXPECT_FALSE(std::filesystem::exists(edgeFunctionsPath(dir.string(), "syd")));
  EXPECT_FALSE(std::filesystem::exists(files->at("fra") + ".tmp"));

  PlanInputs in{"/t/topo.yaml", "/t/topo.yaml", "/t/geo.mmdb", false};
  in.geoDbForPops = "/t/geo.mmdb";
  in.edgeFunctionFiles = *files;
  auto plan = planComponents(t, in);
  const Component& fra = find(plan, "fra");
  EXPECT_TRUE(hasFlag(fra, "--edge-functions", files->at("fra")));
  EXPECT_FALSE(hasFlagNamed(fra, "--edge-function"));
  EXPECT_TRUE(hasFlag(fra, "--lambda-endpoint", "http://127.0.4.2:9001"));  // a reload may add lambda: ones
  EXPECT_TRUE(hasFlag(fra, "--geo-db", "/t/geo.mmdb"));
  const Component& syd = find(plan, "syd");
  EXPECT_FALSE(hasFlagNamed(syd, "--edge-functions"));
  EXPECT_FALSE(hasFlagNamed(syd, "--edge-function"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cdnlab::bench::run

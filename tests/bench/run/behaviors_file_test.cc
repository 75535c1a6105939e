// bench/run/behaviors_file: the per-PoP files `up` writes for `cdnlab pop --behaviors` read back
// with the PoP's own reader, origins resolved from the topology (the gateway with its API path).
#include "bench/run/behaviors_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "edge/pop/behaviors.h"

namespace cdnlab::bench::run {
namespace {

TEST(BehaviorsFile, WrittenFilesReadBackWithTheirOrigins) {
  const std::string dir = std::filesystem::temp_directory_path() / ("cdnlab-bf-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string topoFile = dir + "/topo.yaml";
  std::ofstream(topoFile) << R"(
origin: {city: Ashburn, lat: 39.0, lon: -77.5, address: 127.0.2.1:9000}
pops:
  - {id: shield, city: NY, lat: 40.7, lon: -74.0, address: 127.0.3.1:8080, tier: shield, upstream: gateway, capacity: 8MiB,
     behaviors: &b [{path_pattern: /api/*, name: api, origin: gateway, allowed_methods: all,
                     cache_policy: {max_ttl: 60s, query_strings: [limit]}},
                    {origin: catalog}]}
  - {id: fra, city: Frankfurt, lat: 50.1, lon: 8.7, address: 127.0.3.2:8080, upstream: shield, capacity: 4MiB}
regions:
  - {name: berlin, city: Berlin, lat: 52.5, lon: 13.4, block: 127.10.0.0/16, share: 1}
catalog: {objects: 10}
gateway: {address: 127.0.4.3:4010, apis: [{openapi: api.yaml}]}
)";
  auto topo = geo::loadTopologyFile(topoFile);
  ASSERT_TRUE(topo.ok()) << config::formatErrors(topo.errors());
  auto files = writeBehaviorFiles(*topo, topoFile, dir, "/_api/xyz");
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->size(), 1u);  // fra has none
  auto back = edge::pop::loadBehaviorsFile(files->at("shield"));
  ASSERT_TRUE(back.ok()) << config::formatErrors(back.errors());
  ASSERT_EQ(back->behaviors.size(), 2u);
  EXPECT_EQ(back->behaviors[0].name, "api");
  EXPECT_EQ(back->behaviors[0].upstream.basePath, "/_api/xyz");
  EXPECT_EQ(back->behaviors[0].upstream.port, 4010);
  EXPECT_EQ(back->behaviors[0].cachePolicy.maxTtl, std::chrono::seconds(60));
  EXPECT_EQ(back->behaviors[1].upstream.port, 9000);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cdnlab::bench::run

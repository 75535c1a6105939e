#include "geo/topology.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/geo/test_paths.h"
#include "tests/geo/topology_errors.h"

namespace cdnlab::geo {
namespace {

using testedit::expectError;
using testedit::insertAfter;
using testedit::replaceLine;

// A small valid topology; each error test changes one line of it. Line numbers below refer to
// this text (line 1 = "latency:").
const char* const kBase =
    "latency:\n"                                    // 1
    "  route_inflation: 1.5\n"                      // 2
    "  per_hop_processing: 1ms\n"                   // 3
    "router:\n"                                     // 4
    "  address: 127.0.1.1:8000\n"                   // 5
    "  ttl: 10s\n"                                  // 6
    "  trusted_forwarders: [127.0.0.1]\n"           // 7
    "origin:\n"                                     // 8
    "  city: Ashburn\n"                             // 9
    "  lat: 39.0438\n"                              // 10
    "  lon: -77.4874\n"                             // 11
    "  address: 127.0.2.1:9000\n"                   // 12
    "pops:\n"                                       // 13
    "  - id: shield\n"                              // 14
    "    city: New York\n"                          // 15
    "    lat: 40.7128\n"                            // 16
    "    lon: -74.0060\n"                           // 17
    "    address: 127.0.3.1:8080\n"                 // 18
    "    tier: shield\n"                            // 19
    "    upstream: origin\n"                        // 20
    "    capacity: 8MiB\n"                          // 21
    "  - id: fra\n"                                 // 22
    "    city: Frankfurt\n"                         // 23
    "    lat: 50.1109\n"                            // 24
    "    lon: 8.6821\n"                             // 25
    "    address: 127.0.3.2:8080\n"                 // 26
    "    upstream: shield\n"                        // 27
    "    capacity: 4MiB\n"                          // 28
    "  - id: syd\n"                                 // 29
    "    city: Sydney\n"                            // 30
    "    lat: -33.8688\n"                           // 31
    "    lon: 151.2093\n"                           // 32
    "    address: 127.0.3.3:8080\n"                 // 33
    "    upstream: shield\n"                        // 34
    "    capacity: 4MiB\n"                          // 35
    "regions:\n"                                    // 36
    "  - name: berlin\n"                            // 37
    "    city: Berlin\n"                            // 38
    "    lat: 52.52\n"                              // 39
    "    lon: 13.405\n"                             // 40
    "    block: 127.10.0.0/16\n"                    // 41
    "    share: 3\n"                                // 42
    "  - name: tokyo\n"                             // 43
    "    city: Tokyo\n"                             // 44
    "    lat: 35.6762\n"                            // 45
    "    lon: 139.6503\n"                           // 46
    "    block: 127.11.0.0/16\n"                    // 47
    "    share: 1\n"                                // 48
    "catalog:\n"                                    // 49
    "  objects: 100\n";                             // 50

TEST(Topology, BaseLoads) {
  auto t = loadTopologyString(kBase, "topo.yaml");
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  EXPECT_EQ(t->pops.size(), 3u);
  EXPECT_EQ(t->pops[0].tier, Tier::Shield);
  EXPECT_EQ(t->pops[1].tier, Tier::Edge);  // the default
  EXPECT_EQ(t->pops[1].capacityBytes, 4u << 20);
  EXPECT_EQ(t->pops[1].workers, 1);
  EXPECT_EQ(t->pops[1].policy, "lru");
  EXPECT_EQ(t->pops[1].address.str(), "127.0.3.2:8080");
  EXPECT_DOUBLE_EQ(t->latency.perHopProcessingMs, 1.0);
  EXPECT_DOUBLE_EQ(t->latency.routeInflation, 1.5);
  EXPECT_EQ(t->router.ttl, std::chrono::seconds(10));
  ASSERT_EQ(t->router.trustedForwarders.size(), 1u);
  EXPECT_EQ(t->router.trustedForwarders[0].str(), "127.0.0.1/32");
  // Shares are normalised; rates default to load.rate (200/s) x share.
  EXPECT_DOUBLE_EQ(t->regions[0].share, 0.75);
  EXPECT_DOUBLE_EQ(t->regions[1].rate, 50.0);
  EXPECT_EQ(t->regions[0].block.str(), "127.10.0.0/16");
  EXPECT_EQ(t->upstreamChain("fra"), std::vector<std::string>{"shield"});
  EXPECT_EQ(t->edgePops().size(), 2u);
  EXPECT_TRUE(t->origin.catalogFile.empty());
}

TEST(Topology, UnknownKey) {
  expectError(replaceLine(kBase, 28, "    capacty: 4MiB"), 28, "pops[1].capacty", "unknown");
  expectError(replaceLine(kBase, 2, "  route_inflaton: 1.5"), 2, "latency.route_inflaton", "unknown");
}

TEST(Topology, WrongType) {
  expectError(insertAfter(kBase, 28, "    workers: two\n"), 29, "pops[1].workers", "");
  expectError(replaceLine(kBase, 39, "    lat: north"), 39, "regions[0].lat", "");
  expectError(replaceLine(kBase, 2, "  route_inflation: fast"), 2, "latency.route_inflation", "");
  expectError(replaceLine(kBase, 7, "  trusted_forwarders: {a: 1}"), 7, "router.trusted_forwarders", "");
}

TEST(Topology, MissingField) {
  // The error points at the mapping that lacks the field.
  expectError(replaceLine(kBase, 26, "    city2: x"), 22, "pops[1].address", "missing");
  expectError(replaceLine(kBase, 41, "    share2: 1"), 37, "regions[0].block", "missing");
}

TEST(Topology, ImpossibleValues) {
  expectError(replaceLine(kBase, 28, "    capacity: -4MiB"), 28, "pops[1].capacity", "");
  expectError(replaceLine(kBase, 28, "    capacity: 0"), 28, "pops[1].capacity", "");
  expectError(replaceLine(kBase, 24, "    lat: 95"), 24, "pops[1].lat", "");
  expectError(replaceLine(kBase, 42, "    share: 0"), 42, "regions[0].share", "");
  expectError(insertAfter(kBase, 28, "    workers: 0\n"), 29, "pops[1].workers", "");
  expectError(insertAfter(kBase, 28, "    policy: random\n"), 29, "pops[1].policy", "");
  expectError(replaceLine(kBase, 2, "  route_inflation: 0.5"), 2, "latency.route_inflation", "");
}

TEST(Topology, UpstreamMustExist) {
  expectError(replaceLine(kBase, 27, "    upstream: shield2"), 27, "pops[1].upstream", "no PoP with id \"shield2\"");
  // An edge PoP is not an upstream.
  expectError(replaceLine(kBase, 34, "    upstream: fra"), 34, "pops[2].upstream", "edge PoP");
  expectError(replaceLine(kBase, 20, "    upstream: shield"), 20, "pops[0].upstream", "own upstream");
}

TEST(Topology, UpstreamCycle) {
  // Two shields pointing at each other; the edge PoPs hang off the cycle.
  std::string yaml = replaceLine(kBase, 20, "    upstream: shield-b");
  yaml = insertAfter(yaml, 21,
                     "  - id: shield-b\n"                  // 22
                     "    city: Ashburn\n"
                     "    lat: 39.0\n"
                     "    lon: -77.5\n"
                     "    address: 127.0.3.9:8080\n"
                     "    tier: shield\n"
                     "    upstream: shield\n"            // 28
                     "    capacity: 8MiB\n");
  expectError(yaml, 20, "pops[0].upstream", "cycle of upstreams: shield -> shield-b -> shield");
  expectError(yaml, 28, "pops[1].upstream", "cycle of upstreams: shield-b -> shield -> shield-b");
}

TEST(Topology, OverlappingRegionBlocks) {
  expectError(replaceLine(kBase, 47, "    block: 127.10.128.0/17"), 47, "regions[1].block", "overlaps regions[0]");
  expectError(replaceLine(kBase, 47, "    block: 127.0.0.0/9"), 47, "regions[1].block", "");  // holds them all
}

TEST(Topology, AddressesMustBeLoopback) {
  expectError(replaceLine(kBase, 26, "    address: 10.0.3.2:8080"), 26, "pops[1].address", "127.0.0.0/8");
  expectError(replaceLine(kBase, 12, "  address: 192.168.1.1:9000"), 12, "origin.address", "127.0.0.0/8");
  expectError(replaceLine(kBase, 41, "    block: 10.10.0.0/16"), 41, "regions[0].block", "127.0.0.0/8");
  expectError(replaceLine(kBase, 41, "    block: 127.10.0.1/16"), 41, "regions[0].block", "host bits");
  expectError(replaceLine(kBase, 47, "    block: 127.0.0.0/16"), 47, "regions[1].block", "contains the address");
}

TEST(Topology, DuplicatesAndListeners) {
  expectError(replaceLine(kBase, 29, "  - id: fra"), 29, "pops[2].id", "duplicate PoP id");
  expectError(replaceLine(kBase, 33, "    address: 127.0.3.2:8080"), 33, "pops[2].address", "already used by PoP fra");
  expectError(replaceLine(kBase, 43, "  - name: berlin"), 43, "regions[1].name", "duplicate region");
}

TEST(Topology, OriginNeedsACatalog) {
  std::string yaml = kBase;
  yaml = yaml.substr(0, yaml.find("catalog:"));
  expectError(yaml, 9, "origin.catalog", "no catalog");  // the line where origin's mapping starts
  auto withFile = loadTopologyString(insertAfter(yaml, 12, "  catalog: catalog.yaml\n"), "topo.yaml");
  EXPECT_TRUE(withFile.ok()) << config::formatErrors(withFile.errors());
}

TEST(Topology, ReportsEveryErrorAtOnce) {
  std::string yaml = replaceLine(kBase, 28, "    capacity: -1");
  yaml = replaceLine(yaml, 27, "    upstream: nowhere");
  auto t = loadTopologyString(yaml, "topo.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_GE(t.errors().size(), 2u);
}

TEST(Topology, ErrorsFromAFileNameTheFile) {
  const std::string path = testpaths::tempPath("bad.yaml");
  std::ofstream(path) << replaceLine(kBase, 27, "    upstream: nowhere");
  auto t = loadTopologyFile(path);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(config::formatErrors(t.errors()).find(path + ":27:"), std::string::npos) << config::formatErrors(t.errors());
  std::remove(path.c_str());
  auto missing = loadTopologyFile("/nonexistent/topo.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.errors()[0].file, "/nonexistent/topo.yaml");
}

// Every topology in configs/ loads (files without a `pops:` section are not topologies).
TEST(Topology, EveryConfigFileLoads) {
  const std::string dir = testpaths::repoRoot() + "/configs";
  DIR* d = opendir(dir.c_str());
  ASSERT_NE(d, nullptr) << dir;
  int loaded = 0;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() < 6 || name.substr(name.size() - 5) != ".yaml") continue;
    std::ifstream in(dir + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("\npops:") == std::string::npos && text.str().rfind("pops:", 0) != 0) continue;
    auto t = loadTopologyFile(dir + "/" + name);
    EXPECT_TRUE(t.ok()) << name << ":\n" << (t.ok() ? "" : config::formatErrors(t.errors()));
    ++loaded;
  }
  closedir(d);
  EXPECT_GE(loaded, 1);
}

TEST(Topology, DefaultTopologyShape) {
  auto t = loadTopologyFile(testpaths::repoRoot() + "/configs/catalog.yaml");
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  EXPECT_GE(t->edgePops().size(), 6u);
  int shields = 0;
  for (const auto& p : t->pops) {
    shields += p.tier == Tier::Shield;
    EXPECT_EQ(p.workers, 1) << p.id;
    EXPECT_LE(p.capacityBytes, 256u << 20) << p.id;
  }
  EXPECT_EQ(shields, 1);
  for (const auto* p : t->edgePops()) EXPECT_EQ(t->upstreamChain(p->id).size(), 1u) << p->id;
  EXPECT_GE(t->regions.size(), 6u);
  double sum = 0;
  for (const auto& r : t->regions) sum += r.share;
  EXPECT_NEAR(sum, 1.0, 1e-9);
  // The shield sits near the origin.
  const PopSpec* shield = nullptr;
  for (const auto& p : t->pops)
    if (p.tier == Tier::Shield) shield = &p;
  ASSERT_NE(shield, nullptr);
  EXPECT_LT(greatCircleKm(shield->location, t->origin.location), 1000);

  // Latency magnitudes the demo should show: Berlin hits at Frankfurt in a few ms, Sydney's
  // clients far away from the origin pay ~200 ms more on a miss than on a hit.
  LatencyModel m(t->latency);
  const GeoPoint berlin = t->findRegion("berlin")->location;
  auto path = t->missPath(berlin, "fra");
  ASSERT_EQ(path.size(), 4u);  // client, fra, shield-nyc, origin
  EXPECT_LT(m.pathMs(std::span(path).first(2)), 15);  // calibrated: ~11 ms measured Berlin - Frankfurt
  EXPECT_GT(m.pathMs(path), 90);
  auto syd = t->missPath(t->findRegion("sydney")->location, "syd");
  EXPECT_GT(m.pathMs(syd) - m.pathMs(std::span(syd).first(2)), 200);
}

}  // namespace
}  // namespace cdnlab::geo

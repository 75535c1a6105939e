// The application sections of a topology (store, lambda, functions, gateway; geo/topology_app.h):
// what they read, and every mistake reported at file:line with the field.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "geo/topology.h"
#include "tests/geo/test_paths.h"
#include "tests/geo/topology_errors.h"

namespace cdnlab::geo {
namespace {

using testedit::expectError;
using testedit::replaceLine;

// A minimal topology (lines 1-21) followed by the application (line 22 on).
const char* const kApp =
    "origin: {city: Ashburn, lat: 39.0, lon: -77.5, address: 127.0.2.1:9000}\n"        // 1
    "pops:\n"                                                                           // 2
    "  - {id: shield, city: NY, lat: 40.7, lon: -74.0, address: 127.0.3.1:8080,\n"     // 3
    "     tier: shield, upstream: gateway, capacity: 8MiB}\n"                          // 4
    "  - {id: fra, city: Frankfurt, lat: 50.1, lon: 8.7, address: 127.0.3.2:8080,\n"   // 5
    "     upstream: shield, capacity: 4MiB, edge_functions: [\n"                       // 6
    "       {trigger: viewer-request, function: \"builtin:normalize-query\", path: \"/api/*\"},\n"  // 7
    "       {trigger: origin-response, function: \"lambda:headers\"}]}\n"              // 8
    "regions:\n"                                                                        // 9
    "  - {name: berlin, city: Berlin, lat: 52.5, lon: 13.4, block: 127.10.0.0/16, share: 1}\n"  // 10
    "catalog: {objects: 10}\n"                                                          // 11
    "store:\n"                                                                          // 12
    "  address: 127.0.4.1:8000\n"                                                       // 13
    "  tables:\n"                                                                       // 14
    "    - name: products\n"                                                            // 15
    "      key: {partition: id}\n"                                                      // 16
    "      attributes: {id: S, category: S, rank: N}\n"                                 // 17
    "      indexes:\n"                                                                  // 18
    "        - {name: by-category, key: {partition: category, sort: rank}}\n"           // 19
    "      seed: [shop/products.csv]\n"                                                 // 20
    "lambda: {address: 127.0.4.2:9001}\n"                                               // 21
    "functions:\n"                                                                      // 22
    "  - name: get-product\n"                                                           // 23
    "    runtime: nodejs20.x\n"                                                         // 24
    "    handler: index.handler\n"                                                      // 25
    "    code: shop/functions/get-product\n"                                            // 26
    "    memory: 256\n"                                                                 // 27
    "    timeout: 5s\n"                                                                 // 28
    "    reserved_concurrency: 10\n"                                                    // 29
    "    provisioned_concurrency: 2\n"                                                  // 30
    "    environment: {TABLE: products}\n"                                              // 31
    "    native_handler: shop.so:get-product\n"                                         // 32
    "gateway:\n"                                                                        // 33
    "  address: 127.0.4.3:4010\n"                                                       // 34
    "  apis:\n"                                                                         // 35
    "    - {openapi: shop/openapi.yaml}\n";                                             // 36

TEST(TopologyApp, Loads) {
  auto t = loadTopologyString(kApp, "topo.yaml");
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  ASSERT_TRUE(t->app.store);
  EXPECT_EQ(t->app.store->address.str(), "127.0.4.1:8000");
  ASSERT_EQ(t->app.store->tables.size(), 1u);
  const TableSpec& products = t->app.store->tables[0];
  EXPECT_EQ(products.key.partition, "id");
  EXPECT_EQ(products.attributes.at("rank"), "N");
  ASSERT_EQ(products.indexes.size(), 1u);
  EXPECT_EQ(products.indexes[0].key.sort, "rank");
  EXPECT_EQ(products.indexes[0].projection, "ALL");
  EXPECT_EQ(products.seed, std::vector<std::string>{"shop/products.csv"});
  ASSERT_EQ(t->app.functions.size(), 1u);
  const FunctionSpec& f = t->app.functions[0];
  EXPECT_EQ(f.memoryMb, 256);
  EXPECT_EQ(f.timeoutS, 5);
  EXPECT_EQ(f.reservedConcurrency, 10);
  EXPECT_EQ(f.provisionedConcurrency, 2);
  EXPECT_EQ(f.environment.at("TABLE"), "products");
  EXPECT_EQ(f.nativeHandler, "shop.so:get-product");
  ASSERT_TRUE(t->app.gateway);
  EXPECT_EQ(t->app.gateway->apis[0].stage, "$default");
  // PoPs: upstream gateway ends the chain; edge functions in file order.
  EXPECT_TRUE(t->upstreamChain("shield").empty());
  EXPECT_EQ(t->upstreamChain("fra"), std::vector<std::string>{"shield"});
  ASSERT_EQ(t->pops[1].edgeFunctions.size(), 2u);
  EXPECT_EQ(t->pops[1].edgeFunctions[0].path, "/api/*");
  EXPECT_EQ(t->pops[1].edgeFunctions[1].path, "*");
  EXPECT_EQ(t->pops[1].edgeFunctions[1].function, "lambda:headers");
}

TEST(TopologyApp, StoreMistakes) {
  expectError(replaceLine(kApp, 16, "      key: {partition: sku}"), 16, "store.tables[0].key", "\"sku\" is not declared");
  expectError(replaceLine(kApp, 17, "      attributes: {id: S, category: S, rank: X}"), 17, "store.tables[0].attributes.rank", "");
  expectError(replaceLine(kApp, 17, "      attributes: {id: S, category: S, rank: N, price: N}"), 17,
              "store.tables[0].attributes", "\"price\" is not part of any key");
  expectError(replaceLine(kApp, 15, "    - name: p"), 15, "store.tables[0].name", "3-255 characters");
  expectError(replaceLine(kApp, 20, "      seed: [products.txt]"), 20, "store.tables[0].seed", ".json or .csv");
  expectError(replaceLine(kApp, 19, "        - {name: by-category, key: {partition: category, sort: rank}, projection: SOME}"), 19,
              "store.tables[0].indexes[0].projection", "");
  expectError(replaceLine(kApp, 13, "  address: 10.0.0.1:8000"), 13, "store.address", "127.0.0.0/8");
  expectError(replaceLine(kApp, 13, "  address: 127.0.3.1:8080"), 13, "store", "already used by PoP shield");
}

TEST(TopologyApp, FunctionMistakes) {
  expectError(replaceLine(kApp, 24, "    runtime: cobol"), 24, "functions[0].runtime", "unknown runtime");
  expectError(replaceLine(kApp, 27, "    memory: 64"), 27, "functions[0].memory", "");
  expectError(replaceLine(kApp, 28, "    timeout: 1500ms"), 28, "functions[0].timeout", "whole seconds");
  expectError(replaceLine(kApp, 28, "    timeout: 20m"), 28, "functions[0].timeout", "");
  expectError(replaceLine(kApp, 30, "    provisioned_concurrency: 11"), 30, "functions[0].provisioned_concurrency",
              "must not exceed reserved_concurrency");
  expectError(replaceLine(kApp, 31, "    environment: {1TABLE: products}"), 31, "functions[0].environment.1TABLE", "");
  expectError(replaceLine(kApp, 23, "  - name: get product"), 23, "functions[0].name", "1-64 characters");
  expectError(replaceLine(kApp, 26, "    cod: x"), 26, "functions[0].cod", "unknown");
  // Functions without a Lambda service.
  expectError(replaceLine(kApp, 21, "x: 1"), 21, "x", "unknown");
  auto t = loadTopologyString(replaceLine(kApp, 21, ""), "topo.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(config::formatErrors(t.errors()).find("functions need a `lambda:` section"), std::string::npos);
}

TEST(TopologyApp, GatewayAndPopMistakes) {
  expectError(replaceLine(kApp, 36, "    - {openapi: shop/openapi.yaml, stage: 'a b'}"), 36, "gateway.apis[0].stage", "");
  expectError(replaceLine(kApp, 7, "       {trigger: viewer-request, function: \"wasm:x\", path: \"/api/*\"},"), 7,
              "pops[1].edge_functions[0].function", "builtin:NAME");
  expectError(replaceLine(kApp, 7, "       {trigger: at-origin, function: \"builtin:x\"},"), 7, "pops[1].edge_functions[0].trigger", "");
  // `upstream: gateway` needs a gateway section.
  std::string noGateway = kApp;
  noGateway = noGateway.substr(0, noGateway.find("gateway:\n"));
  expectError(noGateway, 4, "pops[0].upstream", "needs a `gateway:` section");
  // A PoP cannot take a component's name.
  expectError(replaceLine(kApp, 5, "  - {id: store, city: Frankfurt, lat: 50.1, lon: 8.7, address: 127.0.3.2:8080,"), 5,
              "pops[1].id", "reserved");
}

TEST(TopologyApp, ShopTopologyLoads) {
  auto t = loadTopologyFile(testpaths::repoRoot() + "/configs/shop.yaml");
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  EXPECT_EQ(t->app.functions.size(), 3u);
  EXPECT_EQ(t->app.store->tables.size(), 2u);
  EXPECT_EQ(t->findPop("fra")->edgeFunctions.size(), 3u);
  EXPECT_EQ(t->findPop("syd")->edgeFunctions.size(), 3u);
}

}  // namespace
}  // namespace cdnlab::geo

namespace cdnlab::geo {
namespace {

// Behaviors on a PoP (docs/behaviors.md): checked by the PoP's reader at load, origins named by
// the topology's services and shields.
const char* const kBehaviors =
    "origin: {city: Ashburn, lat: 39.0, lon: -77.5, address: 127.0.2.1:9000}\n"        // 1
    "pops:\n"                                                                           // 2
    "  - {id: shield, city: NY, lat: 40.7, lon: -74.0, address: 127.0.3.1:8080,\n"     // 3
    "     tier: shield, upstream: gateway, capacity: 8MiB}\n"                          // 4
    "  - id: fra\n"                                                                     // 5
    "    city: Frankfurt\n"                                                             // 6
    "    lat: 50.1\n"                                                                   // 7
    "    lon: 8.7\n"                                                                    // 8
    "    address: 127.0.3.2:8080\n"                                                     // 9
    "    upstream: shield\n"                                                            // 10
    "    capacity: 4MiB\n"                                                              // 11
    "    behaviors:\n"                                                                  // 12
    "      - {path_pattern: /api/*, name: api, origin: gateway, cache_policy: {max_ttl: 60s}}\n"  // 13
    "      - {path_pattern: /static/*, origin: catalog}\n"                              // 14
    "      - {origin: shield}\n"                                                        // 15
    "regions:\n"                                                                        // 16
    "  - {name: berlin, city: Berlin, lat: 52.5, lon: 13.4, block: 127.10.0.0/16, share: 1}\n"  // 17
    "catalog: {objects: 10}\n"                                                          // 18
    "gateway: {address: 127.0.4.3:4010, apis: [{openapi: api.yaml}]}\n";                // 19

TEST(TopologyBehaviors, LoadsWithNames) {
  auto t = loadTopologyString(kBehaviors, "topo.yaml");
  ASSERT_TRUE(t.ok()) << config::formatErrors(t.errors());
  ASSERT_EQ(t->pops[1].behaviorNames.size(), 3u);
  EXPECT_EQ(t->pops[1].behaviorNames[0], "api");
  EXPECT_TRUE(t->pops[0].behaviorNames.empty());
  auto origins = behaviorOrigins(*t, "fra", "/_api/abc");
  ASSERT_EQ(origins.size(), 3u);
  EXPECT_EQ(origins[0], (std::pair<std::string, std::string>{"gateway", "http://127.0.4.3:4010/_api/abc"}));
  EXPECT_EQ(origins[1], (std::pair<std::string, std::string>{"catalog", "http://127.0.2.1:9000"}));
  EXPECT_EQ(origins[2], (std::pair<std::string, std::string>{"shield", "http://127.0.3.1:8080"}));
  EXPECT_EQ(behaviorOrigins(*t, "shield").size(), 2u);  // not itself
}

TEST(TopologyBehaviors, MistakesAtTheirLine) {
  auto bad = std::string(kBehaviors);
  bad.replace(bad.find("origin: catalog}"), 16, "origin: nowhere}");
  auto t = loadTopologyString(bad, "topo.yaml");
  ASSERT_FALSE(t.ok());
  bool found = false;
  for (const auto& e : t.errors()) found |= e.line == 14 && e.field.find("pops[1].behaviors[1].origin") == 0;
  EXPECT_TRUE(found) << config::formatErrors(t.errors());
  auto unknownKey = std::string(kBehaviors);
  unknownKey.replace(unknownKey.find("{max_ttl: 60s}"), 14, "{max_tl: 60s}");
  auto u = loadTopologyString(unknownKey, "topo.yaml");
  ASSERT_FALSE(u.ok());
  EXPECT_NE(config::formatErrors(u.errors()).find("topo.yaml:13:"), std::string::npos) << config::formatErrors(u.errors());
}

}  // namespace
}  // namespace cdnlab::geo

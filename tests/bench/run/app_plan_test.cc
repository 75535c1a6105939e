// `cdnlab up` with an application tier: the store, the Lambda service and the gateway start
// before every PoP in dependency order, each pointed at the next; PoPs with `upstream: gateway`
// fetch from the deployed API's path; edge functions become --edge-function flags.
#include <gtest/gtest.h>

#include <algorithm>

#include "bench/run/deploy.h"
#include "bench/run/run_plan.h"
#include "tests/bench/run/plan_test_util.h"

namespace cdnlab::bench::run {
namespace {

const char* const kTopo = R"(
origin: {city: Ashburn, lat: 39.0438, lon: -77.4874, address: 127.0.2.1:9000}
pops:
  - {id: shield, city: New York, lat: 40.7128, lon: -74.0060, address: 127.0.3.1:8080, tier: shield,
     upstream: gateway, capacity: 8MiB}
  - {id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: 127.0.3.2:8080, upstream: shield, capacity: 4MiB,
     edge_functions: [{trigger: viewer-request, function: "builtin:normalize-query", path: "/api/*"},
                      {trigger: viewer-response, function: "lambda:stamp"}]}
regions:
  - {name: berlin, city: Berlin, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}
catalog: {objects: 10}
store: {address: 127.0.4.1:8000, tables: [{name: items, key: {partition: id}, attributes: {id: S}}]}
lambda: {address: 127.0.4.2:9001}
functions:
  - {name: get-item, runtime: nodejs20.x, handler: index.handler, code: fn, native_handler: "lib.so:get-item"}
  - {name: native-one, runtime: cdnlab-native, handler: echo}
gateway: {address: 127.0.4.3:4010, apis: [{openapi: api.yaml, stage: prod}]}
)";

TEST(AppPlan, DependencyOrderAndWiring) {
  geo::Topology t = load(kTopo);
  PlanInputs in{"/t/topo.yaml", "/t/topo.yaml", "/t/geo.mmdb", false};
  in.dataDir = "/run/x";
  in.gatewayPathPrefix = gatewayPathPrefix("abc123", "prod");
  in.geoDbForPops = "/t/geo.mmdb";
  auto plan = planComponents(t, in);
  EXPECT_EQ(applicationWaves(t), 2);
  EXPECT_EQ(find(plan, "store").wave, 0);
  EXPECT_EQ(find(plan, "lambda").wave, 1);
  EXPECT_EQ(find(plan, "gateway").wave, 2);
  EXPECT_EQ(find(plan, "shield").wave, 3);
  EXPECT_EQ(find(plan, "fra").wave, 4);
  EXPECT_EQ(find(plan, "router").wave, 5);
  for (size_t i = 1; i < plan.size(); ++i) EXPECT_LE(plan[i - 1].wave, plan[i].wave);

  EXPECT_TRUE(hasFlag(find(plan, "store"), "--data", "/run/x/store"));
  const Component& lambda = find(plan, "lambda");
  EXPECT_TRUE(hasFlag(lambda, "--store-endpoint", "http://127.0.4.1:8000"));
  EXPECT_NE(std::find(lambda.env.begin(), lambda.env.end(), "AWS_ENDPOINT_URL_DYNAMODB=http://127.0.4.1:8000"),
            lambda.env.end());
  EXPECT_TRUE(hasFlag(find(plan, "gateway"), "--lambda-endpoint", "http://127.0.4.2:9001"));
  EXPECT_TRUE(hasFlag(find(plan, "shield"), "--upstream", "http://127.0.4.3:4010/_api/abc123/prod"));
  const Component& fra = find(plan, "fra");
  EXPECT_TRUE(hasFlag(fra, "--edge-function", "viewer-request=builtin:normalize-query@/api/*"));
  EXPECT_TRUE(hasFlag(fra, "--edge-function", "viewer-response=lambda:stamp"));
  EXPECT_TRUE(hasFlag(fra, "--lambda-endpoint", "http://127.0.4.2:9001"));
  EXPECT_TRUE(hasFlag(fra, "--geo-db", "/t/geo.mmdb"));
  EXPECT_FALSE(hasFlag(find(plan, "shield"), "--geo-db", "/t/geo.mmdb"));  // no edge functions there
}

TEST(AppPlan, RuntimeChoice) {
  geo::Topology t = load(kTopo);
  const geo::FunctionSpec& node = t.app.functions[0];
  EXPECT_EQ(chooseRuntime(node, RuntimeChoice::Auto, true).runtime, "nodejs20.x");
  auto fallback = chooseRuntime(node, RuntimeChoice::Auto, false);
  EXPECT_EQ(fallback.runtime, "cdnlab-native");
  EXPECT_EQ(fallback.handler, "lib.so:get-item");
  EXPECT_TRUE(fallback.native);
  EXPECT_EQ(chooseRuntime(node, RuntimeChoice::Native, true).runtime, "cdnlab-native");
  EXPECT_EQ(chooseRuntime(node, RuntimeChoice::AsWritten, false).runtime, "nodejs20.x");
  // A native function stays itself; one without a native version keeps its runtime.
  EXPECT_EQ(chooseRuntime(t.app.functions[1], RuntimeChoice::Native, true).handler, "echo");
  geo::FunctionSpec noNative = node;
  noNative.nativeHandler.clear();
  EXPECT_EQ(chooseRuntime(noNative, RuntimeChoice::Native, false).runtime, "nodejs20.x");
}

TEST(AppPlan, EndpointSubstitution) {
  geo::Topology t = load(kTopo);
  EXPECT_EQ(substituteEndpoints("uri: ${cdnlab.origin}/obj/{proxy} ${cdnlab.store} ${cdnlab.lambda} ${cdnlab.origin}", t),
            "uri: http://127.0.2.1:9000/obj/{proxy} http://127.0.4.1:8000 http://127.0.4.2:9001 http://127.0.2.1:9000");
  EXPECT_EQ(gatewayPathPrefix("abc", "$default"), "/_api/abc");
}

}  // namespace
}  // namespace cdnlab::bench::run

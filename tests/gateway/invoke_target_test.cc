// Invoke target (Host form, /_api path form) and stage selection ($default vs named stages).
#include "gateway/routing/invoke_target.h"

#include <gtest/gtest.h>

namespace cdnlab::gateway {
namespace {

TEST(InvokeTarget, HostForm) {
  InvokeTarget t;
  ASSERT_TRUE(invokeTargetOf("abc123.execute-api.localhost:4010", "/prod/items", t));
  EXPECT_EQ(t.apiId, "abc123");
  EXPECT_EQ(t.path, "/prod/items");
  EXPECT_EQ(t.domainName, "abc123.execute-api.localhost");
}

TEST(InvokeTarget, PathForm) {
  InvokeTarget t;
  ASSERT_TRUE(invokeTargetOf("127.0.0.1:4010", "/_api/abc123/prod/items", t));
  EXPECT_EQ(t.apiId, "abc123");
  EXPECT_EQ(t.path, "/prod/items");
  ASSERT_TRUE(invokeTargetOf("127.0.0.1:4010", "/_api/abc123", t));
  EXPECT_EQ(t.path, "/");
  EXPECT_FALSE(invokeTargetOf("127.0.0.1:4010", "/v2/apis", t));
  EXPECT_FALSE(invokeTargetOf("127.0.0.1:4010", "/_api/", t));
}

TEST(InvokeTarget, StageSelection) {
  CompiledApi api;
  api.stages.emplace("prod", CompiledStage{"prod", {}, *RouteTable::build({}), {}, nullptr, "", nullptr});
  auto s = selectStage(api, "/prod/items/7");
  ASSERT_NE(s.stage, nullptr);
  EXPECT_EQ(s.stage->name, "prod");
  EXPECT_EQ(s.stagePath, "/items/7");
  EXPECT_EQ(selectStage(api, "/other/x").stage, nullptr);
  api.stages.emplace("$default", CompiledStage{"$default", {}, *RouteTable::build({}), {}, nullptr, "", nullptr});
  api.hasDefaultStage = true;
  s = selectStage(api, "/other/x");
  ASSERT_NE(s.stage, nullptr);
  EXPECT_EQ(s.stage->name, "$default");
  EXPECT_EQ(s.stagePath, "/other/x");
  EXPECT_EQ(selectStage(api, "/prod").stagePath, "/");
}

}  // namespace
}  // namespace cdnlab::gateway

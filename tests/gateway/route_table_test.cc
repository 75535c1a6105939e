// RouteTable: parsing route keys, AWS's precedence (literal > {param} > {proxy+} > $default,
// named method > ANY), greedy matching, conflicts.
#include "gateway/routing/route_table.h"

#include <gtest/gtest.h>

namespace cdnlab::gateway {
namespace {

RouteTable table(const std::vector<std::string>& keys) {
  auto t = RouteTable::build(keys);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return std::move(*t);
}

TEST(RouteKey, ParsesLiteralsParamsAndGreedy) {
  auto k = parseRouteKey("GET /pets/{id}/toys/{proxy+}");
  ASSERT_TRUE(k.ok());
  ASSERT_EQ(k->segments.size(), 4u);
  EXPECT_EQ(k->segments[1].kind, RouteKey::SegmentKind::Param);
  EXPECT_EQ(k->segments[1].text, "id");
  EXPECT_EQ(k->segments[3].kind, RouteKey::SegmentKind::Greedy);
  EXPECT_EQ(k->segments[3].text, "proxy");
  EXPECT_TRUE(parseRouteKey("$default")->isDefault);
}

TEST(RouteKey, RefusesBadKeysWithReason) {
  for (const char* bad : {"GET", "FETCH /a", "GET a", "GET /{proxy+}/x", "GET /a{b}", "GET /{id}/{id}", "GET /{}", "GET /a//b"}) {
    auto k = parseRouteKey(bad);
    EXPECT_FALSE(k.ok()) << bad;
    if (!k.ok()) {
      EXPECT_NE(k.error().message.find(bad), std::string::npos) << k.error().message;
    }
  }
}

TEST(RouteTable, MostSpecificFirst) {
  // AWS's example order: GET /pets/dog/1 > GET /pets/dog/{id} > GET /pets/{proxy+} > ANY /{proxy+} > $default.
  auto t = table({"$default", "ANY /{proxy+}", "GET /pets/{proxy+}", "GET /pets/dog/{id}", "GET /pets/dog/1"});
  EXPECT_EQ(t.match("GET", "/pets/dog/1").index, 4);
  EXPECT_EQ(t.match("GET", "/pets/dog/2").index, 3);
  EXPECT_EQ(t.match("GET", "/pets/cat/2").index, 2);
  EXPECT_EQ(t.match("POST", "/pets/dog/1").index, 1);
  EXPECT_EQ(t.match("GET", "/").index, 0);  // a greedy variable needs at least one segment
}

TEST(RouteTable, NamedMethodBeatsAny) {
  auto t = table({"ANY /items", "GET /items"});
  EXPECT_EQ(t.match("GET", "/items").index, 1);
  EXPECT_EQ(t.match("DELETE", "/items").index, 0);
}

TEST(RouteTable, PathParametersDecoded) {
  auto t = table({"GET /items/{id}", "GET /files/{proxy+}"});
  auto m = t.match("GET", "/items/a%20b");
  ASSERT_EQ(m.index, 0);
  ASSERT_EQ(m.pathParameters.size(), 1u);
  EXPECT_EQ(m.pathParameters[0].first, "id");
  EXPECT_EQ(m.pathParameters[0].second, "a b");
  m = t.match("GET", "/files/a/b/c.txt");
  ASSERT_EQ(m.index, 1);
  EXPECT_EQ(m.pathParameters[0].second, "a/b/c.txt");
}

TEST(RouteTable, NoMatchWithoutDefault) {
  auto t = table({"GET /items/{id}"});
  EXPECT_EQ(t.match("GET", "/items").index, -1);
  EXPECT_EQ(t.match("GET", "/items/1/2").index, -1);
  EXPECT_EQ(t.match("POST", "/items/1").index, -1);
  EXPECT_EQ(t.match("GET", "/items/1/").index, 0);  // a trailing slash names the same resource
}

TEST(RouteTable, ConflictNamesBothRoutes) {
  auto t = RouteTable::build({"GET /items/{id}", "GET /items/{name}"});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, 409);
  EXPECT_NE(t.error().message.find("GET /items/{name}"), std::string::npos);
  EXPECT_NE(t.error().message.find("GET /items/{id}"), std::string::npos);
  EXPECT_TRUE(RouteTable::build({"GET /items/{id}", "POST /items/{id}"}).ok());
}

}  // namespace
}  // namespace cdnlab::gateway

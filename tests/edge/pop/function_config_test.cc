// --edge-function parsing and CloudFront path patterns.
#include <gtest/gtest.h>

#include <string>

#include "edge/pop/function_config.h"

namespace cdnlab::edge::pop {
namespace {

TEST(EdgeFunctionFlag, ParsesTriggerKindNameAndPattern) {
  auto a = parseEdgeFunctionFlag("origin-response=builtin:security-headers@/static/*");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->trigger, lambda::edge::Trigger::OriginResponse);
  EXPECT_EQ(a->function.kind, EdgeFunctionRef::Kind::Native);
  EXPECT_EQ(a->function.name, "security-headers");
  EXPECT_EQ(a->pathPattern, "/static/*");

  auto l = parseEdgeFunctionFlag("viewer-request=lambda:arn:aws:lambda:us-east-1:000000000000:function:auth:3");
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->function.kind, EdgeFunctionRef::Kind::Lambda);
  EXPECT_EQ(l->function.name, "arn:aws:lambda:us-east-1:000000000000:function:auth:3");
  EXPECT_EQ(l->pathPattern, "*");
}

TEST(EdgeFunctionFlag, ErrorsNameThePart) {
  auto msg = [](const char* text) {
    auto r = parseEdgeFunctionFlag(text);
    return r.ok() ? std::string("ok") : r.error().message;
  };
  EXPECT_NE(msg("viewer-request").find("missing '='"), std::string::npos);
  EXPECT_NE(msg("viewer_request=builtin:x").find("unknown trigger"), std::string::npos);
  EXPECT_NE(msg("viewer-request=python:x").find("unknown function kind"), std::string::npos);
  EXPECT_NE(msg("viewer-request=builtin:").find("empty function name"), std::string::npos);
  EXPECT_NE(msg("viewer-request=builtin:x@").find("empty path pattern"), std::string::npos);
  EXPECT_NE(msg("viewer-request=builtin:a/b").find("character outside"), std::string::npos);
}

TEST(PathPattern, CloudFrontWildcards) {
  EXPECT_TRUE(pathPatternMatches("*", "/anything/at/all"));
  EXPECT_TRUE(pathPatternMatches("/images/*.jpg", "/images/a/b.jpg"));
  EXPECT_FALSE(pathPatternMatches("/images/*.jpg", "/images/a.png"));
  EXPECT_TRUE(pathPatternMatches("/obj/?", "/obj/1"));
  EXPECT_FALSE(pathPatternMatches("/obj/?", "/obj/12"));
  EXPECT_TRUE(pathPatternMatches("/obj/1", "/obj/1"));
  EXPECT_FALSE(pathPatternMatches("/obj/1", "/obj/10"));
  EXPECT_FALSE(pathPatternMatches("/OBJ/*", "/obj/1"));  // case-sensitive, like CloudFront
  // A hostile path against a many-star pattern finishes (no exponential backtracking).
  EXPECT_FALSE(pathPatternMatches("*a*a*a*a*a*a*a*b", std::string(20000, 'a')));
}

}  // namespace
}  // namespace cdnlab::edge::pop

// Lambda (REQUEST) authorizers, pure part: identity sources, route ARNs, the authorizer events of
// payload 2.0 and 1.0, reading simple and IAM-policy answers, policy matching, the result cache.
#include "gateway/auth/lambda_authorizer.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "gateway/auth/authorizer_cache.h"

namespace cdnlab::gateway {
namespace {

ProxyRequest sampleRequest(const http::Headers& h, const StringMap& vars) {
  ProxyRequest p;
  p.method = "GET";
  p.rawPath = "/prod/items/7";
  p.rawQuery = "user=ann&user=bob";
  p.headers = &h;
  p.body = "secret body";
  p.sourceIp = "127.0.0.1";
  p.apiId = "abc123";
  p.domainName = "abc123.execute-api.localhost";
  p.domainPrefix = "abc123";
  p.stage = "prod";
  p.routeKey = "GET /items/{id}";
  p.routeId = "r1";
  p.resourcePath = "/items/{id}";
  p.requestId = "req";
  p.timeEpochMs = 1700000000000;
  p.pathParameters = {{"id", "7"}};
  p.stageVariables = &vars;
  return p;
}

TEST(LambdaAuthorizer, IdentitySourcesReadHeadersQueryStageVariablesAndContext) {
  http::Headers h;
  h.add("Authorization", "tok");
  h.add("X-Multi", "a");
  h.add("x-multi", "b");
  StringMap vars{{"tenant", "t1"}};
  IdentityInputs in{&h, "user=ann&x=1&user=bob", &vars, [](std::string_view n) { return n == "stage" ? "prod" : ""; }};
  auto v = resolveIdentitySources({"$request.header.authorization", "$request.querystring.user", "$request.header.X-Multi",
                                   "$stageVariables.tenant", "$context.stage"},
                                  in);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, (std::vector<std::string>{"tok", "ann,bob", "a,b", "t1", "prod"}));
  EXPECT_FALSE(resolveIdentitySources({"$request.header.missing"}, in));
  EXPECT_FALSE(resolveIdentitySources({"$request.querystring.nope"}, in));
  EXPECT_FALSE(resolveIdentitySources({"$stageVariables.none"}, in));
  IdentityInputs emptyValue{&h, "user=", &vars, nullptr};
  EXPECT_FALSE(resolveIdentitySources({"$request.querystring.user"}, emptyValue));
  auto none = resolveIdentitySources({}, in);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(LambdaAuthorizer, RouteArn) {
  EXPECT_EQ(routeArnOf("us-east-1", "123456789012", "abc123", "prod", "GET", "/items/7"),
            "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/7");
  EXPECT_EQ(routeArnOf("us-east-1", "1", "a", "$default", "POST", ""), "arn:aws:execute-api:us-east-1:1:a/$default/POST/");
}

TEST(LambdaAuthorizer, EventV2HasTypeRouteArnIdentityAndNoBody) {
  http::Headers h;
  h.add("Authorization", "tok");
  h.add("Cookie", "c=1");
  StringMap vars{{"tenant", "t1"}};
  std::string e = buildAuthorizerEventV2(sampleRequest(h, vars), "arn:x", {"tok"});
  rapidjson::Document d;
  d.Parse(e.c_str());
  ASSERT_TRUE(d.IsObject()) << e;
  std::vector<std::string> names;
  for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) names.emplace_back(it->name.GetString());
  EXPECT_EQ(names, (std::vector<std::string>{"version", "type", "routeArn", "identitySource", "routeKey", "rawPath",
                                             "rawQueryString", "cookies", "headers", "queryStringParameters",
                                             "requestContext", "pathParameters", "stageVariables"}));
  EXPECT_STREQ(d["version"].GetString(), "2.0");
  EXPECT_STREQ(d["type"].GetString(), "REQUEST");
  EXPECT_STREQ(d["routeArn"].GetString(), "arn:x");
  EXPECT_STREQ(d["identitySource"][0].GetString(), "tok");
  EXPECT_STREQ(d["queryStringParameters"]["user"].GetString(), "ann,bob");
  EXPECT_FALSE(d["requestContext"].HasMember("authorizer"));
  EXPECT_STREQ(d["requestContext"]["http"]["method"].GetString(), "GET");
}

TEST(LambdaAuthorizer, EventV1HasMethodArnAndAuthorizationToken) {
  http::Headers h;
  h.add("Authorization", "tok");
  StringMap vars;
  std::string e = buildAuthorizerEventV1(sampleRequest(h, vars), "arn:y", {"tok", "ann"});
  rapidjson::Document d;
  d.Parse(e.c_str());
  ASSERT_TRUE(d.IsObject()) << e;
  std::vector<std::string> names;
  for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) names.emplace_back(it->name.GetString());
  EXPECT_EQ(names, (std::vector<std::string>{"version", "type", "methodArn", "identitySource", "authorizationToken",
                                             "resource", "path", "httpMethod", "headers", "queryStringParameters",
                                             "pathParameters", "stageVariables", "requestContext"}));
  EXPECT_STREQ(d["methodArn"].GetString(), "arn:y");
  EXPECT_STREQ(d["identitySource"].GetString(), "tok,ann");
  EXPECT_STREQ(d["authorizationToken"].GetString(), "tok,ann");
  EXPECT_STREQ(d["resource"].GetString(), "/items/{id}");
  EXPECT_TRUE(d["stageVariables"].IsNull());
  EXPECT_FALSE(d["requestContext"].HasMember("authorizer"));
}

TEST(LambdaAuthorizer, SimpleResponses) {
  auto yes = readAuthorizerResponse(R"({"isAuthorized":true,"context":{"user":"ann","n":3}})", true);
  ASSERT_TRUE(yes);
  EXPECT_TRUE(yes->simple);
  EXPECT_TRUE(verdictAllows(*yes, "arn:any"));
  EXPECT_EQ(yes->contextJson, R"({"user":"ann","n":3})");
  auto no = readAuthorizerResponse(R"({"isAuthorized":false})", true);
  ASSERT_TRUE(no);
  EXPECT_FALSE(verdictAllows(*no, "arn:any"));
  EXPECT_EQ(no->contextJson, "{}");
  EXPECT_FALSE(readAuthorizerResponse(R"({"isAuthorized":"true"})", true));
  EXPECT_FALSE(readAuthorizerResponse(R"({"isAuthorized":true,"context":[1]})", true));
  EXPECT_FALSE(readAuthorizerResponse("not json", true));
  EXPECT_FALSE(readAuthorizerResponse("[true]", true));
  // Without enableSimpleResponses an isAuthorized answer is not a policy: malformed.
  EXPECT_FALSE(readAuthorizerResponse(R"({"isAuthorized":true})", false));
  // A context nested 200,000 levels (valid JSON) would overflow the stack when re-serialised.
  std::string deep = R"({"isAuthorized":true,"context":{"a":)" + std::string(200000, '[') + std::string(200000, ']') + "}}";
  auto refused = readAuthorizerResponse(deep, true);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, 500);
  EXPECT_NE(refused.error().message.find("more than 4096 levels deep"), std::string::npos);
}

TEST(LambdaAuthorizer, PolicyResponsesAllowDenyAndWildcards) {
  const std::string arn = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/7";
  auto allow = readAuthorizerResponse(R"({"principalId":"ann","policyDocument":{"Version":"2012-10-17","Statement":[
      {"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/*"}]},
      "context":{"tier":"gold"}})",
                                      false);
  ASSERT_TRUE(allow) << allow.error().message;
  EXPECT_EQ(allow->principalId, "ann");
  EXPECT_TRUE(verdictAllows(*allow, arn));
  EXPECT_FALSE(verdictAllows(*allow, "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/items/7"));
  // An explicit Deny beats any Allow; a statement with another action does not count.
  auto deny = readAuthorizerResponse(R"({"principalId":"p","policyDocument":{"Statement":[
      {"Action":["execute-api:*"],"Effect":"Allow","Resource":["*"]},
      {"Action":"execute-api:Invoke","Effect":"Deny","Resource":"arn:aws:execute-api:*:*:abc123/*/GET/items/?"}]}})",
                                     false);
  ASSERT_TRUE(deny);
  EXPECT_FALSE(verdictAllows(*deny, arn));
  EXPECT_TRUE(verdictAllows(*deny, "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/77"));
  auto otherAction = readAuthorizerResponse(
      R"({"principalId":"p","policyDocument":{"Statement":{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}}})", false);
  ASSERT_TRUE(otherAction);
  EXPECT_FALSE(verdictAllows(*otherAction, arn));
  // The simple flag still accepts a policy answer.
  auto policyWhenSimple = readAuthorizerResponse(
      R"({"principalId":"p","policyDocument":{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}]}})", true);
  ASSERT_TRUE(policyWhenSimple);
  EXPECT_TRUE(verdictAllows(*policyWhenSimple, arn));
  for (const char* bad : {R"({"principalId":"p"})", R"({"policyDocument":{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}})",
                          R"({"policyDocument":{"Statement":[{"Effect":"Allow","Resource":"*"}]}})",
                          R"({"policyDocument":{"Statement":[{"Effect":"Allow","Action":"*","Resource":[1]}]}})",
                          R"({"principalId":5,"policyDocument":{"Statement":[]}})"})
    EXPECT_FALSE(readAuthorizerResponse(bad, false)) << bad;
}

TEST(LambdaAuthorizer, ArnPatterns) {
  EXPECT_TRUE(arnPatternMatches("*", "anything/at:all"));
  EXPECT_TRUE(arnPatternMatches("a*c", "abbbc"));
  EXPECT_TRUE(arnPatternMatches("a?c", "abc"));
  EXPECT_FALSE(arnPatternMatches("a?c", "abbc"));
  EXPECT_TRUE(arnPatternMatches("a*b*c", "a-b-b-c"));
  EXPECT_FALSE(arnPatternMatches("a*b*c", "a-b-b-d"));
  EXPECT_TRUE(arnPatternMatches("", ""));
  EXPECT_FALSE(arnPatternMatches("", "x"));
  // A hostile pattern of many stars stays fast (no exponential backtracking).
  std::string stars(2000, '*');
  EXPECT_FALSE(arnPatternMatches(stars + "b", std::string(5000, 'a')));
}

TEST(LambdaAuthorizer, IntegrationAuthorizerShapes) {
  auto simple = readAuthorizerResponse(R"({"isAuthorized":true,"context":{"user":"ann"}})", true);
  ASSERT_TRUE(simple);
  EXPECT_EQ(integrationAuthorizerJson(*simple, "2.0", 12), R"({"lambda":{"user":"ann"}})");
  EXPECT_EQ(integrationAuthorizerJson(*simple, "1.0", 12), R"({"user":"ann","integrationLatency":12})");
  auto policy = readAuthorizerResponse(
      R"({"principalId":"p1","policyDocument":{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}]},"context":{"k":true}})", false);
  ASSERT_TRUE(policy);
  EXPECT_EQ(integrationAuthorizerJson(*policy, "2.0", 3), R"({"lambda":{"k":true},"principalId":"p1"})");
  EXPECT_EQ(integrationAuthorizerJson(*policy, "1.0", 3), R"({"k":true,"principalId":"p1","integrationLatency":3})");
}

TEST(AuthorizerCache, ExpiresAndKeysByIdentity) {
  AuthorizerCache c(4);
  Authorizer az;
  az.id = "a1";
  az.authorizerUri = "fn";
  auto v = std::make_shared<const AuthorizerVerdict>();
  std::string k1 = AuthorizerCache::keyOf("api", az, {"tok1"});
  std::string k2 = AuthorizerCache::keyOf("api", az, {"tok2"});
  EXPECT_NE(k1, k2);
  EXPECT_NE(AuthorizerCache::keyOf("api", az, {"a", "b"}), AuthorizerCache::keyOf("api", az, {"ab"}));
  c.put(k1, v, 100, 0);
  EXPECT_EQ(c.get(k1, 50), v);
  EXPECT_EQ(c.get(k2, 50), nullptr);
  EXPECT_EQ(c.get(k1, 100), nullptr);  // expired at its TTL
  for (int i = 0; i < 10; ++i) c.put("k" + std::to_string(i), v, 1000, 0);
  EXPECT_LE(c.size(), 4u);
  EXPECT_NE(c.get("k9", 1), nullptr);  // the newest survive eviction
}

}  // namespace
}  // namespace cdnlab::gateway

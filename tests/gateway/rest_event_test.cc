// The REST API Lambda proxy event compared with AWS's documented example (fixtures/README.md).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "gateway/rest/rest_event.h"

namespace cdnlab::gateway {
namespace {

TEST(RestProxyEvent, MatchesAwsExample) {
  std::ifstream in(std::string(CDNLAB_SOURCE_DIR) + "/tests/gateway/fixtures/rest_proxy_event.json");
  std::stringstream ss;
  ss << in.rdbuf();
  http::Headers h;
  h.add("header1", "value1");
  h.add("header2", "value1");
  h.add("header2", "value2");
  ProxyRequest r;
  r.method = "GET";
  r.rawPath = "/my/path";
  r.rawQuery = "parameter1=value1&parameter1=value2&parameter2=value";
  r.headers = &h;
  r.body = "Hello from Lambda!";
  r.sourceIp = "192.0.2.1";
  r.userAgent = "user-agent";
  r.apiId = "id";
  r.domainName = "id.execute-api.us-east-1.amazonaws.com";
  r.domainPrefix = "id";
  r.stage = "prod";
  r.routeKey = "GET /my/path";
  r.routeId = "abc1234";
  r.resourcePath = "/my/path";
  r.requestId = "id=";
  r.extendedRequestId = "request-id";
  r.timeEpochMs = 1583349317135;
  std::string got = buildRestProxyEvent(r, RestEventExtras{"/my/path", "/prod/my/path", "key-value-0123456789abc", "k1"});
  rapidjson::Document want, g;
  ASSERT_FALSE(want.Parse(ss.str().c_str()).HasParseError());
  ASSERT_FALSE(g.Parse(got.c_str()).HasParseError());
  EXPECT_TRUE(want == g) << got;
  EXPECT_FALSE(g.HasMember("version"));
  // Without a key, identity.apiKey and apiKeyId are null.
  std::string noKey = buildRestProxyEvent(r, RestEventExtras{"/my/path", "/prod/my/path", "", ""});
  ASSERT_FALSE(g.Parse(noKey.c_str()).HasParseError());
  EXPECT_TRUE(g["requestContext"]["identity"]["apiKey"].IsNull());

  // An AWS_IAM method's caller fills accessKey, accountId, caller, user and userArn (AWS's example
  // event of an IAM caller); the Cognito members stay null.
  CallerIdentity caller{"AKIDEXAMPLE", "123456789012", "AIDAEXAMPLE", "AIDAEXAMPLE", "arn:aws:iam::123456789012:user/alice"};
  std::string signed_ = buildRestProxyEvent(r, RestEventExtras{"/my/path", "/prod/my/path", "", "", caller});
  ASSERT_FALSE(g.Parse(signed_.c_str()).HasParseError());
  const auto& id = g["requestContext"]["identity"];
  EXPECT_STREQ(id["accessKey"].GetString(), "AKIDEXAMPLE");
  EXPECT_STREQ(id["accountId"].GetString(), "123456789012");
  EXPECT_STREQ(id["caller"].GetString(), "AIDAEXAMPLE");
  EXPECT_STREQ(id["user"].GetString(), "AIDAEXAMPLE");
  EXPECT_STREQ(id["userArn"].GetString(), "arn:aws:iam::123456789012:user/alice");
  EXPECT_TRUE(id["cognitoIdentityId"].IsNull());
  EXPECT_STREQ(id["sourceIp"].GetString(), "192.0.2.1");
}

}  // namespace
}  // namespace cdnlab::gateway

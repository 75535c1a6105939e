// The REST API Lambda proxy event compared with AWS's documented example (fixtures/README.md).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "gateway/rest/rest_event.h"
#include "tests/gateway/aws_example_request.h"

namespace cdnlab::gateway {
namespace {

TEST(RestProxyEvent, MatchesAwsExample) {
  http::Headers h = test::awsExampleHeaders();
  ProxyRequest r = test::awsExampleRequest(h);
  r.stage = "prod";
  r.routeKey = "GET /my/path";
  std::string got = buildRestProxyEvent(r, RestEventExtras{"/my/path", "/prod/my/path", "key-value-0123456789abc", "k1"});
  rapidjson::Document want, g;
  ASSERT_FALSE(want.Parse(test::readFixture("rest_proxy_event.json").c_str()).HasParseError());
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

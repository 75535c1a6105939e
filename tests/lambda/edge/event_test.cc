// The Lambda@Edge event builder: CloudFront's exact shape per trigger.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "lambda/edge/event.h"

namespace cdnlab::lambda::edge {
namespace {

EdgeRequest sampleRequest() {
  EdgeRequest r;
  r.clientIp = "203.0.113.178";
  r.method = "GET";
  r.uri = "/obj/1";
  r.querystring = "a=1";
  r.headers.add("Host", "d111111abcdef8.cloudfront.net");
  r.headers.add("User-Agent", "curl/8");
  r.headers.add("X-Multi", "one");
  r.headers.add("x-multi", "two");
  r.origin = EdgeOrigin{"127.0.0.1", 9000, "http", ""};
  return r;
}

TEST(EdgeEvent, ViewerRequestHasCloudFrontsShape) {
  std::string json = buildEvent(Trigger::ViewerRequest, {"pop.example", "pop-1", "req-1"}, sampleRequest(), nullptr);
  EXPECT_EQ(json,
            R"({"Records":[{"cf":{"config":{"distributionDomainName":"pop.example","distributionId":"pop-1",)"
            R"("eventType":"viewer-request","requestId":"req-1"},"request":{"clientIp":"203.0.113.178","headers":{)"
            R"("host":[{"key":"Host","value":"d111111abcdef8.cloudfront.net"}],"user-agent":[{"key":"User-Agent","value":"curl/8"}],)"
            R"("x-multi":[{"key":"X-Multi","value":"one"},{"key":"x-multi","value":"two"}]},"method":"GET",)"
            R"("querystring":"a=1","uri":"/obj/1"}}}]})");
}

TEST(EdgeEvent, OriginRequestCarriesTheOrigin) {
  rapidjson::Document d;
  std::string json = buildEvent(Trigger::OriginRequest, {"h", "p", "r"}, sampleRequest(), nullptr);
  d.Parse(json.c_str());
  const auto& req = d["Records"][0]["cf"]["request"];
  ASSERT_TRUE(req.HasMember("origin"));
  EXPECT_STREQ(req["origin"]["custom"]["domainName"].GetString(), "127.0.0.1");
  EXPECT_EQ(req["origin"]["custom"]["port"].GetInt(), 9000);
  EXPECT_FALSE(d["Records"][0]["cf"].HasMember("response"));
}

TEST(EdgeEvent, ResponseTriggersCarryTheResponse) {
  EdgeResponse resp;
  resp.status = 404;
  resp.headers.add("Content-Type", "text/plain");
  rapidjson::Document d;
  std::string json = buildEvent(Trigger::ViewerResponse, {"h", "p", "r"}, sampleRequest(), &resp);
  d.Parse(json.c_str());
  const auto& cf = d["Records"][0]["cf"];
  EXPECT_STREQ(cf["config"]["eventType"].GetString(), "viewer-response");
  EXPECT_FALSE(cf["request"].HasMember("origin"));  // only origin-* events show the origin
  EXPECT_STREQ(cf["response"]["status"].GetString(), "404");
  EXPECT_STREQ(cf["response"]["statusDescription"].GetString(), "Not Found");
  EXPECT_STREQ(cf["response"]["headers"]["content-type"][0]["value"].GetString(), "text/plain");
}

TEST(EdgeEvent, HostileBytesAreEscaped) {
  EdgeRequest r = sampleRequest();
  r.headers.add("X-Evil", "\"}]}\\\n");
  rapidjson::Document d;
  std::string json = buildEvent(Trigger::ViewerRequest, {"h", "p", "r"}, r, nullptr);
  d.Parse(json.c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_STREQ(d["Records"][0]["cf"]["request"]["headers"]["x-evil"][0]["value"].GetString(), "\"}]}\\\n");
}

TEST(EdgeEvent, TriggerNames) {
  for (auto t : {Trigger::ViewerRequest, Trigger::OriginRequest, Trigger::OriginResponse, Trigger::ViewerResponse}) {
    EXPECT_EQ(parseTrigger(triggerName(t)), t);
  }
  EXPECT_FALSE(parseTrigger("viewer_request"));
}

}  // namespace
}  // namespace cdnlab::lambda::edge

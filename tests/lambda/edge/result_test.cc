// Validation of what an edge function returns: CloudFront's rules, one per test.
#include <gtest/gtest.h>

#include "lambda/edge/result.h"

namespace cdnlab::lambda::edge {
namespace {

EdgeRequest in() {
  EdgeRequest r;
  r.clientIp = "10.0.0.1";
  r.uri = "/a";
  r.headers.add("Host", "pop");
  r.headers.add("Accept", "*/*");
  return r;
}

EdgeResponse inResp() {
  EdgeResponse r;
  r.status = 200;
  r.headers.add("Content-Type", "text/html");
  r.headers.add("Content-Length", "10");
  return r;
}

std::string failure(Trigger t, std::string_view json) {
  EdgeRequest req = in();
  EdgeResponse resp = inResp();
  auto r = parseFunctionResult(t, json, req, &resp);
  if (r.ok()) return "ok";
  EXPECT_EQ(r.error().code, 502);
  return r.error().message;
}

TEST(EdgeResult, ModifiedRequest) {
  auto r = parseFunctionResult(Trigger::ViewerRequest,
                               R"({"clientIp":"10.0.0.1","method":"GET","uri":"/b","querystring":"x=1",)"
                               R"("headers":{"host":[{"key":"Host","value":"pop"}],"x-new":[{"value":"1"}]}})",
                               in(), nullptr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->generated());
  EXPECT_EQ(r->request.uri, "/b");
  EXPECT_EQ(r->request.querystring, "x=1");
  EXPECT_EQ(r->request.headers.get("x-new"), "1");
  EXPECT_FALSE(r->request.headers.has("Accept"));  // headers given = the full new set
}

TEST(EdgeResult, GeneratedResponseAtViewerRequest) {
  auto r = parseFunctionResult(Trigger::ViewerRequest,
                               R"({"status":"302","statusDescription":"Found","headers":{"location":[{"key":"Location","value":"/de/"}]}})",
                               in(), nullptr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->generated());
  EXPECT_EQ(r->response.status, 302);
  EXPECT_EQ(r->response.headers.get("Location"), "/de/");
  EXPECT_FALSE(r->hasBody);
}

TEST(EdgeResult, Base64Body) {
  auto r = parseFunctionResult(Trigger::ViewerRequest, R"({"status":200,"body":"aGVsbG8=","bodyEncoding":"base64"})", in(), nullptr);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "hello");
}

TEST(EdgeResult, InvalidJsonAndTypes) {
  EXPECT_NE(failure(Trigger::ViewerRequest, "{").find("invalid JSON"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, "null").find("not null"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"uri":5})").find("request.uri must be a string"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"uri":"no-slash"})").find("request.uri"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"querystring":"a b"})").find("querystring"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"headers":{"x":{"value":"1"}}})").find("must be an array"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"headers":{"X":[{"value":"1"}]}})").find("lowercase"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"headers":{"x":[{"key":"Y","value":"1"}]}})").find("does not match"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"headers":{"host":[{"value":"pop"}],"x":[{"value":"a\r\nb"}]}})").find("CR, LF"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"status":"abc"})").find("status"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"status":700})").find("200 to 599"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"status":200,"body":"!!","bodyEncoding":"base64"})").find("base64"), std::string::npos);
}

TEST(EdgeResult, ReadOnlyFieldsAndHeaders) {
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"method":"POST"})").find("method is read-only"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"clientIp":"1.2.3.4"})").find("clientIp is read-only"), std::string::npos);
  // Host is read-only at viewer-request: changing or removing it fails.
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"headers":{"host":[{"value":"evil"}]}})").find("read-only header: host"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"headers":{}})").find("read-only header: Host"), std::string::npos);
  // Adding a disallowed header fails at any trigger.
  EXPECT_NE(failure(Trigger::ViewerRequest, R"({"headers":{"host":[{"value":"pop"}],"x-cache":[{"value":"Hit"}]}})").find("disallowed"), std::string::npos);
  EXPECT_NE(failure(Trigger::OriginResponse, R"({"status":"200","headers":{"content-type":[{"value":"x"}],"content-length":[{"value":"10"}],"connection":[{"value":"close"}]}})").find("disallowed"), std::string::npos);
  // viewer-response may not change the status, nor Content-Length, nor set a body.
  EXPECT_NE(failure(Trigger::ViewerResponse, R"({"status":"404"})").find("status is read-only"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerResponse, R"({"status":"200","headers":{"content-type":[{"value":"x"}]}})").find("read-only header: Content-Length"), std::string::npos);
  EXPECT_NE(failure(Trigger::ViewerResponse, R"({"status":"200","body":"x"})").find("body cannot be set"), std::string::npos);
}

TEST(EdgeResult, ModifiedResponseKeepsWhatItLeavesOut) {
  EdgeResponse resp = inResp();
  auto r = parseFunctionResult(Trigger::OriginResponse,
                               R"({"status":"200","headers":{"content-type":[{"key":"Content-Type","value":"text/html"}],)"
                               R"("content-length":[{"key":"Content-Length","value":"10"}],"x-added":[{"key":"X-Added","value":"yes"}]}})",
                               in(), &resp);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->response.headers.get("X-Added"), "yes");
  auto keep = parseFunctionResult(Trigger::OriginResponse, R"({})", in(), &resp);
  ASSERT_TRUE(keep.ok()) << keep.error().message;
  EXPECT_EQ(keep->response.status, 200);
  EXPECT_EQ(keep->response.headers.size(), 2u);
}

TEST(EdgeResult, GeneratedResponseSizeLimits) {
  std::string big(41 * 1024, 'x');
  std::string json = R"({"status":200,"body":")" + big + R"("})";
  EXPECT_NE(failure(Trigger::ViewerRequest, json).find("over the 40960-byte limit at viewer-request"), std::string::npos);
  EXPECT_EQ(failure(Trigger::OriginRequest, json), "ok");  // 1 MB there
}

TEST(EdgeResult, HeaderCountAndSizeBounded) {
  std::string json = R"({"status":200,"headers":{)";
  for (int i = 0; i < 101; ++i) json += (i ? "," : "") + std::string("\"x-") + std::to_string(i) + R"(":[{"value":"v"}])";
  json += "}}";
  EXPECT_NE(failure(Trigger::ViewerRequest, json).find("more than 100 header fields"), std::string::npos);
}

// Found by fuzz/lambda_payload_fuzz.cc: an origin-request function returning a request whose
// "origin" is not an object ({"origin":"200"}) hit a RapidJSON assertion (the PoP aborted).
TEST(EdgeResult, OriginThatIsNotAnObjectIsRefused) {
  for (const char* origin : {R"("200")", "[]", "null", "7", R"({"custom":"x"})", "{}"}) {
    std::string json = std::string(R"({"uri":"/a","origin":)") + origin + "}";
    EXPECT_NE(failure(Trigger::OriginRequest, json).find("request.origin"), std::string::npos) << json;
  }
}

// A function's answer is untrusted: 200,000 levels of '[' (or of objects) is a 502 naming the
// reason, not a stack overflow in the parser; a small answer is never scanned.
TEST(EdgeResult, DeepAnswerIsRefusedWithoutRecursing) {
  const std::string lists = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_NE(failure(Trigger::ViewerRequest, lists).find("nested more than 4096 levels"), std::string::npos);
  std::string objects = R"({"status":"200","body":)";
  for (int i = 0; i < 200000; ++i) objects += R"({"a":)";
  objects += "1" + std::string(200000, '}') + "}";
  EXPECT_NE(failure(Trigger::ViewerRequest, objects).find("nested more than 4096 levels"), std::string::npos);
  EXPECT_EQ(failure(Trigger::ViewerRequest, R"({"status":"200","body":"x"})"), "ok");
}

}  // namespace
}  // namespace cdnlab::lambda::edge

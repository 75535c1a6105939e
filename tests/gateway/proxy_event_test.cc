// Lambda proxy events compared member by member (names, order, types, values) with AWS's
// documented examples (tests/gateway/fixtures), and the function-response rules.
#include "gateway/integrations/proxy_event.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/gateway/aws_example_request.h"

namespace cdnlab::gateway {
namespace {

using test::readFixture;

// Empty when equal, else the path of the first difference and why.
std::string diff(const rapidjson::Value& want, const rapidjson::Value& got, const std::string& path) {
  if (want.GetType() != got.GetType()) return path + ": type differs";
  if (want.IsObject()) {
    if (want.MemberCount() != got.MemberCount()) {
      std::string names;
      for (auto it = got.MemberBegin(); it != got.MemberEnd(); ++it) names += std::string(" ") + it->name.GetString();
      return path + ": " + std::to_string(got.MemberCount()) + " members (" + names + "), want " + std::to_string(want.MemberCount());
    }
    auto g = got.MemberBegin();
    for (auto w = want.MemberBegin(); w != want.MemberEnd(); ++w, ++g) {
      if (std::string(w->name.GetString()) != g->name.GetString())
        return path + ": member " + g->name.GetString() + " where " + w->name.GetString() + " was expected";
      if (auto d = diff(w->value, g->value, path + "." + w->name.GetString()); !d.empty()) return d;
    }
    return "";
  }
  if (want.IsArray()) {
    if (want.Size() != got.Size()) return path + ": length differs";
    for (rapidjson::SizeType i = 0; i < want.Size(); ++i)
      if (auto d = diff(want[i], got[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
    return "";
  }
  return want == got ? "" : path + ": value differs";
}

void expectSameJson(const std::string& wantText, const std::string& gotText) {
  rapidjson::Document want, got;
  want.Parse(wantText.c_str());
  got.Parse(gotText.c_str());
  ASSERT_FALSE(want.HasParseError());
  ASSERT_FALSE(got.HasParseError()) << gotText;
  EXPECT_EQ(diff(want, got, "$"), "") << gotText;
}

TEST(ProxyEvent, V2MatchesAwsExample) {
  http::Headers h;
  h.add("Header1", "value1");
  h.add("header2", "value1");
  h.add("Header2", "value2");
  h.add("Cookie", "cookie1; cookie2");
  StringMap vars{{"stageVariable1", "value1"}, {"stageVariable2", "value2"}};
  ProxyRequest r;
  r.method = "POST";
  r.rawPath = "/my/path";
  r.rawQuery = "parameter1=value1&parameter1=value2&parameter2=value";
  r.headers = &h;
  r.body = "Hello from Lambda";
  r.sourceIp = "192.0.2.1";
  r.userAgent = "agent";
  r.apiId = "api-id";
  r.domainName = "id.execute-api.us-east-1.amazonaws.com";
  r.domainPrefix = "id";
  r.stage = "$default";
  r.routeKey = "$default";
  r.requestId = "id";
  r.timeEpochMs = 1583348638390;
  r.pathParameters = {{"parameter1", "value1"}};
  r.stageVariables = &vars;
  expectSameJson(readFixture("payload_v2.json"), buildEventV2(r));
}

TEST(ProxyEvent, V1MatchesAwsExample) {
  http::Headers h = test::awsExampleHeaders();
  ProxyRequest r = test::awsExampleRequest(h);
  r.stage = "$default";
  r.routeKey = "$default";
  expectSameJson(readFixture("payload_v1.json"), buildEventV1(r));
}

TEST(ProxyEvent, BinaryBodyIsBase64AndEmptyMapsAreLeftOut) {
  http::Headers h;
  h.add("content-type", "application/octet-stream");
  ProxyRequest r;
  r.headers = &h;
  r.body = std::string("\x00\xff\x01", 3);
  rapidjson::Document d;
  d.Parse(buildEventV2(r).c_str());
  EXPECT_TRUE(d["isBase64Encoded"].GetBool());
  EXPECT_STREQ(d["body"].GetString(), "AP8B");
  EXPECT_FALSE(d.HasMember("cookies"));
  EXPECT_FALSE(d.HasMember("queryStringParameters"));
  EXPECT_FALSE(d.HasMember("pathParameters"));
  EXPECT_FALSE(d.HasMember("stageVariables"));
}

TEST(ProxyResponse, V2WithoutStatusCodeIsA200JsonBody) {
  auto r = readProxyResponse(R"({"message":"hi"})", "2.0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(*r->headers.get("content-type"), "application/json");
  EXPECT_EQ(std::string(r->body.data(), r->body.size()), R"({"message":"hi"})");
  auto s = readProxyResponse(R"("Hello from Lambda!")", "2.0");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(std::string(s->body.data(), s->body.size()), "Hello from Lambda!");
}

TEST(ProxyResponse, StructuredCookiesAndBase64) {
  auto r = readProxyResponse(
      R"({"statusCode":201,"headers":{"x-a":"1","x-n":5},"cookies":["a=1; Path=/","b=2"],"body":"aGk=","isBase64Encoded":true})", "2.0");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(*r->headers.get("x-n"), "5");
  EXPECT_EQ(r->headers.getAll("set-cookie"), "a=1; Path=/, b=2");
  EXPECT_EQ(std::string(r->body.data(), r->body.size()), "hi");
}

TEST(ProxyResponse, V1MultiValueHeaders) {
  auto r = readProxyResponse(R"({"statusCode":200,"multiValueHeaders":{"x-m":["a","b"]},"body":"ok"})", "1.0");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->headers.getAll("x-m"), "a, b");
}

TEST(ProxyResponse, MalformedIsAnError) {
  for (const char* bad : {"not json", R"({"statusCode":"abc"})", R"({"statusCode":99})", R"({"statusCode":200,"body":5})",
                          R"({"statusCode":200,"headers":[]})", R"({"statusCode":200,"cookies":"a=1"})",
                          R"({"statusCode":200,"body":"%%%","isBase64Encoded":true})",
                          R"({"statusCode":200,"headers":{"x":"a\r\nInjected: 1"}})"})
    EXPECT_FALSE(readProxyResponse(bad, "2.0").ok()) << bad;
  EXPECT_FALSE(readProxyResponse(R"({"message":"no status"})", "1.0").ok());
}

// Found by fuzz/proxy_response_fuzz.cc: a header name that is not a token ("ge/etx-a") was passed
// to the client. Names are tokens (RFC 9110 5.6.2), in headers and multiValueHeaders alike.
TEST(ProxyResponse, HeaderNamesMustBeTokens) {
  for (const char* bad : {R"x({"statusCode":201,"headers":{"ge/etx-a":"1"}})x", R"x({"statusCode":200,"headers":{"a(b)":"1"}})x",
                          R"x({"statusCode":200,"multiValueHeaders":{"x,y":["1"]}})x", R"x({"statusCode":200,"headers":{"":"1"}})x"})
    EXPECT_FALSE(readProxyResponse(bad, "1.0").ok()) << bad;
  auto ok = readProxyResponse(R"x({"statusCode":200,"headers":{"X-Ok_1.~!#$%&'*+^`|":"v"}})x", "2.0");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->headers.get("x-ok_1.~!#$%&'*+^`|").value_or(""), "v");
}

}  // namespace
}  // namespace cdnlab::gateway

namespace cdnlab::gateway {
namespace {

// A function's answer is untrusted: deep nesting must not exhaust the stack (iterative parser).
TEST(ProxyResponse, DeepNestingIsHandled) {
  std::string deep(200000, '[');
  EXPECT_FALSE(readProxyResponse(deep, "2.0").ok());
  std::string closed = deep + std::string(200000, ']');
  auto r = readProxyResponse(closed, "2.0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body.size(), closed.size());
}

}  // namespace
}  // namespace cdnlab::gateway

namespace cdnlab::gateway {
namespace {

// The answer is parsed in place in a NUL-terminated copy: a NUL byte must not end the document
// early and let trailing bytes through, and escaped strings come out decoded.
TEST(ProxyResponse, TrailingBytesAndNulAreRefusedEscapesDecoded) {
  using namespace std::string_literals;
  for (const std::string& bad : {R"({"statusCode":200} {"x":1})"s, "{\"statusCode\":200}\0garbage"s, "\0"s,
                                 "{\"statusCode\":200,\"body\":\"a\0b\"}"s})
    EXPECT_FALSE(readProxyResponse(bad, "2.0").ok()) << bad.size();
  auto r = readProxyResponse(R"({"statusCode":201,"headers":{"x-e":"q\"\u00e9"},"body":"l1\nl2\u0000end"})", "2.0");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->headers.get("x-e").value_or(""), "q\"\xc3\xa9");
  EXPECT_EQ(std::string(r->body.data(), r->body.size()), "l1\nl2\0end"s);
  // No statusCode (2.0): the answer itself is the body, as sent (not the decoded copy).
  auto plain = readProxyResponse(R"({"a":"x\ty"})", "2.0");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(std::string(plain->body.data(), plain->body.size()), R"({"a":"x\ty"})");
}

}  // namespace
}  // namespace cdnlab::gateway

// Pure runtime pieces: token bucket (time as a parameter), CORS, access-log rendering, HTTP proxy
// mapping, Lambda URI resolution.
#include <gtest/gtest.h>

#include "gateway/integrations/http_proxy_mapping.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/runtime/access_log.h"
#include "gateway/runtime/cors.h"
#include "gateway/runtime/token_bucket.h"

namespace cdnlab::gateway {
namespace {

constexpr int64_t kSec = 1000000000;

TEST(TokenBucket, BurstThenRate) {
  TokenBucket b(2.0, 3, 0);
  EXPECT_TRUE(b.take(0));
  EXPECT_TRUE(b.take(0));
  EXPECT_TRUE(b.take(0));
  EXPECT_FALSE(b.take(0));
  EXPECT_FALSE(b.take(kSec / 4));  // half a token
  EXPECT_TRUE(b.take(kSec / 2));   // one token after 0.5 s at 2/s
  EXPECT_FALSE(b.take(kSec / 2));
  EXPECT_TRUE(b.take(100 * kSec));  // refills to the burst, not beyond
  EXPECT_TRUE(b.take(100 * kSec));
  EXPECT_TRUE(b.take(100 * kSec));
  EXPECT_FALSE(b.take(100 * kSec));
}

TEST(TokenBucket, ZeroBurstRefusesEverything) {
  TokenBucket b(100.0, 0, 0);
  EXPECT_FALSE(b.take(0));
  EXPECT_FALSE(b.take(10 * kSec));
}

http::Request preflight(const char* origin, const char* method, const char* headers) {
  http::Request r;
  r.method = "OPTIONS";
  r.headers.add("Origin", origin);
  r.headers.add("Access-Control-Request-Method", method);
  if (headers) r.headers.add("Access-Control-Request-Headers", headers);
  return r;
}

TEST(Cors, PreflightAllowedAndRefused) {
  Cors c;
  c.allowOrigins = {"https://a.example"};
  c.allowMethods = {"GET", "POST"};
  c.allowHeaders = {"content-type"};
  c.maxAge = 60;
  auto ok = preflightResponse(c, preflight("https://a.example", "POST", "Content-Type"));
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(*ok.headers.get("access-control-allow-origin"), "https://a.example");
  EXPECT_EQ(*ok.headers.get("access-control-max-age"), "60");
  for (auto r : {preflight("https://b.example", "GET", nullptr), preflight("https://a.example", "DELETE", nullptr),
                 preflight("https://a.example", "GET", "x-other")}) {
    auto no = preflightResponse(c, r);
    EXPECT_EQ(no.status, 204);
    EXPECT_FALSE(no.headers.has("access-control-allow-origin"));
  }
}

TEST(Cors, WildcardWithCredentialsEchoesOrigin) {
  Cors c;
  c.allowOrigins = {"*"};
  c.allowCredentials = true;
  http::Request r;
  r.method = "GET";
  r.headers.add("Origin", "https://x.example");
  http::Response resp;
  resp.headers.add("Access-Control-Allow-Origin", "https://from-integration");
  applyCors(c, r, resp);
  EXPECT_EQ(resp.headers.getAll("access-control-allow-origin"), "https://x.example");
  EXPECT_EQ(*resp.headers.get("access-control-allow-credentials"), "true");
}

TEST(AccessLog, SubstitutesContextVariables) {
  auto line = renderAccessLog(R"({"id":"$context.requestId","s":$context.status,"x":"$context.unknown"} $context.status.)",
                              [](std::string_view n) -> std::string {
                                if (n == "requestId") return "abc";
                                if (n == "status") return "200";
                                return "";
                              });
  EXPECT_EQ(line, R"({"id":"abc","s":200,"x":"-"} 200.)");
}

TEST(HttpProxyMapping, UriPlaceholdersQueryAndHeaders) {
  http::Request req;
  req.method = "POST";
  req.query = "a=1&b=2";
  req.headers.add("Host", "x.execute-api.localhost");
  req.headers.add("X-Token", "t");
  req.headers.add("Connection", "keep-alive");
  Integration in;
  in.uri = "http://127.0.0.1:9/${stageVariables.base}/{proxy}";
  in.method = "ANY";
  in.requestParameters = {{"overwrite:querystring.b", "$request.path.proxy"},
                          {"append:header.x-from", "${request.header.x-token}-$context.requestId"},
                          {"remove:querystring.a", "''"}};
  StringMap vars{{"base", "v1"}};
  ProxyInputs pi;
  pi.request = &req;
  pi.stagePath = "/p/q r";
  pi.pathParameters = {{"proxy", "q r/s"}};
  pi.stageVariables = &vars;
  pi.context = [](std::string_view n) { return n == "requestId" ? std::string("rid") : std::string(); };
  auto up = buildUpstreamRequest(in, pi);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->url, "http://127.0.0.1:9/v1/q%20r/s?b=q%20r%2Fs");
  EXPECT_EQ(up->method, "POST");
  EXPECT_EQ(*up->headers.get("x-from"), "t-rid");
  EXPECT_FALSE(up->headers.has("host"));
  EXPECT_FALSE(up->headers.has("connection"));
}

TEST(HttpProxyMapping, OverwritePath) {
  http::Request req;
  req.method = "GET";
  Integration in;
  in.uri = "http://127.0.0.1:9/ignored";
  in.requestParameters = {{"overwrite:path", "/new/$request.path.id"}};
  ProxyInputs pi;
  pi.request = &req;
  pi.pathParameters = {{"id", "7"}};
  auto up = buildUpstreamRequest(in, pi);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->url, "http://127.0.0.1:9/new/7");
}

TEST(LambdaTarget, ArnForms) {
  auto a = resolveLambdaUri("arn:aws:lambda:us-east-1:123456789012:function:items");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->function, "items");
  EXPECT_EQ(invokePath(*a), "/2015-03-31/functions/items/invocations");
  auto b = resolveLambdaUri(
      "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items:live/invocations");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->qualifier, "live");
  EXPECT_EQ(invokePath(*b), "/2015-03-31/functions/items/invocations?Qualifier=live");
  EXPECT_TRUE(resolveLambdaUri("bare-name").ok());
  EXPECT_FALSE(resolveLambdaUri("arn:aws:s3:::bucket").ok());
  EXPECT_FALSE(resolveLambdaUri("../etc").ok());
  EXPECT_FALSE(resolveLambdaUri("arn:aws:apigateway:us-east-1:lambda:path/nope").ok());
}

TEST(LambdaTarget, Endpoints) {
  auto e = parseHttpEndpoint("http://127.0.0.1:9001/base/");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 9001);
  EXPECT_EQ(e->basePath, "/base");
  EXPECT_FALSE(parseHttpEndpoint("https://x").ok());
  EXPECT_FALSE(parseHttpEndpoint("http://h:99999").ok());
}

}  // namespace
}  // namespace cdnlab::gateway

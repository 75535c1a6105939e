// Each built-in edge function, run through the native ABI on an event from buildEvent and its
// answer checked by parseFunctionResult, as the PoP does.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "lambda/edge/event.h"
#include "lambda/edge/functions/functions.h"
#include "lambda/edge/result.h"
#include "lambda/native/registry.h"

namespace cdnlab::lambda::edge {
namespace {

using native::NativeOutput;
using native::NativeStatus;

EdgeRequest request(std::string uri, std::string query = "") {
  EdgeRequest r;
  r.clientIp = "198.51.100.7";
  r.uri = std::move(uri);
  r.querystring = std::move(query);
  r.headers.add("Host", "pop.test");
  return r;
}

NativeOutput run(const char* name, Trigger t, const EdgeRequest& req, const EdgeResponse* resp = nullptr) {
  auto fn = native::Registry::global().find(name);
  EXPECT_TRUE(fn) << name;
  NativeOutput out;
  if (fn) native::callNative(*fn, buildEvent(t, {"pop.test", "pop-1", "r1"}, req, resp), {}, out);
  return out;
}

FunctionResult runOk(const char* name, Trigger t, const EdgeRequest& req, const EdgeResponse* resp = nullptr) {
  NativeOutput out = run(name, t, req, resp);
  EXPECT_EQ(out.status, NativeStatus::Ok) << out.errorType << ": " << out.errorMessage;
  auto r = parseFunctionResult(t, out.payload, req, resp);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message) << "\n" << out.payload;
  return r.ok() ? r.value() : FunctionResult{};
}

TEST(EdgeFunctions, SecurityHeadersAtOriginResponse) {
  EdgeResponse resp;
  resp.headers.add("Content-Type", "text/html");
  FunctionResult r = runOk("security-headers", Trigger::OriginResponse, request("/"), &resp);
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.headers.get("Strict-Transport-Security"), "max-age=63072000; includeSubdomains; preload");
  EXPECT_EQ(r.response.headers.get("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.response.headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.response.headers.get("Content-Type"), "text/html");
  // At a request trigger there is no response: a function error, not a crash.
  EXPECT_EQ(run("security-headers", Trigger::ViewerRequest, request("/")).status, NativeStatus::FunctionError);
}

TEST(EdgeFunctions, RedirectByCountry) {
  EdgeRequest de = request("/obj/1", "x=1");
  de.headers.add("CloudFront-Viewer-Country", "DE");
  FunctionResult r = runOk("redirect-by-country", Trigger::ViewerRequest, de);
  ASSERT_TRUE(r.generated());
  EXPECT_EQ(r.response.status, 302);
  EXPECT_EQ(r.response.headers.get("Location"), "/de/obj/1?x=1");

  EdgeRequest already = request("/de/obj/1");
  already.headers.add("CloudFront-Viewer-Country", "DE");
  EXPECT_FALSE(runOk("redirect-by-country", Trigger::ViewerRequest, already).generated());
  EdgeRequest elsewhere = request("/obj/1");
  elsewhere.headers.add("CloudFront-Viewer-Country", "US");
  EXPECT_FALSE(runOk("redirect-by-country", Trigger::ViewerRequest, elsewhere).generated());
  EXPECT_FALSE(runOk("redirect-by-country", Trigger::ViewerRequest, request("/obj/1")).generated());
}

TEST(EdgeFunctions, AbBucketFromCookieOrAddress) {
  EdgeRequest withCookie = request("/obj/1", "v=2");
  withCookie.headers.add("Cookie", "theme=dark; ab-bucket=b");
  FunctionResult r = runOk("ab-bucket", Trigger::ViewerRequest, withCookie);
  EXPECT_EQ(r.request.querystring, "v=2&ab=b");
  EXPECT_EQ(r.request.headers.get("X-Ab-Bucket"), "b");
  // No cookie: a stable bucket for the address.
  FunctionResult first = runOk("ab-bucket", Trigger::ViewerRequest, request("/obj/1"));
  FunctionResult again = runOk("ab-bucket", Trigger::ViewerRequest, request("/obj/1"));
  EXPECT_EQ(first.request.querystring, again.request.querystring);
  EXPECT_TRUE(first.request.querystring == "ab=a" || first.request.querystring == "ab=b");
}

TEST(EdgeFunctions, SpaRewrite) {
  EXPECT_EQ(runOk("spa-rewrite", Trigger::ViewerRequest, request("/docs/")).request.uri, "/docs/index.html");
  EXPECT_EQ(runOk("spa-rewrite", Trigger::ViewerRequest, request("/settings/profile")).request.uri, "/index.html");
  EXPECT_EQ(runOk("spa-rewrite", Trigger::ViewerRequest, request("/app.js")).request.uri, "/app.js");
}

TEST(EdgeFunctions, NormalizeQuery) {
  EXPECT_EQ(functions::normalizedQuery("b=2&utm_source=x&a=1&fbclid=y&c="), "a=1&b=2");
  EXPECT_EQ(functions::normalizedQuery("z=1&flag&a=2&a=1"), "a=2&a=1&flag&z=1");
  EXPECT_EQ(functions::normalizedQuery(""), "");
  EXPECT_EQ(functions::normalizedQuery("&&"), "");
  // Past the short-query sort (more than 32 parameters): the same order, repeated names stable.
  std::string longQuery, expected;
  for (int i = 39; i >= 0; --i) longQuery += (longQuery.empty() ? "" : "&") + std::string("p") + char('a' + i % 20) + "=" + std::to_string(i);
  for (int c = 0; c < 20; ++c)
    for (int i = 39; i >= 0; --i)
      if (i % 20 == c) expected += (expected.empty() ? "" : "&") + std::string("p") + char('a' + c) + "=" + std::to_string(i);
  EXPECT_EQ(functions::normalizedQuery(longQuery), expected);
  EXPECT_EQ(runOk("normalize-query", Trigger::ViewerRequest, request("/obj/1", "b=2&gclid=1&a=1")).request.querystring, "a=1&b=2");
}

TEST(EdgeFunctions, SignedToken) {
  ::setenv(functions::kTokenSecretEnv, "test-secret", 1);
  std::string expires = std::to_string(std::time(nullptr) + 3600);
  std::string sig = functions::tokenSignature("test-secret", "/obj/7", expires);
  FunctionResult ok = runOk("signed-token", Trigger::ViewerRequest, request("/obj/7", "v=1&expires=" + expires + "&signature=" + sig));
  ASSERT_FALSE(ok.generated());
  EXPECT_EQ(ok.request.querystring, "v=1");

  auto status = [&](std::string uri, std::string query) {
    FunctionResult r = runOk("signed-token", Trigger::ViewerRequest, request(std::move(uri), std::move(query)));
    return r.generated() ? r.response.status : 0;
  };
  EXPECT_EQ(status("/obj/7", ""), 403);
  EXPECT_EQ(status("/obj/8", "expires=" + expires + "&signature=" + sig), 403);  // signed for another URI
  EXPECT_EQ(status("/obj/7", "expires=" + expires + "&signature=" + std::string(64, '0')), 403);
  std::string past = std::to_string(std::time(nullptr) - 10);
  EXPECT_EQ(status("/obj/7", "expires=" + past + "&signature=" + functions::tokenSignature("test-secret", "/obj/7", past)), 403);
  EXPECT_EQ(status("/obj/7", "expires=-1&signature=" + sig), 403);
}

TEST(EdgeFunctions, GarbageEventIsAFunctionError) {
  for (const char* name : {"security-headers", "redirect-by-country", "ab-bucket", "spa-rewrite", "normalize-query", "signed-token"}) {
    auto fn = native::Registry::global().find(name);
    ASSERT_TRUE(fn) << name;
    for (std::string_view junk : {"", "[]", "{\"Records\":[{}]}", "{\"Records\":[{\"cf\":{\"request\":{}}}]}"}) {
      NativeOutput out;
      native::callNative(*fn, junk, {}, out);
      EXPECT_EQ(out.status, NativeStatus::FunctionError) << name << " on " << junk;
    }
  }
}

// An event from the Invoke API nested 200,000 levels deep (valid JSON): an InvalidEvent error,
// not a stack overflow in the event parse or in the Writer that echoes the request back.
TEST(EdgeFunctions, DeepEventIsAFunctionErrorNotACrash) {
  const std::string deep = R"({"Records":[{"cf":{"request":{"headers":{},"x":)" + std::string(200000, '[') +
                           std::string(200000, ']') + "}}}]}";
  for (const char* name : {"security-headers", "spa-rewrite", "normalize-query"}) {
    auto fn = native::Registry::global().find(name);
    ASSERT_TRUE(fn) << name;
    NativeOutput out;
    native::callNative(*fn, deep, {}, out);
    EXPECT_EQ(out.status, NativeStatus::FunctionError) << name;
    EXPECT_EQ(out.errorType, "InvalidEvent") << name;
  }
}

}  // namespace
}  // namespace cdnlab::lambda::edge

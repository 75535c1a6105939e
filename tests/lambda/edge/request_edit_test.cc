// Typed request edits (request_edit.h): each setter refuses what parseFunctionResult refuses in a
// JSON result, and the built-ins' typed entry points give the same results as their JSON handlers.
#include "lambda/edge/request_edit.h"

#include <gtest/gtest.h>

#include "lambda/edge/functions/functions.h"
#include "lambda/native/registry.h"

namespace cdnlab::lambda::edge {
namespace {

EdgeRequest request(std::string uri, std::string query = "") {
  EdgeRequest r;
  r.clientIp = "198.51.100.7";
  r.uri = std::move(uri);
  r.querystring = std::move(query);
  r.headers.add("Host", "pop.test");
  r.headers.add("Accept", "*/*");
  return r;
}

TEST(RequestEdit, UnchangedAndChanged) {
  EdgeRequest r = request("/a", "x=1");
  RequestEdit same(Trigger::ViewerRequest, r);
  EXPECT_TRUE(same.setUri("/a"));
  EXPECT_TRUE(same.setHeader("accept", "*/*"));
  auto unchanged = same.take();
  ASSERT_TRUE(unchanged.ok());
  EXPECT_TRUE(unchanged->requestUnchanged);
  EXPECT_FALSE(unchanged->generated());

  EdgeRequest r2 = request("/a", "x=1");
  RequestEdit edit(Trigger::ViewerRequest, r2);
  EXPECT_TRUE(edit.setQuerystring("y=2"));
  EXPECT_TRUE(edit.setHeader("X-Bucket", "b"));
  EXPECT_TRUE(edit.removeHeader("Accept"));
  auto changed = edit.take();
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(changed->requestUnchanged);
  EXPECT_EQ(changed->request.querystring, "y=2");
  EXPECT_EQ(changed->request.headers.get("x-bucket"), "b");
  EXPECT_FALSE(changed->request.headers.has("Accept"));
  EXPECT_EQ(changed->request.headers.get("Host"), "pop.test");
}

TEST(RequestEdit, RefusesWhatCloudFrontRefuses) {
  struct Case {
    const char* what;
    bool (*apply)(RequestEdit&);
    const char* message;
  };
  const Case cases[] = {
      {"relative uri", [](RequestEdit& e) { return e.setUri("a/b"); }, "request.uri must start with '/'"},
      {"uri with '?'", [](RequestEdit& e) { return e.setUri("/a?b"); }, "request.uri must start with '/'"},
      {"long uri", [](RequestEdit& e) { return e.setUri("/" + std::string(9000, 'a')); }, "request.uri is longer than"},
      {"query with space", [](RequestEdit& e) { return e.setQuerystring("a b"); }, "request.querystring contains"},
      {"CRLF value", [](RequestEdit& e) { return e.setHeader("X-A", "1\r\nX-B: 2"); }, "contains CR, LF or NUL"},
      {"bad name", [](RequestEdit& e) { return e.setHeader("X A", "1"); }, "not a valid header name"},
      {"read-only Host", [](RequestEdit& e) { return e.setHeader("Host", "evil.test"); }, "read-only header: Host"},
      {"removed Host", [](RequestEdit& e) { return e.removeHeader("host"); }, "read-only header: host"},
      {"disallowed", [](RequestEdit& e) { return e.setHeader("Connection", "close"); }, "disallowed header: Connection"},
      {"bad status", [](RequestEdit& e) { return e.respond(99, "", {}, ""); }, "response.status must be a number from 200 to 599"},
      {"huge generated", [](RequestEdit& e) { return e.respond(200, "OK", {}, std::string(41 * 1024, 'x')); }, "over the 40960-byte limit"},
  };
  for (const auto& c : cases) {
    EdgeRequest r = request("/a");
    RequestEdit edit(Trigger::ViewerRequest, r);
    EXPECT_FALSE(c.apply(edit)) << c.what;
    EXPECT_TRUE(edit.setUri("/fine")) << c.what;  // later changes do not clear the refusal
    auto result = edit.take();
    ASSERT_FALSE(result.ok()) << c.what;
    EXPECT_EQ(result.error().code, 502) << c.what;
    EXPECT_NE(result.error().message.find(c.message), std::string::npos) << c.what << ": " << result.error().message;
  }
  // Accept-Encoding is read-only at origin-request only.
  EdgeRequest r = request("/a");
  RequestEdit viewer(Trigger::ViewerRequest, r);
  EXPECT_TRUE(viewer.setHeader("Accept-Encoding", "gzip"));
  EdgeRequest r2 = request("/a");
  RequestEdit origin(Trigger::OriginRequest, r2);
  EXPECT_FALSE(origin.setHeader("Accept-Encoding", "gzip"));
}

TEST(RequestEdit, GeneratedResponseAndFailure) {
  EdgeRequest r = request("/a");
  RequestEdit edit(Trigger::ViewerRequest, r);
  http::Headers h;
  h.add("Location", "https://example.test/");
  EXPECT_TRUE(edit.respond(302, "Found", std::move(h), ""));
  auto result = edit.take();
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->generated());
  EXPECT_EQ(result->response.status, 302);
  EXPECT_EQ(result->response.headers.get("Location"), "https://example.test/");

  EdgeRequest r2 = request("/a");
  RequestEdit failing(Trigger::ViewerRequest, r2);
  failing.fail("", "nope");
  EXPECT_TRUE(failing.failed());
  EXPECT_EQ(failing.errorType(), "Error");
}

// The typed entry point of a built-in gives the request its JSON handler gives.
FunctionResult viaJson(const char* name, Trigger t, const EdgeRequest& req) {
  auto fn = native::Registry::global().find(name);
  EXPECT_TRUE(fn);
  native::NativeOutput out;
  native::callNative(*fn, buildEvent(t, {"pop.test", "pop-1", "r1"}, req, nullptr), {}, out);
  EXPECT_EQ(out.status, native::NativeStatus::Ok) << out.errorMessage;
  auto r = parseFunctionResult(t, out.payload, req, nullptr);
  EXPECT_TRUE(r.ok());
  return r.ok() ? r.value() : FunctionResult{};
}

FunctionResult viaTyped(const char* name, Trigger t, EdgeRequest req) {
  auto fn = native::Registry::global().find(name);
  EXPECT_TRUE(fn && fn->edgeRequest) << name;
  RequestEdit edit(t, req);
  EXPECT_EQ(fn->edgeRequest(edit, fn->userData), CDNLAB_NATIVE_OK);
  auto r = edit.take();
  EXPECT_TRUE(r.ok());
  return r.ok() ? r.value() : FunctionResult{};
}

TEST(RequestEdit, TypedBuiltinsMatchTheirJsonHandlers) {
  const std::pair<const char*, EdgeRequest> cases[] = {
      {"normalize-query", request("/obj/1", "b=2&utm_source=x&a=1&fbclid=y&c=")},
      {"normalize-query", request("/obj/1", "")},
      {"normalize-query", request("/obj/1", "a=1&b=2")},
      {"spa-rewrite", request("/docs/")},
      {"spa-rewrite", request("/settings/profile")},
      {"spa-rewrite", request("/app.js", "v=3")},
  };
  for (Trigger t : {Trigger::ViewerRequest, Trigger::OriginRequest}) {
    for (const auto& [name, req] : cases) {
      FunctionResult json = viaJson(name, t, req);
      FunctionResult typed = viaTyped(name, t, req);
      EXPECT_EQ(typed.generated(), json.generated()) << name;
      EXPECT_EQ(typed.request.uri, json.request.uri) << name << " " << req.uri;
      EXPECT_EQ(typed.request.querystring, json.request.querystring) << name << " " << req.querystring;
      EXPECT_EQ(typed.request.headers.size(), json.request.headers.size()) << name;
    }
  }
}

}  // namespace
}  // namespace cdnlab::lambda::edge

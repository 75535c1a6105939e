// WebSocket APIs, pure parts: the RFC 6455 handshake (Sec-WebSocket-Accept from the RFC's own
// example), events for CONNECT / MESSAGE / DISCONNECT, route selection and two-way answers.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "gateway/websocket/handshake.h"
#include "gateway/websocket/ws_event.h"

namespace cdnlab::gateway::websocket {
namespace {

http::Request upgradeRequest() {
  http::Request r;
  r.method = "GET";
  r.httpMinor = 1;
  r.headers.add("Host", "server.example.com");
  r.headers.add("Upgrade", "websocket");
  r.headers.add("Connection", "keep-alive, Upgrade");
  r.headers.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
  r.headers.add("Sec-WebSocket-Version", "13");
  return r;
}

TEST(WebSocketHandshake, AcceptKeyIsTheRfcExample) {
  EXPECT_EQ(acceptKeyFor("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  std::string r = switchingProtocolsResponse("dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol: chat\r\n");
  EXPECT_EQ(r, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n");
}

TEST(WebSocketHandshake, RequestChecks) {
  http::Request ok = upgradeRequest();
  EXPECT_TRUE(isUpgradeRequest(ok));
  EXPECT_FALSE(handshakeProblem(ok));
  auto bad = [&](auto mutate) {
    http::Request r = upgradeRequest();
    mutate(r);
    return handshakeProblem(r).has_value();
  };
  EXPECT_TRUE(bad([](http::Request& r) { r.method = "POST"; }));
  EXPECT_TRUE(bad([](http::Request& r) { r.httpMinor = 0; }));
  EXPECT_TRUE(bad([](http::Request& r) { r.headers.set("Connection", "keep-alive"); }));
  EXPECT_TRUE(bad([](http::Request& r) { r.headers.set("Sec-WebSocket-Version", "8"); }));
  EXPECT_TRUE(bad([](http::Request& r) { r.headers.remove("Sec-WebSocket-Key"); }));
  EXPECT_TRUE(bad([](http::Request& r) { r.headers.set("Sec-WebSocket-Key", "c2hvcnQ="); }));  // 5 bytes
  http::Request plain;
  plain.method = "GET";
  EXPECT_FALSE(isUpgradeRequest(plain));
}

TEST(WebSocketEvents, ConnectMessageDisconnect) {
  http::Headers h;
  h.add("Host", "abc.execute-api.localhost");
  h.add("X-Multi", "1");
  h.add("X-Multi", "2");
  WsEventInput in;
  in.eventType = "CONNECT";
  in.routeKey = "$connect";
  in.connectionId = "L0SM9cOFvHcCIhw=";
  in.connectedAtMs = 1700000000000;
  in.requestTimeMs = 1700000000001;
  in.requestId = "rid";
  in.apiId = "abc";
  in.domainName = "abc.execute-api.localhost";
  in.stage = "prod";
  in.sourceIp = "127.0.0.1";
  in.userAgent = "ua";
  in.headers = &h;
  in.rawQuery = "user=ann&user=bob";
  rapidjson::Document d;
  d.Parse(buildWebSocketEvent(in).c_str());
  ASSERT_TRUE(d.IsObject());
  EXPECT_STREQ(d["headers"]["X-Multi"].GetString(), "2");
  EXPECT_EQ(d["multiValueHeaders"]["X-Multi"].Size(), 2u);
  EXPECT_STREQ(d["queryStringParameters"]["user"].GetString(), "bob");
  EXPECT_EQ(d["multiValueQueryStringParameters"]["user"].Size(), 2u);
  const auto& rc = d["requestContext"];
  EXPECT_STREQ(rc["eventType"].GetString(), "CONNECT");
  EXPECT_STREQ(rc["connectionId"].GetString(), "L0SM9cOFvHcCIhw=");
  EXPECT_EQ(rc["connectedAt"].GetInt64(), 1700000000000);
  EXPECT_STREQ(rc["messageDirection"].GetString(), "IN");
  EXPECT_STREQ(rc["identity"]["sourceIp"].GetString(), "127.0.0.1");
  EXPECT_FALSE(d["isBase64Encoded"].GetBool());
  EXPECT_FALSE(d.HasMember("body"));

  in.eventType = "MESSAGE";
  in.routeKey = "sendmessage";
  in.messageId = "mid";
  in.body = "{\"action\":\"sendmessage\"}";
  d.Parse(buildWebSocketEvent(in).c_str());
  EXPECT_FALSE(d.HasMember("headers"));
  EXPECT_FALSE(d.HasMember("queryStringParameters"));
  EXPECT_STREQ(d["body"].GetString(), "{\"action\":\"sendmessage\"}");
  EXPECT_STREQ(d["requestContext"]["messageId"].GetString(), "mid");

  in.eventType = "DISCONNECT";
  in.routeKey = "$disconnect";
  in.messageId.clear();
  in.disconnectStatusCode = 1001;
  in.disconnectReason = "Going away";
  d.Parse(buildWebSocketEvent(in).c_str());
  EXPECT_EQ(d["requestContext"]["disconnectStatusCode"].GetInt(), 1001);
  EXPECT_STREQ(d["requestContext"]["disconnectReason"].GetString(), "Going away");
  EXPECT_TRUE(d.HasMember("headers"));
  EXPECT_FALSE(d.HasMember("body"));
}

TEST(WebSocketRoutes, SelectionExpression) {
  std::set<std::string> keys{"sendmessage", "$default", "42", "deep"};
  EXPECT_EQ(selectRoute("$request.body.action", R"({"action":"sendmessage"})", keys), "sendmessage");
  EXPECT_EQ(selectRoute("${request.body.action}", R"({"action":"sendmessage"})", keys), "sendmessage");
  EXPECT_EQ(selectRoute("$request.body.action", R"({"action":"other"})", keys), "$default");
  EXPECT_EQ(selectRoute("$request.body.action", R"({"action":42})", keys), "42");
  EXPECT_EQ(selectRoute("$request.body.a.b", R"({"a":{"b":"deep"}})", keys), "deep");
  EXPECT_EQ(selectRoute("$request.body.a.b", R"({"a":"deep"})", keys), "$default");
  EXPECT_EQ(selectRoute("$request.body.action", "not json", keys), "$default");
  EXPECT_EQ(selectRoute("$request.body.action", "[1]", keys), "$default");
  EXPECT_EQ(selectRoute("$request.body.action", R"({"action":{"x":1}})", keys), "$default");
  // A client's message nested 200,000 levels: parsed without recursion, routed by its action.
  std::string deep = R"({"action":"sendmessage","x":)" + std::string(200000, '[') + std::string(200000, ']') + "}";
  EXPECT_EQ(selectRoute("$request.body.action", deep, keys), "sendmessage");
}

TEST(WebSocketRoutes, RouteResponses) {
  // An integration's answer whose body nests 200,000 levels is passed on as it is, not
  // re-serialised by the recursive Writer.
  std::string deep = R"({"body":)" + std::string(200000, '[') + std::string(200000, ']') + "}";
  EXPECT_EQ(routeResponseOf(deep), deep);
  EXPECT_EQ(routeResponseOf(R"({"statusCode":200,"body":"hi"})"), "hi");
  EXPECT_EQ(routeResponseOf(R"({"body":{"a":1}})"), R"({"a":1})");
  EXPECT_EQ(routeResponseOf(R"("text")"), "text");
  EXPECT_EQ(routeResponseOf(R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(routeResponseOf("plain"), "plain");
  std::string id = newConnectionId();
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.back(), '=');
  EXPECT_EQ(id.find_first_of("/+"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::gateway::websocket

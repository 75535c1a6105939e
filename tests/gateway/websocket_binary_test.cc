// WebSocket APIs, binary data: the UTF-8 check that picks the frame type for @connections data,
// the MESSAGE event of a CONVERT_TO_BINARY integration, and contentHandlingStrategy's values.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "gateway/model/model_json.h"
#include "gateway/websocket/utf8.h"
#include "gateway/websocket/ws_event.h"

namespace cdnlab::gateway::websocket {
namespace {

using namespace std::string_literals;

TEST(WebSocketUtf8, WellFormedAccepted) {
  for (const std::string& ok : {""s, "plain ascii"s, "caf\xc3\xa9"s, "\xe2\x82\xac"s, "\xf0\x9f\x98\x80"s,
                                "\xef\xbf\xbf"s, "\xf4\x8f\xbf\xbf"s, "nul \0 inside"s, "\xed\x9f\xbf"s})
    EXPECT_TRUE(isValidUtf8(ok)) << ok;
}

TEST(WebSocketUtf8, MalformedRefused) {
  for (const std::string& bad : {"\x80"s, "\xc3"s, "\xc0\xaf"s, "\xc1\xbf"s,  // stray, truncated, overlong
                                 "\xe0\x80\xaf"s, "\xed\xa0\x80"s,             // overlong, surrogate
                                 "\xf0\x80\x80\xaf"s, "\xf4\x90\x80\x80"s,     // overlong, above U+10FFFF
                                 "\xf5\x80\x80\x80"s, "\xff"s, "ok\xe2\x82"s, "\x00\x01\xfe binary"s})
    EXPECT_FALSE(isValidUtf8(bad)) << bad.size();
}

TEST(WebSocketEvents, MessageBodyMarkedBase64ForConvertToBinary) {
  WsEventInput in;
  in.eventType = "MESSAGE";
  in.routeKey = "$default";
  in.connectionId = "L0SM9cOFvHcCIhw=";
  in.body = "AAEC/w==";
  in.bodyIsBase64 = true;
  rapidjson::Document d;
  d.Parse(buildWebSocketEvent(in).c_str());
  ASSERT_TRUE(d.IsObject());
  EXPECT_STREQ(d["body"].GetString(), "AAEC/w==");
  EXPECT_TRUE(d["isBase64Encoded"].GetBool());
  in.bodyIsBase64 = false;
  d.Parse(buildWebSocketEvent(in).c_str());
  EXPECT_FALSE(d["isBase64Encoded"].GetBool());
}

TEST(WebSocketIntegrations, ContentHandlingStrategyValues) {
  for (const char* ok : {"CONVERT_TO_BINARY", "CONVERT_TO_TEXT"}) {
    rapidjson::Document d;
    d.Parse((R"({"integrationType":"AWS_PROXY","integrationUri":"fn","contentHandlingStrategy":")"s + ok + "\"}").c_str());
    Integration in;
    auto r = readIntegration(d, in, false);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(in.contentHandlingStrategy, ok);
  }
  rapidjson::Document d;
  d.Parse(R"({"integrationType":"AWS_PROXY","contentHandlingStrategy":"CONVERT_TO_JSON"})");
  Integration in;
  auto r = readIntegration(d, in, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("contentHandlingStrategy"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::gateway::websocket

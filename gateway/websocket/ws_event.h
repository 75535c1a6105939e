// WebSocket API events and route selection, pure: the Lambda proxy event API Gateway sends for
// CONNECT, MESSAGE and DISCONNECT (requestContext with eventType, connectionId, routeKey,
// connectedAt, messageId, domainName, stage, apiId, ...), the route a message takes under the
// API's routeSelectionExpression, and what a two-way route sends back from a function's answer.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "common/http/message.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway::websocket {

struct WsEventInput {
  std::string eventType;  // CONNECT | MESSAGE | DISCONNECT
  std::string routeKey;
  std::string connectionId;
  int64_t connectedAtMs = 0;
  int64_t requestTimeMs = 0;
  std::string requestId;
  std::string messageId;  // MESSAGE only
  std::string apiId;
  std::string domainName;
  std::string stage;
  std::string sourceIp;
  std::string userAgent;
  const http::Headers* headers = nullptr;  // CONNECT / DISCONNECT: the handshake's headers
  std::string rawQuery;                    // CONNECT: the handshake's query
  std::string body;                        // MESSAGE: the text received
  bool bodyIsBase64 = false;               // MESSAGE: body is base64 of binary data (CONVERT_TO_BINARY)
  int disconnectStatusCode = -1;           // DISCONNECT
  std::string disconnectReason;
  const StringMap* stageVariables = nullptr;
};

std::string buildWebSocketEvent(const WsEventInput& in);

// The route key a message selects: the value at the expression's path in the message's JSON
// ("$request.body.action" or "${request.body.action}", nested "a.b" too) when it is a string,
// a number or a boolean that names a route in `routeKeys`; otherwise "$default" (which the
// caller may not have either). A message that is not JSON goes to "$default".
std::string selectRoute(std::string_view routeSelectionExpression, std::string_view message,
                        const std::set<std::string>& routeKeys);

// What a two-way route sends the client from a Lambda proxy answer: the "body" of an object that
// has one (a JSON value other than a string is sent as its JSON text), else the answer's text.
std::string routeResponseOf(std::string_view functionAnswer);

// A connection id in API Gateway's shape ("L0SM9cOFvHcCIhw="): 15 random characters from
// letters and digits and a trailing '=', safe in a URL path without encoding.
std::string newConnectionId();

}  // namespace cdnlab::gateway::websocket

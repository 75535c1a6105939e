// The WebSocket opening handshake (RFC 6455 section 4.2), pure: checking a client's upgrade
// request and the server's 101 answer with Sec-WebSocket-Accept. Frames are wslay's job
// (session.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/http/message.h"

namespace cdnlab::gateway::websocket {

// True when the request asks to switch to WebSocket (Upgrade: websocket).
bool isUpgradeRequest(const http::Request& req);
// Why the upgrade request is not a valid RFC 6455 handshake (GET, HTTP/1.1, Connection: Upgrade,
// Sec-WebSocket-Version 13, a Sec-WebSocket-Key of 16 base64 bytes), or nullopt when it is.
std::optional<std::string> handshakeProblem(const http::Request& req);
// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::string acceptKeyFor(std::string_view secWebSocketKey);
// "HTTP/1.1 101 Switching Protocols" with Upgrade, Connection, Sec-WebSocket-Accept and any
// extra header lines (each "Name: value\r\n").
std::string switchingProtocolsResponse(std::string_view secWebSocketKey, std::string_view extraHeaderLines);

}  // namespace cdnlab::gateway::websocket

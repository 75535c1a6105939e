// WebSocket opening handshake (see handshake.h).
#include "gateway/websocket/handshake.h"

#include <openssl/sha.h>

#include "gateway/integrations/proxy_event.h"

namespace cdnlab::gateway::websocket {

bool isUpgradeRequest(const http::Request& req) {
  auto up = req.headers.get("upgrade");
  return up && http::equalsIgnoreCase(http::trimOws(*up), "websocket");
}

std::optional<std::string> handshakeProblem(const http::Request& req) {
  if (req.method != "GET") return "a WebSocket handshake must be a GET";
  if (req.httpMinor < 1) return "a WebSocket handshake needs HTTP/1.1";
  if (!http::listHasToken(req.headers.getAll("connection"), "upgrade")) return "Connection must include Upgrade";
  auto version = req.headers.get("sec-websocket-version");
  if (!version || http::trimOws(*version) != "13") return "Sec-WebSocket-Version must be 13";
  auto key = req.headers.get("sec-websocket-key");
  if (!key) return "Sec-WebSocket-Key is missing";
  auto raw = base64Decode(http::trimOws(*key));
  if (!raw || raw->size() != 16) return "Sec-WebSocket-Key must be 16 bytes in base64";
  return std::nullopt;
}

std::string acceptKeyFor(std::string_view key) {
  std::string in(http::trimOws(key));
  in += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
  return base64Encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string switchingProtocolsResponse(std::string_view key, std::string_view extraHeaderLines) {
  std::string r = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
  r += acceptKeyFor(key);
  r += "\r\n";
  r += extraHeaderLines;
  r += "\r\n";
  return r;
}

}  // namespace cdnlab::gateway::websocket

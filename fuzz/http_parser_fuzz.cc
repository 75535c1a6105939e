// libFuzzer target for common/http's RequestParser and ResponseParser (the llhttp wrapper): any
// byte stream, cut into pieces at any points, must give messages or an error, never a crash,
// a hang or a sanitizer report. Byte 0 picks request/response and the piece size.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "common/http/parser.h"

using namespace cdnlab::http;

namespace {

template <typename Parser, typename OnMessage>
void feedAll(Parser& parser, const char* data, size_t size, size_t piece, OnMessage onMessage) {
  size_t pos = 0;
  int messages = 0;
  while (pos < size && messages < 1000) {
    size_t n = piece == 0 ? size - pos : std::min(piece, size - pos);
    ParseResult r = parser.feed(data + pos, n);
    pos += r.consumed;
    if (r.event == ParseEvent::Error) return;
    if (r.event == ParseEvent::Message) {
      onMessage();
      parser.next();
      ++messages;
    } else if (r.event != ParseEvent::ExpectContinue && r.consumed == 0 && n > 0) {
      return;  // no progress on a non-empty piece: the parser is waiting for the caller
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* text = reinterpret_cast<const char*>(data + 1);
  size_t len = size - 1;
  size_t piece = (data[0] >> 1) % 17;  // 0: all at once, else pieces of 1..16 bytes
  ParserLimits limits;
  limits.maxHeaderBytes = 2048;
  limits.maxBodyBytes = 1 << 20;
  if (data[0] & 1) {
    ResponseParser p(limits);
    p.expectNoBody((data[0] & 0x80) != 0);
    feedAll(p, text, len, piece, [&] { (void)p.response().status; });
    (void)p.finish();
  } else {
    RequestParser p(limits);
    feedAll(p, text, len, piece, [&] {
      Request& r = p.request();
      (void)r.headers.get("host");
      (void)listHasToken(r.headers.get("connection").value_or(""), "close");
    });
  }
  return 0;
}

// UTF-8 validity (see utf8.h): the well-formed byte sequences of RFC 3629 section 4.
#include "gateway/websocket/utf8.h"

#include <cstdint>

namespace cdnlab::gateway::websocket {

bool isValidUtf8(std::string_view s) {
  size_t i = 0, n = s.size();
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  auto cont = [&](size_t k, uint8_t lo = 0x80, uint8_t hi = 0xBF) { return k < n && byte(k) >= lo && byte(k) <= hi; };
  while (i < n) {
    uint8_t b = byte(i);
    if (b < 0x80) {
      ++i;
    } else if (b >= 0xC2 && b <= 0xDF) {
      if (!cont(i + 1)) return false;
      i += 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      // E0: no overlongs (A0..BF); ED: no surrogates (80..9F).
      uint8_t lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return false;
      i += 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      // F0: no overlongs (90..BF); F4: nothing above U+10FFFF (80..8F).
      uint8_t lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return false;
      i += 4;
    } else {
      return false;  // 80..C1 as a first byte, F5..FF
    }
  }
  return true;
}

}  // namespace cdnlab::gateway::websocket

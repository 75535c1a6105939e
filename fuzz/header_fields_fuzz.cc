// libFuzzer target for the header field parsers: Cache-Control, HTTP dates (common/http and the
// cache's), ETag lists (If-None-Match on the origin, weak comparison in the cache), token lists
// (Connection, Vary) and the Vary request value. Any value must parse or be refused, never crash.
// Byte 0 picks the parser; the rest is the field value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/http/message.h"
#include "edge/cache/conditional.h"
#include "edge/cache/entry.h"
#include "edge/cache/freshness.h"
#include "edge/cache/http_types.h"
#include "origin/catalog/conditional.h"

using namespace cdnlab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view value(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 6) {
    case 0: {
      edge::cache::CacheControl cc = edge::cache::parseCacheControl(value);
      (void)cc;
      http::Headers h;
      h.add("Cache-Control", value);
      h.add("cache-control", value.substr(value.size() / 2));
      (void)edge::cache::parseCacheControl(&h);
      break;
    }
    case 1: {
      if (auto t = http::parseHttpDate(value)) {
        char out[29];
        http::formatHttpDate(*t, out);
      }
      if (auto t = edge::cache::parseHttpDate(value)) (void)edge::cache::formatHttpDate(*t);
      break;
    }
    case 2: {
      // If-None-Match against an ETag taken from the same input, strong and weak.
      size_t cut = value.find('\n');
      std::string_view list = value.substr(0, cut);
      std::string_view etag = cut == std::string_view::npos ? std::string_view("\"x\"") : value.substr(cut + 1);
      (void)origin::catalog::ifNoneMatchMatches(list, etag);
      (void)edge::cache::weakEtagMatch(list, etag);
      http::Headers h;
      h.add("If-None-Match", list);
      h.add("If-Modified-Since", etag);
      (void)origin::catalog::notModified(h, etag, 1700000000);
      break;
    }
    case 3:
      (void)http::listHasToken(value, "close");
      (void)http::listHasToken(value, "chunked");
      (void)http::trimOws(value);
      break;
    case 4: {
      http::Headers h;
      size_t cut = value.find(':');
      std::string_view name = cut == std::string_view::npos ? std::string_view("accept-encoding") : value.substr(0, cut);
      std::string_view v = cut == std::string_view::npos ? value : value.substr(cut + 1);
      h.add(name, v);
      h.add(name, v.substr(v.size() / 2));
      (void)edge::cache::varyRequestValue(&h, name);
      (void)edge::cache::varyRequestValue(&h, "accept-encoding");
      break;
    }
    case 5: {
      http::Headers h;
      h.add("Cache-Control", value);
      (void)edge::cache::joinedHeader(h, "cache-control");
      (void)edge::cache::findHeader(h, "CACHE-CONTROL");
      break;
    }
  }
  return 0;
}

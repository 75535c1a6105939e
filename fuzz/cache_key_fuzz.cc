// libFuzzer target for the cache-key normaliser (edge/cache/cache_key.h): any request target,
// Host and included header must give a key, and normalising is idempotent on the URL part
// (a purge URL built from a key's URL finds that key). Byte 0 picks the config.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "edge/cache/cache_key.h"

using namespace cdnlab::edge::cache;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  CacheKeyConfig config;
  config.ignoreQuery = data[0] & 1;
  config.sortQuery = data[0] & 2;
  if (data[0] & 4) config.includeHeaders = {"Accept-Language", "x-device"};
  // "host\ntarget\nheader value"
  size_t a = in.find('\n');
  std::string_view host = a == std::string_view::npos ? std::string_view("example.com") : in.substr(0, a);
  std::string_view rest = a == std::string_view::npos ? in : in.substr(a + 1);
  size_t b = rest.find('\n');
  std::string_view target = rest.substr(0, b);
  std::string_view header = b == std::string_view::npos ? std::string_view() : rest.substr(b + 1);
  cdnlab::http::Headers headers;
  if (!header.empty()) headers.add("accept-language", header);
  RequestView req;
  req.method = (data[0] & 8) ? "HEAD" : "GET";
  req.scheme = (data[0] & 16) ? "https" : "http";
  req.host = host;
  req.target = target;
  req.headers = &headers;
  CacheKey key = makeCacheKey(req, config);
  if (key.hash != cacheKeyFromCanonical(key.canonical).hash) std::abort();
  (void)key.url();
  (void)normalizeUrl(req.scheme, host, target, config);
  return 0;
}

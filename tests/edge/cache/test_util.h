// Helpers shared by the cache tests: header lists, a fixed wall clock, entries built the way the
// PoP builds them (makeEntry over a GET).
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include "edge/cache/cache_key.h"
#include "edge/cache/entry.h"
#include "edge/cache/freshness.h"

namespace cdnlab::edge::cache::testing {

// 2024-01-01T00:00:00Z: every test's "now" starts here (fake clock: plain numbers).
constexpr int64_t kT0S = 1704067200;
constexpr int64_t kT0Ms = kT0S * 1000;

inline Headers H(std::initializer_list<std::pair<const char*, std::string>> fields) {
  Headers h;
  for (const auto& [n, v] : fields) h.fields().push_back(Header{n, v});
  return h;
}

inline std::string dateAt(int64_t offsetS) { return formatHttpDate(kT0S + offsetS); }

inline CacheKey keyFor(const std::string& path, const std::string& host = "example.com") {
  RequestView r;
  r.host = host;
  r.target = path;
  return makeCacheKey(r, {});
}

// A GET at kT0Ms + atMs, answered with `status` + headers (+ a Date at that time unless given).
inline std::shared_ptr<Entry> entryFor(const std::string& path, Headers resp, int64_t atMs = 0,
                                       const std::string& body = "hello",
                                       const Headers* reqHeaders = nullptr, int status = 200,
                                       const FreshnessConfig& cfg = {}) {
  if (!hasHeader(resp, "date")) resp.fields().push_back(Header{"Date", dateAt(atMs / 1000)});
  RequestView r;
  r.host = "example.com";
  r.target = path;
  r.headers = reqHeaders;
  auto e = makeEntry(makeCacheKey(r, {}), r, status, std::move(resp), Buffer(body), kT0Ms + atMs,
                     kT0Ms + atMs, cfg);
  return e.ok() ? e.value() : nullptr;
}

}  // namespace cdnlab::edge::cache::testing

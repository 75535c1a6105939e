// An entry is a cached response (see docs glossary: object / entry / item). Entries are
// immutable once built and handed out as shared_ptr<const Entry>: a reader keeps the body
// alive while the store evicts or replaces it. Only the hit counter mutates (atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/buffer.h"
#include "edge/cache/cache_key.h"
#include "edge/cache/http_types.h"

namespace cdnlab::edge::cache {

// Immutable refcounted body: a hit hands the same bytes to uv_write without copying.
using Body = cdnlab::Buffer;

// Field order: what a store lookup reads on a hit (the key, the age and freshness inputs, the
// hit count, Vary's names) comes first, up to byte 127; with make_shared's 16-byte control block
// in front that is 144 bytes, at most three cache lines. The validators (read on a hit only
// when the store keeps entries for revalidation), the status, headers and body, which the
// response stage reads, follow.
struct Entry {
  CacheKey key;

  // RFC 9111 4.2.3 Age arithmetic inputs, all wall-clock milliseconds since the epoch except
  // where named seconds.
  int64_t requestTimeMs = 0;   // when the request that produced this response was sent
  int64_t responseTimeMs = 0;  // when the response was received
  int64_t dateValueS = 0;      // Date header (seconds); responseTime/1000 when absent/invalid
  int64_t ageValueS = 0;       // Age header (seconds), 0 when absent/invalid

  // Freshness lifetime in seconds after config overrides (min/max/default TTL), RFC 9111 4.2.1.
  int64_t freshnessLifetimeS = 0;
  bool heuristic = false;  // lifetime came from the heuristic (4.2.2)

  // Revalidation requirements (RFC 9111 5.2.2): no-cache -> revalidate on every use;
  // must-revalidate / proxy-revalidate -> never serve stale (also not via SWR / SIE).
  bool noCache = false;
  bool mustRevalidate = false;
  // s-maxage (5.2.2.10) carries proxy-revalidate: a client's max-stale cannot extend it. The
  // origin's own stale-while-revalidate / stale-if-error still apply (explicit permissions).
  bool maxStaleForbidden = false;

  // RFC 5861 windows, seconds past the end of freshness; 0 = none.
  int64_t staleWhileRevalidateS = 0;
  int64_t staleIfErrorS = 0;

  mutable std::atomic<uint32_t> hits{0};

  // Vary (RFC 9111 4.1): lower-cased field names, sorted, and the request's normalised value
  // for each (same order). An absent request header is stored as absent, not as "".
  std::vector<std::string> varyNames;
  std::vector<std::optional<std::string>> varyValues;

  // Validators (RFC 9110 8.8) as received; empty when absent.
  std::string etag;
  std::string lastModified;

  int status = 200;
  Headers headers;  // stored response headers (hop-by-hop fields removed by the caller)
  Body body;

  // Surrogate-Key response header, split on whitespace (Fastly convention), for purges.
  std::vector<std::string> surrogateKeys;

  Entry() = default;
  // Entries are immutable after build; a refresh (304) builds a new one from a copy.
  std::shared_ptr<Entry> clone() const;

  // Bytes charged against the store's capacity: body + header names/values + key.
  uint64_t chargedBytes() const;
  // Seconds until this entry is of no use at all (end of freshness + max(SWR, SIE) windows),
  // measured as current age; the store drops it after that (lazily or by sweep).
  int64_t usefulLifetimeS() const;
};

// The request's value for a Vary field (joined lines, whitespace around commas collapsed).
std::optional<std::string> varyRequestValue(const Headers* requestHeaders, std::string_view name);

// True when the request selects this variant (RFC 9111 4.1).
bool variantMatches(const Entry& entry, const Headers* requestHeaders);

}  // namespace cdnlab::edge::cache

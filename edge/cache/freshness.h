// RFC 9111 storage and freshness rules for a shared cache (the PoP). Pure functions: time comes
// in as a parameter (wall-clock milliseconds since the epoch). Used at the OriginResponse step
// (isStorable, makeEntry) and the Lookup step (decide).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "edge/cache/entry.h"
#include "edge/cache/http_types.h"

namespace cdnlab::edge::cache {

// Parsed Cache-Control (RFC 9111 5.2), request or response. Unknown directives are ignored
// (5.2.3). Delta-seconds that are invalid are treated conservatively: an invalid max-age /
// s-maxage is "stale" (0, 4.2.1 / 1.2.2), an invalid max-stale is "any staleness"; when a
// directive repeats, the first occurrence wins for values except the freshness ones, where
// any duplicate makes the response stale (4.2.1: "invalid ... or duplicate").
struct CacheControl {
  // response
  std::optional<int64_t> maxAge;    // also request max-age
  std::optional<int64_t> sMaxAge;
  bool noStore = false;             // request and response
  bool noCache = false;             // request and response (qualified form treated as plain)
  bool isPrivate = false;
  bool isPublic = false;
  bool mustRevalidate = false;
  bool proxyRevalidate = false;
  bool mustUnderstand = false;
  bool noTransform = false;
  bool immutable = false;
  std::optional<int64_t> staleWhileRevalidate;  // RFC 5861
  std::optional<int64_t> staleIfError;          // RFC 5861, request and response
  // request only
  std::optional<int64_t> maxStale;  // INT64_MAX for "max-stale" without a value
  std::optional<int64_t> minFresh;
  bool onlyIfCached = false;
};

CacheControl parseCacheControl(std::string_view value);
CacheControl parseCacheControl(const Headers* headers);  // joins all Cache-Control lines

struct FreshnessConfig {
  bool allowSetCookie = false;      // store responses with Set-Cookie (field kept)
  bool allowAuthorization = false;  // store answers to Authorization requests without public etc.
  bool heuristic = false;           // RFC 9111 4.2.2, off by default (docs/architecture.md)
  double heuristicFraction = 0.1;   // of (Date - Last-Modified)
  int64_t heuristicMaxS = 86400;    // cap of a heuristic lifetime
  // CloudFront-like overrides (seconds). default: lifetime for heuristically cacheable
  // statuses with no explicit freshness; min / max clamp every lifetime (explicit or not).
  std::optional<int64_t> defaultTtlS;
  std::optional<int64_t> minTtlS;
  std::optional<int64_t> maxTtlS;
  // CloudFront's rule for cache policies: a minTtl above 0 overrides the origin's no-cache,
  // no-store and private (the object is cached for at least minTtl). Off: RFC 9111 wins.
  bool minTtlOverridesNoStore = false;
  // RFC 9213 targeted cache-control fields this cache obeys, in precedence order (e.g.
  // "Cdnlab-Cache-Control", "CDN-Cache-Control"). The first one present with a valid value
  // replaces Cache-Control and Expires for this cache's decisions.
  std::vector<std::string> targetedFields;
  // Response field whose members (split on whitespace and commas) are the entry's surrogate keys
  // for purge by tag: "Surrogate-Key" (Fastly, space-separated) or "Cache-Tag" (comma-separated).
  std::string surrogateKeyField = "Surrogate-Key";
};

// The directives this cache applies to a response: the first targeted field present with a
// valid value (RFC 9213 2.2), else Cache-Control. `targeted` tells which was used (when the
// targeted field wins, Expires is ignored as well).
CacheControl responseCacheControl(const Headers& headers, const FreshnessConfig& config, bool* targeted = nullptr);

// RFC 9111 5.1: Age is a singleton, but a list's first member is used; a value that is not a
// non-negative integer ("5s", "-1") is ignored. nullopt when absent or ignored.
std::optional<int64_t> parseAgeField(const Headers& headers);

// Status codes this cache understands (RFC 9110 section 15's registered final codes): only these
// may be stored under must-understand (RFC 9111 5.2.2.3).
bool understoodStatus(int status);

// Why a response is (not) stored; the PoP counts these.
enum class StoreVerdict {
  Store,
  MethodNotCacheable,   // only GET and HEAD
  StatusNotUnderstood,  // 1xx, 206 (no range support), 304
  NoStore,              // request or response no-store (3)
  Private,              // private in a shared cache (5.2.2.7)
  Authorization,        // 3.5
  SetCookie,            // config
  VaryStar,             // Vary: * never matches (4.1)
  NoFreshness,          // neither explicit freshness, nor heuristic, nor a default TTL
};
std::string_view verdictName(StoreVerdict v);

struct ResponseView {
  int status = 200;
  const Headers* headers = nullptr;
};

// RFC 9111 section 3 for a shared cache.
// `responseTimeMs` stands in for a missing or invalid Date when the lifetime is computed.
StoreVerdict isStorable(const RequestView& request, const ResponseView& response,
                        const FreshnessConfig& config, int64_t responseTimeMs = 0);

// Freshness lifetime in seconds (4.2.1): s-maxage > max-age > Expires - Date > heuristic
// (4.2.2) > config default; then clamped to [minTtl, maxTtl]. `heuristic` tells whether the
// heuristic produced the value. nullopt: no lifetime at all (not storable).
struct Lifetime {
  int64_t seconds = 0;
  bool heuristic = false;
};
std::optional<Lifetime> freshnessLifetime(const ResponseView& response,
                                          const FreshnessConfig& config,
                                          int64_t responseTimeMs);

// RFC 9111 4.2.3 current_age in seconds.
int64_t currentAgeS(const Entry& entry, int64_t nowMs);

// Builds an entry from a storable response. Fails (code 0, message = verdict name) when
// isStorable says no. `requestTimeMs` / `responseTimeMs` bracket the upstream exchange.
Result<std::shared_ptr<Entry>> makeEntry(const CacheKey& key, const RequestView& request, int status,
                                         Headers headers, Body body, int64_t requestTimeMs,
                                         int64_t responseTimeMs, const FreshnessConfig& config);

// The Lookup step's answer for a found entry.
enum class Freshness {
  Fresh,                 // serve as is
  StaleWhileRevalidate,  // serve stale now, refresh in the background (RFC 5861 3)
  MustRevalidate,        // revalidate (or refetch) before serving
};
std::string_view freshnessName(Freshness f);

struct Decision {
  Freshness freshness = Freshness::MustRevalidate;
  bool usableOnError = false;  // within stale-if-error: serve it if the upstream fails (RFC 5861 4)
  bool expired = false;        // past every window: no use but as a validator source
  int64_t ageS = 0;            // current age, for the Age header
};

// Applies the entry's lifetime, its directives and the request's Cache-Control (max-age,
// min-fresh, max-stale, no-cache, stale-if-error) at time nowMs.
Decision decide(const Entry& entry, const CacheControl& request, int64_t nowMs);

}  // namespace cdnlab::edge::cache

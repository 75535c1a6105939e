// Hash step of the edge request path: request -> normalised canonical key -> XXH3-64.
// The canonical string is kept next to the hash for purge by URL / prefix, debugging and the
// collision check on lookup (two keys with one hash are two entries, never one).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edge/cache/http_types.h"

namespace cdnlab::edge::cache {

struct CacheKeyConfig {
  bool ignoreQuery = false;  // drop "?query" from the key (CloudFront "query strings: none")
  bool sortQuery = false;    // order query parameters so a=1&b=2 and b=2&a=1 share an entry
  std::vector<std::string> includeHeaders;  // request header names whose values join the key
};

// Canonical form: "<scheme>://<host><path>[?<query>] <METHOD>[ <name>=<value>]..."
//   scheme and host lower-cased, default port (80 for http, 443 for https) dropped,
//   path and query: normalised by normalizeTarget (request_target.h: escaped unreserved
//   characters decoded, other escapes upper-cased, dot segments removed), the same form the
//   PoP forwards upstream; empty path -> "/";
//   HEAD is keyed as GET (a GET entry answers a HEAD, RFC 9110 9.3.2);
//   included headers: lower-cased name, value trimmed; absent header -> "name=" (no value).
// The URL part comes first and never contains a space, so purge by URL or prefix matches it
// directly (CacheStore::purgeUrl / purgePrefix).
struct CacheKey {
  uint64_t hash = 0;      // XXH3-64 of `canonical`
  std::string canonical;

  std::string_view url() const;  // the part before the first space
  bool operator==(const CacheKey& o) const { return hash == o.hash && canonical == o.canonical; }
};

// The URL part of a canonical key: the part before the first space.
std::string_view canonicalUrl(std::string_view canonical);

CacheKey makeCacheKey(const RequestView& request, const CacheKeyConfig& config);
// For callers that already hold a canonical string (purge, simulator, tests).
CacheKey cacheKeyFromCanonical(std::string canonical);

// Normalises "scheme://host[:port]/path?query" the way makeCacheKey does (used for purge URLs).
std::string normalizeUrl(std::string_view scheme, std::string_view host, std::string_view target,
                         const CacheKeyConfig& config);

}  // namespace cdnlab::edge::cache

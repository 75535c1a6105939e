// What a behavior's policies make of a client request (behaviors.h): the cache key (cache
// policy) and the fields forwarded upstream (cache policy + origin request policy, CloudFront's
// semantics). Pure functions, called by the Hash and Fetch steps.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http/message.h"
#include "edge/cache/cache_key.h"
#include "edge/pop/behaviors.h"

namespace cdnlab::edge::pop {

// `query` (without '?') keeping only the parameters that `a` or `b` selects, in request order.
// A parameter's name is the part before its first '='.
std::string selectQuery(std::string_view query, const NameSelection& a, const NameSelection& b);

// Every cookie of every Cookie line, "a=1; b=2" -> {{a,1},{b,2}}, in request order.
std::vector<std::pair<std::string, std::string>> requestCookies(const http::Headers& headers);

// The cache key under `behavior`: scheme://host + path [+ ?selected query] + method, then the
// selected headers (" name=value", as CacheKeyConfig::includeHeaders) and the selected cookies
// (" cookie:name=value", sorted by name, so their order in the request does not matter).
// `path` and `query` are the normalised ones (Recv).
cache::CacheKey behaviorCacheKey(const Behavior& behavior, std::string_view host, std::string_view method,
                                 std::string_view path, std::string_view query, const http::Headers& headers);

// Reduces the client's fields to what CloudFront would send the origin under `behavior`: the
// headers in the cache key or the origin request policy, the fields always sent (User-Agent,
// Content-Type and Content-Encoding of a body), and one Cookie field built from the selected
// cookies. Hop-by-hop fields and Host are the caller's business (already removed).
void applyOriginRequestPolicy(const Behavior& behavior, http::Headers& headers);

}  // namespace cdnlab::edge::pop

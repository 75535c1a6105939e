// Validators and conditional requests: the Revalidate step (build the upstream conditional
// request, apply its 304) and client conditionals answered at Deliver (RFC 9110 13, RFC 9111 4.3).
#pragma once

#include <memory>

#include "edge/cache/entry.h"
#include "edge/cache/freshness.h"
#include "edge/cache/http_types.h"

namespace cdnlab::edge::cache {

// If-None-Match from the ETag, If-Modified-Since from Last-Modified (RFC 9111 4.3.1); empty
// when the entry has no validator (then refetch unconditionally).
Headers revalidationHeaders(const Entry& entry);
bool hasValidator(const Entry& entry);

// RFC 9111 4.3.4: a 304 refreshes the stored entry: its header fields replace the stored ones
// (except Content-Length and framing), freshness is recomputed from the merged headers and the
// new request/response times. Returns a new entry (entries are immutable); the body buffer is
// shared, not copied; CacheStore::insert it to replace the stale one (same key and variant).
// Fails if the 304 carries a strong ETag that does not match (then refetch).
Result<std::shared_ptr<Entry>> applyNotModified(const Entry& stored, const Headers& notModified,
                                                int64_t requestTimeMs, int64_t responseTimeMs,
                                                const FreshnessConfig& config);

enum class ConditionalResult { Full, NotModified };
// RFC 9110 13.2.2: If-None-Match (weak comparison, 13.1.2) wins over If-Modified-Since, which
// applies only to GET/HEAD and only when the entry has Last-Modified.
ConditionalResult evaluateConditional(const Entry& entry, const RequestView& request);

// Weak comparison (RFC 9110 8.8.3.2): opaque tags equal, W/ prefixes ignored.
bool weakEtagMatch(std::string_view a, std::string_view b);

}  // namespace cdnlab::edge::cache

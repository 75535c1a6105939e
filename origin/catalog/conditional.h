// Conditional GET/HEAD evaluation for the catalog origin (RFC 9110 13.1-13.2): decides whether
// a request's validators match the object, so the origin answers 304 Not Modified.
#pragma once

#include <ctime>
#include <string_view>

#include "common/http/message.h"

namespace cdnlab::origin::catalog {

// True when If-None-Match lists an entity-tag that weakly matches `etag` (or is "*").
// Malformed lists match nothing (the request then gets a full 200, the safe answer).
bool ifNoneMatchMatches(std::string_view ifNoneMatch, std::string_view etag);

// RFC 9110 13.2.2 for GET/HEAD: If-None-Match decides when present (If-Modified-Since is then
// ignored, 13.1.3); otherwise If-Modified-Since with a valid HTTP-date decides: not modified when
// lastModified <= that date. Returns true when the answer is 304 Not Modified.
bool notModified(const http::Headers& requestHeaders, std::string_view etag, std::time_t lastModified);

}  // namespace cdnlab::origin::catalog

// Byte-range requests answered from a full stored response (RFC 9110 section 14): parsing the
// Range field against the representation's length, the If-Range check, and the 206 / 416
// bodies (single part, or multipart/byteranges). Pure: the Deliver step calls it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edge/cache/http_types.h"

namespace cdnlab::edge::cache {

struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive, < the representation length
  uint64_t length() const { return last - first + 1; }
};

enum class RangeVerdict {
  Ignore,         // no Range, a unit other than bytes, bad syntax, too many parts: send 200
  Satisfiable,    // send 206 with `ranges`
  Unsatisfiable,  // send 416 with Content-Range: bytes */length
};

struct RangePlan {
  RangeVerdict verdict = RangeVerdict::Ignore;
  std::vector<ByteRange> ranges;  // in request order, overlapping ones merged, clamped to the length
};

// At most this many ranges are honoured; a request for more is answered in full (200), as
// RFC 9110 14.2 allows, so a "bytes=0-0,0-0,..." flood cannot multiply the response.
inline constexpr size_t kMaxRanges = 32;

// Parses `value` ("bytes=0-99, 200-, -50") for a representation of `length` bytes.
RangePlan planRange(std::string_view value, uint64_t length);

// RFC 9110 13.1.5: true when the request's If-Range (absent: true) matches the stored validators:
// an entity-tag by strong comparison with `etag`; an HTTP-date only if it equals a strong
// `lastModified` (one at least a second before `dateS`, 8.8.2.2).
bool ifRangeMatches(const Headers* request, std::string_view etag, std::string_view lastModified, int64_t dateS);

// "bytes first-last/length" and "bytes */length".
std::string contentRange(const ByteRange& r, uint64_t length);
std::string unsatisfiedRange(uint64_t length);

// A multipart/byteranges body (RFC 9110 14.6) for `ranges` of `body`, each part carrying
// `contentType` (when not empty) and its Content-Range.
std::string multipartBody(std::string_view body, const std::vector<ByteRange>& ranges, std::string_view contentType,
                          std::string_view boundary);

}  // namespace cdnlab::edge::cache

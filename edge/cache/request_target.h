// The one normalised form of a request-target that the PoP both keys and forwards upstream
// (RFC 3986 section 6.2.2), so that two requests share a cache entry only if the origin sees
// the same request for both. A target that cannot be normalised is refused (400) at Recv.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdnlab::edge::cache {

struct NormalizedTarget {
  std::string authority;             // lower-cased, of an absolute-form target; else empty
  std::string path;                  // starts with '/', dot segments removed
  std::optional<std::string> query;  // without the '?'; nullopt when the target had none

  // "path[?query]": what the key holds and what goes upstream.
  std::string originForm() const;
};

// Normalises an origin-form ("/a/b?q") or absolute-form ("http://host/a?q") request-target:
//   - "%xx" escapes of unreserved characters (ALPHA DIGIT - . _ ~) are decoded, every other
//     escape is kept with upper-case hex digits (so %2F stays a different resource from /);
//   - bytes that may not appear in a URI (non-ASCII, " < > \ ^ ` { | } [ ]) are percent-encoded;
//   - dot segments ("/./", "/../", decoded %2E included) are removed from the path (RFC 3986 5.2.4).
// Error (code 400, message says why): a '#' (a fragment is never sent, RFC 9110 7.1), a '%' not
// followed by two hex digits, a control byte or space, a target that is neither origin-form nor
// a valid http(s) absolute-form.
Result<NormalizedTarget> normalizeTarget(std::string_view target);

}  // namespace cdnlab::edge::cache

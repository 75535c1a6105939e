// Percent-encoding (RFC 3986 section 2.1) of a path segment or query component a client puts in a
// URL: the unreserved characters (ALPHA DIGIT - . _ ~, section 2.3) stay, every other byte is %XX
// (upper-case hex, as section 2.1 recommends). The gateway's integrations encode what they send
// upstream with it, and `cdnlab purge` the URL, prefix or tag it asks a PoP to purge.
#pragma once

#include <string>
#include <string_view>

namespace cdnlab {

// keepSlash: '/' stays too (a greedy {proxy+} value spans segments; a purge prefix is a path).
std::string percentEncode(std::string_view s, bool keepSlash = false);

}  // namespace cdnlab

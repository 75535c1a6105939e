// Percent-encoding (RFC 3986 section 2.1) of a path segment or query component that an integration
// sends upstream: the unreserved characters (ALPHA DIGIT - . _ ~) stay, every other byte is %XX.
#pragma once

#include <string>
#include <string_view>

namespace cdnlab::gateway {

// keepSlash: '/' stays too (a greedy {proxy+} value spans segments).
std::string percentEncode(std::string_view s, bool keepSlash = false);

}  // namespace cdnlab::gateway

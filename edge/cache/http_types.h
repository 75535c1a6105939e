// The small HTTP vocabulary the pure cache speaks: header lists and a request view. The PoP
// converts from common/http types at the boundary; the cache never sees a socket or a parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/message.h"

namespace cdnlab::edge::cache {

// The cache stores and reads common/http's header list as is (no conversion at the PoP). The
// helpers below use only its inline members so that this pure library does not need the HTTP
// layer's objects to link.
using Header = http::Header;
using Headers = http::Headers;

// What the cache needs to know about a client (or revalidation) request. Views only: the
// caller keeps the strings alive for the duration of the call.
struct RequestView {
  std::string_view method = "GET";
  std::string_view scheme = "http";
  std::string_view host;    // Host header / authority, may carry a port
  std::string_view target;  // origin-form: path with optional "?query"
  const Headers* headers = nullptr;  // may be null: no headers
};

bool equalsIgnoreCase(std::string_view a, std::string_view b);

// First field line named `name`, if any.
std::optional<std::string_view> findHeader(const Headers& headers, std::string_view name);

// All field lines named `name` joined with ", " (RFC 9110 5.3: a list-based field may be sent
// as several lines, equivalent to one comma-joined line). Empty when absent.
std::string joinedHeader(const Headers& headers, std::string_view name);

bool hasHeader(const Headers& headers, std::string_view name);

// Replaces every line named `name` by one line with `value` (appends when absent).
void setHeader(Headers& headers, std::string_view name, std::string_view value);
void removeHeader(Headers& headers, std::string_view name);

// HTTP-date (RFC 9110 5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms a
// recipient must accept. Returns seconds since the Unix epoch; nullopt when invalid. Both forward
// to common/http (http::parseHttpDate, http::httpDate).
std::optional<int64_t> parseHttpDate(std::string_view text);
std::string formatHttpDate(int64_t unixSeconds);  // IMF-fixdate

}  // namespace cdnlab::edge::cache

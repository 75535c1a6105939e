// The admin listener's request handling: purge (by URL, prefix, surrogate key, everything) and
// the Prometheus /metrics page. Pure request -> response functions, so tests call them directly;
// the PoP server (pop_server.cc) mounts them on the admin HttpServer.
#pragma once

#include "common/http/message.h"
#include "edge/pop/core.h"

#include <string>
#include <string_view>

namespace cdnlab::edge::pop {

// Routes one admin request: GET /metrics, POST /purge?url=|prefix=|tag=|all=1 (key= is tag=),
// GET /healthz. docs/admin.md describes them.
// `token` non-empty: /purge needs "Authorization: Bearer <token>" (else 401).
http::Response handleAdmin(PopCore& core, const std::string& token, const http::Request& request);

// Percent-decodes a query component ('+' is a space, as HTML forms send it); nullopt if malformed.
std::optional<std::string> decodeQueryValue(std::string_view value);
// The decoded value of `name` in a query string ("a=1&b=2"), nullopt when absent or malformed.
std::optional<std::string> queryParam(std::string_view query, std::string_view name);

}  // namespace cdnlab::edge::pop

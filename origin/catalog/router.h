// The catalog origin's routes, as a pure function from a request to a response (no socket, no
// loop): GET|HEAD /obj/<id> serves object <id> (304 when the request's validators match),
// GET /metrics the counters; anything else is 404 or 405. The libuv side (origin_server.h)
// adds the service time and sends.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/http/message.h"
#include "origin/catalog/catalog.h"
#include "origin/catalog/metrics.h"

namespace cdnlab::origin::catalog {

struct Routed {
  http::Response response;
  bool objectRequest = false;  // under /obj/: gets the service time and is counted in metrics
};

// "/obj/123" -> 123. Decimal digits only, no sign, no leading zeros (one URL per object, so
// caches never hold the same object twice under two keys); nullopt for anything else.
std::optional<std::uint64_t> parseObjectPath(std::string_view path);

// Never fails: every request gets an answer. `metrics` is only read (for /metrics).
Routed route(const Catalog& catalog, const OriginMetrics& metrics, const http::Request& request);

// Status and headers of the 404 for unknown objects and paths: cacheable briefly, like a real
// origin's (RFC 9111 allows caching a 404 with explicit freshness).
inline constexpr std::string_view kNotFoundCacheControl = "max-age=10";

}  // namespace cdnlab::origin::catalog

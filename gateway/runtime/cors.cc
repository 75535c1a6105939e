// CORS preflight and response headers (see cors.h; the Fetch standard's CORS protocol).
#include "gateway/runtime/cors.h"

#include <string>

namespace cdnlab::gateway {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string o;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) o += ",";
    o += v[i];
  }
  return o;
}

bool listAllows(const std::vector<std::string>& list, std::string_view v) {
  for (const auto& e : list)
    if (e == "*" || http::equalsIgnoreCase(e, v)) return true;
  return false;
}

// The Allow-Origin value for this origin, or "" when not allowed.
std::string allowedOrigin(const Cors& c, std::string_view origin) {
  for (const auto& o : c.allowOrigins) {
    if (o == "*") return c.allowCredentials ? std::string(origin) : "*";
    if (o == origin) return std::string(origin);
  }
  return "";
}

}  // namespace

bool isPreflight(const http::Request& req) {
  return req.method == "OPTIONS" && req.headers.has("origin") && req.headers.has("access-control-request-method");
}

http::Response preflightResponse(const Cors& c, const http::Request& req) {
  http::Response r;
  r.status = 204;
  std::string origin(*req.headers.get("origin"));
  std::string allow = allowedOrigin(c, origin);
  std::string_view method = *req.headers.get("access-control-request-method");
  if (allow.empty() || !listAllows(c.allowMethods, method)) return r;
  // Every requested header must be allowed.
  std::string requested = req.headers.getAll("access-control-request-headers");
  size_t i = 0;
  while (i < requested.size()) {
    size_t comma = requested.find(',', i);
    std::string_view h = http::trimOws(std::string_view(requested).substr(i, comma == std::string::npos ? std::string::npos : comma - i));
    if (!h.empty() && !listAllows(c.allowHeaders, h)) return r;
    if (comma == std::string::npos) break;
    i = comma + 1;
  }
  r.headers.add("access-control-allow-origin", allow);
  r.headers.add("access-control-allow-methods", join(c.allowMethods));
  if (!c.allowHeaders.empty()) r.headers.add("access-control-allow-headers", join(c.allowHeaders));
  if (c.allowCredentials) r.headers.add("access-control-allow-credentials", "true");
  if (c.maxAge >= 0) r.headers.add("access-control-max-age", std::to_string(c.maxAge));
  if (allow != "*") r.headers.add("vary", "Origin");
  return r;
}

void applyCors(const Cors& c, const http::Request& req, http::Response& resp) {
  auto origin = req.headers.get("origin");
  if (!origin) return;
  std::string allow = allowedOrigin(c, *origin);
  if (allow.empty()) return;
  for (const char* h : {"access-control-allow-origin", "access-control-allow-credentials", "access-control-expose-headers",
                        "access-control-allow-methods", "access-control-allow-headers", "access-control-max-age"})
    resp.headers.remove(h);
  resp.headers.add("access-control-allow-origin", allow);
  if (c.allowCredentials) resp.headers.add("access-control-allow-credentials", "true");
  if (!c.exposeHeaders.empty()) resp.headers.add("access-control-expose-headers", join(c.exposeHeaders));
  if (allow != "*") resp.headers.add("vary", "Origin");
}

}  // namespace cdnlab::gateway

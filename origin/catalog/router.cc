#include "origin/catalog/router.h"

#include "origin/catalog/conditional.h"

namespace cdnlab::origin::catalog {
namespace {

constexpr std::string_view kObjPrefix = "/obj/";

http::Response notFound() {
  http::Response r(404, "not found\n");
  r.headers.add("Cache-Control", kNotFoundCacheControl);
  return r;
}

http::Response methodNotAllowed() {
  http::Response r(405, "method not allowed\n");
  r.headers.add("Allow", "GET, HEAD");
  return r;
}

bool readMethod(const http::Request& req) { return req.method == "GET" || req.method == "HEAD"; }

}  // namespace

std::optional<std::uint64_t> parseObjectPath(std::string_view path) {
  if (path.substr(0, kObjPrefix.size()) != kObjPrefix) return std::nullopt;
  std::string_view digits = path.substr(kObjPrefix.size());
  if (digits.empty() || digits.size() > 19) return std::nullopt;  // 19 digits always fit in 64 bits
  if (digits.size() > 1 && digits[0] == '0') return std::nullopt;
  std::uint64_t id = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return id;
}

Routed route(const Catalog& catalog, const OriginMetrics& metrics, const http::Request& req) {
  Routed out;
  if (req.path == "/metrics") {
    if (!readMethod(req)) {
      out.response = methodNotAllowed();
      return out;
    }
    out.response = http::Response(200, metrics.render(catalog.count()), "text/plain; version=0.0.4");
    out.response.headers.add("Cache-Control", "no-store");
    return out;
  }
  if (req.path.substr(0, kObjPrefix.size()) != kObjPrefix) {
    out.response = notFound();
    return out;
  }
  out.objectRequest = true;
  if (!readMethod(req)) {
    out.response = methodNotAllowed();
    return out;
  }
  auto id = parseObjectPath(req.path);
  if (!id || !catalog.contains(*id)) {
    out.response = notFound();
    return out;
  }
  ObjectInfo info = catalog.object(*id);
  http::Response& r = out.response;
  // A 304 carries the headers a 200 would have for caches to refresh the entry (RFC 9110
  // 15.4.5): Cache-Control, ETag, Last-Modified (Date is added by the server).
  if (notModified(req.headers, info.etag, info.lastModified)) {
    r.status = 304;
  } else {
    r.status = 200;
    r.headers.add("Content-Type", catalog.config().contentType);
    r.body = catalog.body(info);
  }
  r.headers.add("Cache-Control", info.cacheControl);
  r.headers.add("ETag", info.etag);
  r.headers.add("Last-Modified", http::httpDate(info.lastModified));
  // Surrogate keys (Fastly's space-separated convention) so that PoPs can purge by tag: the
  // object itself and one of ten groups, e.g. `cdnlab purge --tag group-3` (docs/admin.md).
  r.headers.add("Surrogate-Key", "obj-" + std::to_string(info.id) + " group-" + std::to_string(info.id % 10));
  return out;
}

}  // namespace cdnlab::origin::catalog

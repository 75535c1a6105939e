// libFuzzer target for the PoP's request-target normaliser (edge/cache/request_target.h) and the
// cache key built from it (edge/cache/cache_key.h). For any bytes, it checks the invariants the
// PoP relies on against cache poisoning:
//   - normalising is idempotent: the normalised origin-form normalises to itself;
//   - the cache key and the target sent upstream come from the one normalised form: the key of
//     the raw target equals the key of the origin-form Recv forwards, and the key's URL ends in
//     exactly that origin-form (default config);
//   - the origin-form is a valid request-target: starts with '/', no space, control byte, '#' or
//     non-ASCII byte, no dot segment left; a refusal is a 400.
// Byte 0 picks the key config; the rest is "host\ntarget\nAccept-Language value".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "edge/cache/cache_key.h"
#include "edge/cache/request_target.h"

using namespace cdnlab::edge::cache;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool hasDotSegment(std::string_view path) {
  for (std::string_view dot : {"/./", "/../"})
    if (path.find(dot) != std::string_view::npos) return true;
  return path.ends_with("/.") || path.ends_with("/..");
}

void checkOriginForm(std::string_view form) {
  check(!form.empty() && form.front() == '/');
  for (unsigned char c : form) check(c > 0x20 && c < 0x7f && c != '#');
  std::string_view path = form.substr(0, form.find('?'));
  check(!hasDotSegment(path));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  CacheKeyConfig config;
  config.ignoreQuery = data[0] & 1;
  config.sortQuery = data[0] & 2;
  if (data[0] & 4) config.includeHeaders = {"Accept-Language", "x-device"};
  size_t a = in.find('\n');
  std::string_view host = a == std::string_view::npos ? std::string_view("example.com") : in.substr(0, a);
  std::string_view rest = a == std::string_view::npos ? in : in.substr(a + 1);
  size_t b = rest.find('\n');
  std::string_view target = rest.substr(0, b);
  std::string_view header = b == std::string_view::npos ? std::string_view() : rest.substr(b + 1);
  cdnlab::http::Headers headers;
  if (!header.empty()) headers.add("accept-language", header);
  RequestView req;
  req.method = (data[0] & 8) ? "HEAD" : "GET";
  req.scheme = (data[0] & 16) ? "https" : "http";
  req.host = host;
  req.target = target;
  req.headers = &headers;

  // The key of whatever a caller passes (purge URLs take this path) is well formed.
  CacheKey raw = makeCacheKey(req, config);
  check(raw.hash == cacheKeyFromCanonical(raw.canonical).hash);
  check(raw.url().find(' ') == std::string_view::npos);

  auto normalized = normalizeTarget(target);
  if (!normalized.ok()) {
    check(normalized.error().code == 400 && !normalized.error().message.empty());
    return 0;
  }
  std::string form = normalized->originForm();
  checkOriginForm(form);
  // Idempotent: what goes upstream normalises to itself.
  auto again = normalizeTarget(form);
  check(again.ok() && again->authority.empty() && again->originForm() == form);
  check(again->path == normalized->path && again->query == normalized->query);

  // One form for key and upstream: Recv replaces the target (and Host, for absolute-form) and
  // then keys it; keying the raw target must land on the same entry.
  RequestView forwarded = req;
  if (!normalized->authority.empty()) forwarded.host = normalized->authority;
  forwarded.target = form;
  RequestView rawWithHost = req;
  rawWithHost.host = forwarded.host;
  CacheKey keyed = makeCacheKey(forwarded, config);
  check(keyed.canonical == makeCacheKey(rawWithHost, config).canonical);
  if (!config.ignoreQuery && !config.sortQuery) check(keyed.url().ends_with(form));
  (void)normalizeUrl(req.scheme, host, target, config);
  return 0;
}

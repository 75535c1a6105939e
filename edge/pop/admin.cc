// Admin endpoints of the PoP (see admin.h).
#include "edge/pop/admin.h"

#include <cinttypes>
#include <cstdio>
#include <openssl/crypto.h>

namespace cdnlab::edge::pop {

std::optional<std::string> decodeQueryValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '+') {
      out.push_back(' ');
    } else if (v[i] == '%') {
      if (i + 2 >= v.size()) return std::nullopt;
      int hi = hex(v[i + 1]), lo = hex(v[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

std::optional<std::string> queryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return decodeQueryValue(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

namespace {

http::Response json(int status, std::string body) {
  http::Response r(status, body + "\n", "application/json");
  r.headers.add("Cache-Control", "no-store");
  return r;
}

std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
      out += esc;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

// The purge target as a request-target: a full URL keeps only its path and query, because the
// PoP keys every entry under its upstream's authority (PopCore::keyHost).
std::string targetOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    size_t slash = url.find('/', scheme + 3);
    url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  }
  if (url.empty() || url.front() != '/') return "/" + std::string(url);
  return std::string(url);
}

bool authorized(const std::string& token, const http::Request& request) {
  if (token.empty()) return true;
  auto auth = request.headers.get("Authorization");
  if (!auth) return false;
  std::string expected = "Bearer " + token;
  // Constant time: the comparison must not tell an attacker how many leading bytes matched.
  return auth->size() == expected.size() && CRYPTO_memcmp(auth->data(), expected.data(), expected.size()) == 0;
}

http::Response purge(PopCore& core, const http::Request& request) {
  const std::string& q = request.query;
  cache::PurgeResult removed;
  std::string scope, target;
  if (auto url = queryParam(q, "url")) {
    scope = "url";
    target = cache::normalizeUrl("http", core.keyHost(), targetOf(*url), core.keyConfig());
    removed = core.store().purgeUrl(target);
  } else if (auto prefix = queryParam(q, "prefix")) {
    scope = "prefix";
    target = cache::normalizeUrl("http", core.keyHost(), targetOf(*prefix), core.keyConfig());
    removed = core.store().purgePrefix(target);
  } else if (auto key = queryParam(q, "tag") ? queryParam(q, "tag") : queryParam(q, "key")) {
    scope = "tag";
    target = *key;
    removed = core.store().purgeSurrogateKey(target);
  } else if (auto all = queryParam(q, "all"); all && (*all == "1" || *all == "true")) {
    scope = "all";
    removed = core.store().purgeAll();
  } else {
    return json(400, R"({"error":"purge needs one of url=<path or URL>, prefix=<path>, tag=<surrogate key>, all=1"})");
  }
  core.metrics().purgedObjects.fetch_add(removed.objects, std::memory_order_relaxed);
  core.metrics().purgedBytes.fetch_add(removed.bytes, std::memory_order_relaxed);
  char counts[96];
  std::snprintf(counts, sizeof counts, R"("objects":%)" PRIu64 R"(,"bytes":%)" PRIu64, removed.objects, removed.bytes);
  return json(200, "{\"purged\":{" + std::string(counts) + "},\"scope\":" + jsonString(scope) +
                       (target.empty() ? "" : ",\"target\":" + jsonString(target)) + "}");
}

}  // namespace

http::Response handleAdmin(PopCore& core, const std::string& token, const http::Request& request) {
  if (request.path == "/metrics") {
    if (request.method != "GET" && request.method != "HEAD") return json(405, R"({"error":"use GET"})");
    cache::StoreStats s = core.store().stats();
    StoreGauges g{s.bytes, s.objects, core.config().capacityBytes, s.evictedSize + s.expired,
                  s.evictedSize, s.expired, s.purged, s.replaced};
    return http::Response(200, core.metrics().renderPrometheus(core.config().id, g),
                          "text/plain; version=0.0.4; charset=utf-8");
  }
  if (request.path == "/purge") {
    if (request.method != "POST" && request.method != "PURGE") return json(405, R"({"error":"use POST"})");
    if (!authorized(token, request)) {
      http::Response r = json(401, R"({"error":"missing or wrong Authorization: Bearer token"})");
      r.headers.add("WWW-Authenticate", "Bearer");
      return r;
    }
    return purge(core, request);
  }
  if (request.path == "/healthz") return http::Response(200, "ok\n");
  return json(404, R"({"error":"unknown admin path; try GET /metrics or POST /purge?url=/path"})");
}

}  // namespace cdnlab::edge::pop

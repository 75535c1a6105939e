// Revalidation (RFC 9111 4.3) and client conditional requests (RFC 9110 13).
#include "edge/cache/conditional.h"

#include <algorithm>

namespace cdnlab::edge::cache {

bool hasValidator(const Entry& e) { return !e.etag.empty() || !e.lastModified.empty(); }

Headers revalidationHeaders(const Entry& e) {
  Headers h;
  // 4.3.1: send the stored validators; an ETag goes in If-None-Match, Last-Modified in
  // If-Modified-Since (the origin decides which wins, RFC 9110 13.2.2).
  if (!e.etag.empty()) h.fields().push_back(Header{"If-None-Match", e.etag});
  if (!e.lastModified.empty()) h.fields().push_back(Header{"If-Modified-Since", e.lastModified});
  return h;
}

namespace {

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view opaque(std::string_view tag) {
  tag = trimOws(tag);
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

// Fields a 304 must not overwrite: framing belongs to the stored body (RFC 9111 3.2 /
// RFC 9110 15.4.5), hop-by-hop fields belong to the connection.
bool keepStored(std::string_view name) {
  static const char* kKeep[] = {"content-length", "transfer-encoding", "connection", "keep-alive",
                                "te", "trailer", "upgrade", "proxy-connection", "content-range"};
  for (const char* k : kKeep)
    if (equalsIgnoreCase(name, k)) return true;
  return false;
}

}  // namespace

bool weakEtagMatch(std::string_view a, std::string_view b) {
  std::string_view x = opaque(a), y = opaque(b);
  return !x.empty() && x == y;
}

Result<std::shared_ptr<Entry>> applyNotModified(const Entry& stored, const Headers& nm,
                                                int64_t requestTimeMs, int64_t responseTimeMs,
                                                const FreshnessConfig& config) {
  // 4.3.4: a 304 with a strong validator selects the stored responses with that validator; if
  // ours does not match, it must not be updated (the caller refetches).
  if (auto tag = findHeader(nm, "etag")) {
    std::string_view t = trimOws(*tag);
    if (!t.starts_with("W/") && trimOws(stored.etag) != t)
      return Error{0, "304 ETag does not match the stored entry"};
  }
  Headers merged = stored.headers;
  for (const Header& h : nm) {
    if (keepStored(h.name)) continue;
    removeHeader(merged, h.name);
  }
  for (const Header& h : nm)
    if (!keepStored(h.name)) merged.fields().push_back(h);
  // Freshness comes from the merged headers and the new exchange; a 304 without Date or Age
  // means "as of now" (the stored Date/Age would make the refreshed entry look old).
  if (!hasHeader(nm, "date")) removeHeader(merged, "date");
  if (!hasHeader(nm, "age")) removeHeader(merged, "age");

  ResponseView rv{stored.status, &merged};
  auto life = freshnessLifetime(rv, config, responseTimeMs);
  auto e = stored.clone();
  CacheControl cc = responseCacheControl(merged, config);
  e->requestTimeMs = requestTimeMs;
  e->responseTimeMs = responseTimeMs;
  e->dateValueS = responseTimeMs / 1000;
  if (auto d = findHeader(merged, "date"))
    if (auto t = parseHttpDate(*d)) e->dateValueS = *t;
  e->ageValueS = parseAgeField(merged).value_or(0);
  // Responses from the entry carry its Date (RFC 9110 6.6.1: assigned at receipt when missing).
  if (!findHeader(merged, "date") || !parseHttpDate(*findHeader(merged, "date")))
    setHeader(merged, "Date", formatHttpDate(e->dateValueS));
  e->freshnessLifetimeS = life ? life->seconds : 0;
  e->heuristic = life && life->heuristic;
  e->noCache = cc.noCache;
  e->mustRevalidate = cc.mustRevalidate || cc.proxyRevalidate;
  e->maxStaleForbidden = e->mustRevalidate || cc.sMaxAge.has_value();
  e->staleWhileRevalidateS = cc.staleWhileRevalidate.value_or(0);
  e->staleIfErrorS = cc.staleIfError.value_or(0);
  if (auto t = findHeader(merged, "etag")) e->etag = std::string(*t);
  if (auto t = findHeader(merged, "last-modified")) e->lastModified = std::string(*t);
  e->headers = std::move(merged);
  return e;
}

ConditionalResult evaluateConditional(const Entry& e, const RequestView& request) {
  if (!request.headers) return ConditionalResult::Full;
  // RFC 9110 13.2.1: preconditions apply only when the response would be 2xx.
  if (e.status < 200 || e.status > 299) return ConditionalResult::Full;
  bool getOrHead = request.method == "GET" || request.method == "HEAD";
  const Headers& h = *request.headers;
  if (hasHeader(h, "if-none-match")) {
    // 13.1.2: weak comparison; "*" matches any current representation. When If-None-Match is
    // present, If-Modified-Since is ignored (13.2.2 step 3 before step 4).
    std::string list = joinedHeader(h, "if-none-match");
    bool match = false;
    size_t i = 0;
    while (i <= list.size() && !match) {
      size_t c = list.find(',', i);
      if (c == std::string::npos) c = list.size();
      std::string_view tag = trimOws(std::string_view(list).substr(i, c - i));
      if (tag == "*" || (!e.etag.empty() && weakEtagMatch(tag, e.etag))) match = true;
      i = c + 1;
    }
    return match && getOrHead ? ConditionalResult::NotModified : ConditionalResult::Full;
  }
  if (!getOrHead || e.lastModified.empty()) return ConditionalResult::Full;
  auto ims = findHeader(h, "if-modified-since");
  if (!ims) return ConditionalResult::Full;
  auto since = parseHttpDate(*ims);
  auto lm = parseHttpDate(e.lastModified);
  if (!since || !lm) return ConditionalResult::Full;  // 13.1.3: invalid date -> ignore the field
  return *lm <= *since ? ConditionalResult::NotModified : ConditionalResult::Full;
}

}  // namespace cdnlab::edge::cache

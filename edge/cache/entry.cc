// Entry helpers: byte charge, useful lifetime, Vary variant selection (RFC 9111 4.1).
#include "edge/cache/entry.h"

#include <algorithm>

namespace cdnlab::edge::cache {

std::shared_ptr<Entry> Entry::clone() const {
  auto e = std::make_shared<Entry>();
  e->key = key;
  e->status = status;
  e->headers = headers;
  e->body = body;
  e->requestTimeMs = requestTimeMs;
  e->responseTimeMs = responseTimeMs;
  e->dateValueS = dateValueS;
  e->ageValueS = ageValueS;
  e->freshnessLifetimeS = freshnessLifetimeS;
  e->heuristic = heuristic;
  e->noCache = noCache;
  e->mustRevalidate = mustRevalidate;
  e->maxStaleForbidden = maxStaleForbidden;
  e->staleWhileRevalidateS = staleWhileRevalidateS;
  e->staleIfErrorS = staleIfErrorS;
  e->etag = etag;
  e->lastModified = lastModified;
  e->varyNames = varyNames;
  e->varyValues = varyValues;
  e->surrogateKeys = surrogateKeys;
  e->hits.store(hits.load(std::memory_order_relaxed), std::memory_order_relaxed);
  return e;
}

uint64_t Entry::chargedBytes() const {
  uint64_t n = sizeof(Entry) + body.size() + key.canonical.size();
  for (const Header& h : headers) n += h.name.size() + h.value.size() + sizeof(Header);
  n += etag.size() + lastModified.size();
  for (const auto& v : varyNames) n += v.size();
  for (const auto& v : varyValues) n += v ? v->size() : 0;
  for (const auto& k : surrogateKeys) n += k.size();
  return n;
}

int64_t Entry::usefulLifetimeS() const {
  // no-cache and must-revalidate forbid serving stale (RFC 9111 4.2.4), so no window applies.
  int64_t window = (noCache || mustRevalidate) ? 0 : std::max(staleWhileRevalidateS, staleIfErrorS);
  return freshnessLifetimeS + window;
}

std::optional<std::string> varyRequestValue(const Headers* requestHeaders, std::string_view name) {
  if (!requestHeaders || !hasHeader(*requestHeaders, name)) return std::nullopt;
  // Normalise OWS around list commas so "gzip,br" and "gzip, br" select one variant (4.1
  // allows normalisation that keeps the semantics).
  std::string joined = joinedHeader(*requestHeaders, name);
  std::string out;
  size_t i = 0;
  while (i <= joined.size()) {
    size_t comma = joined.find(',', i);
    if (comma == std::string::npos) comma = joined.size();
    std::string_view part(joined.data() + i, comma - i);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    if (!out.empty() || i > 0) out += ',';
    out += part;
    i = comma + 1;
  }
  return out;
}

bool variantMatches(const Entry& entry, const Headers* requestHeaders) {
  for (size_t i = 0; i < entry.varyNames.size(); ++i)
    if (varyRequestValue(requestHeaders, entry.varyNames[i]) != entry.varyValues[i]) return false;
  return true;
}

}  // namespace cdnlab::edge::cache

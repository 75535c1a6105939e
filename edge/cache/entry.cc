// Entry helpers: byte charge, useful lifetime, Vary variant selection (RFC 9111 4.1).
#include "edge/cache/entry.h"

#include <algorithm>
#include <cstring>
#include <memory>

namespace cdnlab::edge::cache {

namespace {

// The allocator Entry::create hands to allocate_shared: it allocates the block make_shared
// would (control block + Entry) plus `extra` bytes after it, and reports where those start
// through `tail` (read by create() right after allocate_shared returns; the copy kept in the
// control block for the deallocation uses only `extra`).
template <typename T>
struct WithTail {
  using value_type = T;
  size_t extra;
  char** tail;
  WithTail(size_t e, char** t) : extra(e), tail(t) {}
  template <typename U>
  WithTail(const WithTail<U>& o) : extra(o.extra), tail(o.tail) {}
  T* allocate(size_t n) {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);  // operator new's alignment
    char* p = std::allocator<char>().allocate(n * sizeof(T) + extra);
    *tail = p + n * sizeof(T);
    return reinterpret_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) { std::allocator<char>().deallocate(reinterpret_cast<char*>(p), n * sizeof(T) + extra); }
  template <typename U>
  bool operator==(const WithTail<U>& o) const { return extra == o.extra; }
};

}  // namespace

std::shared_ptr<Entry> Entry::create(uint64_t hash, std::string_view canonical) {
  char* tail = nullptr;
  auto e = std::allocate_shared<Entry>(WithTail<Entry>(canonical.size(), &tail));
  if (!canonical.empty()) std::memcpy(tail, canonical.data(), canonical.size());
  e->key.hash = hash;
  e->key.chars_ = tail;
  e->key.size_ = canonical.size();
  return e;
}

std::shared_ptr<Entry> Entry::clone() const {
  auto e = create(key.hash, key.canonical());
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
  uint64_t n = sizeof(Entry) + body.size() + key.canonical().size();
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

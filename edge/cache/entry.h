// An entry is a cached response (see docs glossary: object / entry / item). Entries are
// immutable once built and handed out as shared_ptr<const Entry>: a reader keeps the body
// alive while the store evicts or replaces it. Only the hit counter mutates (atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/buffer.h"
#include "edge/cache/cache_key.h"
#include "edge/cache/http_types.h"

namespace cdnlab::edge::cache {

// Immutable refcounted body: a hit hands the same bytes to uv_write without copying.
using Body = cdnlab::Buffer;

// An entry's key: the hash and the canonical string of the CacheKey it was stored under, the
// characters held in the entry's own allocation (Entry::create puts them right after the
// Entry), so comparing a looked-up key with it reads no other allocation: at 1M objects a
// separate heap string is one more dependent DRAM access on every hit (bench/RESULTS.md).
// Not copyable: the characters belong to the entry; copy() makes a CacheKey of its own.
class EntryKey {
 public:
  EntryKey() = default;
  EntryKey(const EntryKey&) = delete;
  EntryKey& operator=(const EntryKey&) = delete;

  uint64_t hash = 0;  // XXH3-64 of canonical() (tests may set another to force collisions)

  std::string_view canonical() const { return {chars_, size_}; }
  std::string_view url() const { return canonicalUrl(canonical()); }
  CacheKey copy() const { return CacheKey{hash, std::string(canonical())}; }

  bool operator==(const CacheKey& k) const { return hash == k.hash && canonical() == k.canonical; }
  bool operator==(const EntryKey& k) const { return hash == k.hash && canonical() == k.canonical(); }

 private:
  friend struct Entry;
  const char* chars_ = "";
  size_t size_ = 0;
};

// Field order: what a store lookup reads on a hit (the key, the age and freshness inputs, the
// hit count, Vary's names) comes first, up to byte 103; with the shared_ptr control block of
// Entry::create in front (32 bytes) that is 136 bytes, three cache lines at most, and the key's
// characters follow the Entry (Entry::keyCharsOf). The validators (read on a hit only when the
// store keeps entries for revalidation), the status, headers and body, which the response
// stage reads, follow.
struct Entry {
  EntryKey key;

  // RFC 9111 4.2.3 Age arithmetic inputs, all wall-clock milliseconds since the epoch except
  // where named seconds.
  int64_t requestTimeMs = 0;   // when the request that produced this response was sent
  int64_t responseTimeMs = 0;  // when the response was received
  int64_t dateValueS = 0;      // Date header (seconds); responseTime/1000 when absent/invalid
  int64_t ageValueS = 0;       // Age header (seconds), 0 when absent/invalid

  // Freshness lifetime in seconds after config overrides (min/max/default TTL), RFC 9111 4.2.1.
  int64_t freshnessLifetimeS = 0;
  bool heuristic = false;  // lifetime came from the heuristic (4.2.2)

  // Revalidation requirements (RFC 9111 5.2.2): no-cache -> revalidate on every use;
  // must-revalidate / proxy-revalidate -> never serve stale (also not via SWR / SIE).
  bool noCache = false;
  bool mustRevalidate = false;
  // s-maxage (5.2.2.10) carries proxy-revalidate: a client's max-stale cannot extend it. The
  // origin's own stale-while-revalidate / stale-if-error still apply (explicit permissions).
  bool maxStaleForbidden = false;
  // Next to the flags: it fills what would be their padding.
  mutable std::atomic<uint32_t> hits{0};

  // RFC 5861 windows, seconds past the end of freshness; 0 = none.
  int64_t staleWhileRevalidateS = 0;
  int64_t staleIfErrorS = 0;

  // Vary (RFC 9111 4.1): lower-cased field names, sorted, and the request's normalised value
  // for each (same order). An absent request header is stored as absent, not as "".
  std::vector<std::string> varyNames;
  std::vector<std::optional<std::string>> varyValues;

  // Validators (RFC 9110 8.8) as received; empty when absent.
  std::string etag;
  std::string lastModified;

  int status = 200;
  Headers headers;  // stored response headers (hop-by-hop fields removed by the caller)
  Body body;

  // Surrogate-Key response header, split on whitespace (Fastly convention), for purges.
  std::vector<std::string> surrogateKeys;

  // An entry with an empty key; the store's entries come from create().
  Entry() = default;
  // An empty entry for `key`, in one allocation: the shared_ptr control block, the Entry, then
  // the key's characters (so they lie at keyCharsOf(entry), an address the store computes from
  // the entry's address alone and prefetches together with the entry's own lines).
  static std::shared_ptr<Entry> create(uint64_t hash, std::string_view canonical);
  static std::shared_ptr<Entry> create(const CacheKey& key) { return create(key.hash, key.canonical); }
  // Where create() puts the key's characters: right after the Entry. A hint for prefetching
  // (tests/edge/cache/entry_key_test.cc checks that create() puts them there); comparisons read
  // key.canonical(), which is right for any entry.
  static const char* keyCharsOf(const Entry* e) { return reinterpret_cast<const char*>(e + 1); }
  // What a hit reads of the entry: its first kHotBytes (up to varyNames' end pointer; a test
  // checks it), and the reference count in the control block, within kControlBlockBytes
  // before the entry (libstdc++: the vtable pointer and the two counts, then create()'s
  // allocator). Prefetch hints for the store, not layout guarantees.
  static constexpr size_t kHotBytes = 104;
  static constexpr size_t kControlBlockBytes = 32;

  // Entries are immutable after build; a refresh (304) builds a new one from a copy.
  std::shared_ptr<Entry> clone() const;

  // Bytes charged against the store's capacity: body + header names/values + key.
  uint64_t chargedBytes() const;
  // Seconds until this entry is of no use at all (end of freshness + max(SWR, SIE) windows),
  // measured as current age; the store drops it after that (lazily or by sweep).
  int64_t usefulLifetimeS() const;
};

// The request's value for a Vary field (joined lines, whitespace around commas collapsed).
std::optional<std::string> varyRequestValue(const Headers* requestHeaders, std::string_view name);

// True when the request selects this variant (RFC 9111 4.1).
bool variantMatches(const Entry& entry, const Headers* requestHeaders);

}  // namespace cdnlab::edge::cache

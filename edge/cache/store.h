// CacheStore: the byte-bounded, sharded store behind the Lookup and Store steps. Pure: no
// sockets, no libuv; time comes in as nowMs (wall-clock ms since the epoch).
//
// Threading: every method is safe to call from any thread. The store has N shards chosen by
// key hash; each has its own mutex, policy instance, byte budget (capacity / N) and counters,
// so worker threads contend only when they touch the same shard: the hit path takes one shard
// lock and writes no memory another shard's users read. Entries come out as
// shared_ptr<const Entry>: a reader keeps the body alive after the entry is evicted.
//
// The index (store.cc) is lean: per shard, an open-addressing table from the key hash to the
// entry's address and a dense item id (EntryTable, 12-byte slots); the owning references and
// charged sizes in arrays by that id; the policy's per-item state in arrays by the same id. No
// allocation per lookup, none per insert once the arrays and table have grown.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "edge/cache/cache_key.h"
#include "edge/cache/entry.h"
#include "edge/cache/freshness.h"
#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

struct StoreConfig {
  uint64_t capacityBytes = 512ull << 20;
  uint64_t maxObjects = 0;        // 0 = no object-count bound
  uint32_t shards = 16;           // rounded up to a power of two, >= 1
  double maxObjectFraction = 0.1; // larger objects (of one shard's budget) are passed through
  uint32_t maxVariants = 8;       // Vary variants per key; the oldest is replaced beyond this
  std::string policy = "lru";
  // Entries with validators are kept this long past their stale windows so that they can be
  // revalidated (304) instead of refetched (Varnish's "keep"). 0 = drop as soon as no window
  // applies; then a no-cache entry (lifetime 0) is not worth storing and insert refuses it.
  int64_t keepS = 0;
};

struct LookupResult {
  std::shared_ptr<const Entry> entry;  // null: miss
  Decision decision;                   // meaningful when entry != null
  explicit operator bool() const { return entry != nullptr; }
};

enum class InsertResult {
  Stored,
  TooLarge,  // pass-through: larger than maxObjectFraction of a shard's budget
  Expired,   // already past its useful lifetime (and keepS) at nowMs: nothing to store
  Rejected,  // the policy's admission filter declined it (counted as pass-through)
};

struct PurgeResult {
  uint64_t objects = 0;
  uint64_t bytes = 0;
};

struct StoreStats {
  uint64_t hits = 0, misses = 0, inserts = 0, passThrough = 0;
  uint64_t evictedSize = 0, expired = 0, replaced = 0, purged = 0;
  uint64_t bytes = 0, objects = 0;
};

class CacheStore {
 public:
  // Fails on an unknown policy or a zero capacity.
  static Result<std::unique_ptr<CacheStore>> create(const StoreConfig& config);
  ~CacheStore();
  CacheStore(const CacheStore&) = delete;
  CacheStore& operator=(const CacheStore&) = delete;

  // Finds the variant of `key` that the request selects (Vary), counts a hit or a miss and
  // tells the policy. Entries past their useful lifetime (and keepS) are dropped here (lazy
  // expiry) and reported as a miss. requestHeaders: for Vary and the request Cache-Control.
  LookupResult lookup(const CacheKey& key, const Headers* requestHeaders, int64_t nowMs);
  // The same with the request's Cache-Control already parsed (the PoP parses it once, at Recv):
  // the hit then does not scan the request's header list again.
  LookupResult lookup(const CacheKey& key, const Headers* requestHeaders, const CacheControl& requestCc,
                      int64_t nowMs);

  // A hint, from any thread, without the shard's lock: starts loading the table slot where a
  // lookup of `key` starts, so that a caller with several lookups ahead (a batch, or the next
  // request already parsed) overlaps their first DRAM round trips instead of paying them one
  // after another. A software prefetch is not held back by the lock's locked instructions.
  // Changes nothing the store does; costs a few instructions when the slot is already cached.
  void prefetch(const CacheKey& key) const;

  // Stores `entry` (its key and Vary values decide the slot) replacing the same variant, and
  // evicts by policy until it fits. requestHeaders are not needed: the entry carries its
  // variant's request values.
  InsertResult insert(std::shared_ptr<const Entry> entry, int64_t nowMs);

  // Removes every variant of the exact key.
  PurgeResult remove(const CacheKey& key);
  // Every entry whose canonical URL (CacheKey::url) equals url, whatever the method / headers.
  PurgeResult purgeUrl(std::string_view url);
  PurgeResult purgePrefix(std::string_view canonicalPrefix);
  PurgeResult purgeSurrogateKey(std::string_view surrogateKey);
  PurgeResult purgeAll();

  // Drops entries past their useful lifetime, inspecting at most maxWork items in total (round
  // robin over shards, resuming where the last call stopped). Returns what was dropped. The
  // PoP calls this periodically from one thread.
  PurgeResult sweepExpired(int64_t nowMs, uint32_t maxWork);

  StoreStats stats() const;
  const StoreConfig& config() const { return config_; }
  uint64_t shardBudgetBytes() const;

 private:
  struct Shard;
  explicit CacheStore(const StoreConfig& config);
  Shard& shardFor(uint64_t hash) const;
  template <typename Pred>
  PurgeResult purgeIf(Pred pred);

  StoreConfig config_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<uint32_t> sweepShard_{0};
  // Pass-throughs decided before any shard is chosen (larger than maxObjectFraction).
  std::atomic<uint64_t> tooLarge_{0};
};

}  // namespace cdnlab::edge::cache

// CacheStore: sharded lean index + byte accounting + TTL expiry; the eviction order is the
// policy's. Per shard: the key hash -> (entry address, item id) table (EntryTable: a key's
// variants and the rare hash collisions are several slots, told apart by the full key), the
// owning references and charged sizes in arrays by dense item id, and every counter, all
// guarded by the shard's mutex.
//
// A hit, step by step (bench/RESULTS.md has the measured breakdown): lock the shard; probe
// the table (one cache line: the slot holds the entry's address and id); compare the full key
// and check the lifetime in the entry (its first lines, and the key's characters, which
// Entry::create keeps in the entry's own allocation); tell the policy (its arrays by id, or
// its queue of deferred hits); count; copy the owning reference (one atomic increment on the
// entry's control block, just before the entry); unlock. Two rounds of memory accesses that
// can miss (the slot; then the entry's lines, its control block, its key's characters and the
// arrays by id, all prefetched as soon as the slot is read, so they overlap), nothing
// allocated.
#include "edge/cache/store.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <mutex>

#include "edge/cache/conditional.h"
#include "edge/cache/entry_table.h"

namespace cdnlab::edge::cache {

namespace {

constexpr ItemId kNoItem = UINT32_MAX;

// The ids of one key's variants, collected before removing some (no allocation once grown).
std::vector<ItemId>& scratchIds() {
  thread_local std::vector<ItemId> ids;
  ids.clear();
  return ids;
}

// Starts loading the cache lines of [p, p + n), the first four at most (the caller reads any
// rest itself). Always inlined: GCC's IPA finds a function that only prefetches free of side
// effects ("const") and deletes every call to it.
[[gnu::always_inline]] inline void prefetchLines(const char* p, size_t n) {
  const uintptr_t first = reinterpret_cast<uintptr_t>(p) & ~uintptr_t(63);
  const uintptr_t end = reinterpret_cast<uintptr_t>(p) + n;
  __builtin_prefetch(reinterpret_cast<const void*>(first));
  if (first + 64 < end) __builtin_prefetch(reinterpret_cast<const void*>(first + 64));
  if (first + 128 < end) __builtin_prefetch(reinterpret_cast<const void*>(first + 128));
  if (first + 192 < end) __builtin_prefetch(reinterpret_cast<const void*>(first + 192));
}

bool sameVariantShape(const Entry& a, const Entry& b) { return a.varyNames == b.varyNames; }
bool sameVariant(const Entry& a, const Entry& b) {
  return a.varyNames == b.varyNames && a.varyValues == b.varyValues;
}

// True when the entry is of no use any more: past freshness and both stale windows, plus the
// keep time when it can still be revalidated. The validators are looked at only when there is
// a keep time: they lie past the lines a hit otherwise reads (entry.h).
bool deadAt(const Entry& e, int64_t nowMs, int64_t keepS) {
  int64_t limit = e.usefulLifetimeS() + (keepS > 0 && hasValidator(e) ? keepS : 0);
  return currentAgeS(e, nowMs) >= limit;
}

}  // namespace

// The shard's lock. bench/micro's cache_bench_unlocked compiles this file with
// CDNLAB_CACHE_STORE_UNLOCKED to measure what the lock's two locked instructions (take and
// release: each waits for every load before it, so one hit's misses cannot overlap the next
// hit's) cost a hit with everything else the same; that build is only correct when one thread
// uses the store, and nothing but that benchmark builds it.
#ifdef CDNLAB_CACHE_STORE_UNLOCKED
struct ShardMutex {
  void lock() {}
  void unlock() {}
};
#else
using ShardMutex = std::mutex;
#endif

struct alignas(64) CacheStore::Shard {
  ShardMutex mu;
  // Call the policy through policyNow() (which hands it the deferred hits first), except for
  // onHit itself (hit()).
  std::unique_ptr<Policy> policy;
  EntryTable index;
  HugePageVector<std::shared_ptr<const Entry>> owners;  // by item id; null: a free id
  HugePageVector<uint32_t> charged;                     // by item id: bytes charged
  std::vector<ItemId> freeIds;
  uint64_t budget = 0;
  uint64_t maxObjects = 0;  // 0: unbounded
  size_t sweepCursor = 0;
  int64_t clock = 0;  // requests seen: the policies' request time (GDSF's ties)
  StoreStats st;      // this shard's counters, bytes and objects

  // Deferred hits. With a policy whose hits only reorder (PolicyInfo::hitsOnlyReorder), a hit
  // queues (id, access) here instead of calling onHit, and the queue goes to the policy in
  // order, as a batch, when it is full and before any other policy call (policyNow): the
  // policy sees exactly the calls it would have seen one by one, so it evicts the same items
  // (no lookup's outcome depends on onHit, only on what is in the table). Why: the policy's
  // state is a DRAM access (LRU: the item's links) and a dependent one after it (its
  // neighbours' links); on the hit they are serial with the table probe and the entry, and the
  // lock's and the reference count's atomics keep one hit's misses from overlapping the next
  // hit's. In a batch nothing serialises between onHit calls, so the batch's misses overlap.
  static constexpr size_t kHitBatch = 64;
  struct DeferredHit {
    Access access;
    ItemId id;
  };
  bool deferHits = false;
  uint32_t deferred = 0;
  std::array<DeferredHit, kHitBatch> deferredHits;

  void flushHits() {
    const uint32_t n = deferred;
    deferred = 0;
    for (uint32_t i = 0; i < n; ++i) policy->onHit(deferredHits[i].id, deferredHits[i].access);
    assert(policy->dropped().empty());  // hitsOnlyReorder
  }
  Policy& policyNow() {
    if (deferred) flushHits();
    return *policy;
  }
  // The policy hears of a hit on `id`, now or with the next batch. The caller settles what
  // an immediate onHit dropped (after taking its reference: the item itself may be among them).
  void hit(ItemId id, const Access& a) {
    if (!deferHits) {
      policy->onHit(id, a);
      return;
    }
    deferredHits[deferred++] = {a, id};
    if (deferred == kHitBatch) flushHits();
  }

  struct Found {
    ItemId id = kNoItem;
    const Entry* entry = nullptr;
  };
  // The item holding `key` in the variant the request selects.
  Found findVariant(const CacheKey& key, const Headers* requestHeaders) const {
    Found f;
    index.visit(key.hash, [&](const Entry* e, ItemId id) {
      // The slot gave the entry's address and the id: start every load a hit needs from them
      // now, so that they all overlap instead of following one another: the control block's
      // reference count just before the entry and the entry's first Entry::kHotBytes (entry.h),
      // the key's characters after the Entry (as many as the looked-up key has: on a hit the
      // stored key's size; up to four lines), the owner and size by id.
      const char* start = reinterpret_cast<const char*>(e);
      prefetchLines(start - Entry::kControlBlockBytes, Entry::kControlBlockBytes + Entry::kHotBytes);
      prefetchLines(Entry::keyCharsOf(e), key.canonical.size());
      __builtin_prefetch(&owners[id]);
      __builtin_prefetch(&charged[id]);
      if (!(e->key == key && variantMatches(*e, requestHeaders))) return false;
      f = {id, e};
      return true;
    });
    return f;
  }

  ItemId allocate() {
    if (!freeIds.empty()) {
      ItemId id = freeIds.back();
      freeIds.pop_back();
      return id;
    }
    owners.emplace_back();
    charged.push_back(0);
    return ItemId(owners.size() - 1);
  }

  // Unlinks item `id` from the table and frees its id; counts it under `cause` (nullptr: not
  // counted, for a newcomer the policy let go of at once). The policy has already forgotten it.
  void remove(ItemId id, uint64_t* cause, PurgeResult* out = nullptr) {
    assert(owners[id]);
    [[maybe_unused]] bool erased = index.erase(owners[id]->key.hash, id);
    assert(erased);
    st.bytes -= charged[id];
    st.objects -= 1;
    if (cause) *cause += 1;
    if (out) {
      out->objects += 1;
      out->bytes += charged[id];
    }
    owners[id].reset();
    charged[id] = 0;
    freeIds.push_back(id);
  }
  // Removes for a cause the policy must hear about (onRemove with that cause).
  void removeFor(ItemId id, RemoveCause why, uint64_t& counter, PurgeResult* out = nullptr) {
    policyNow().onRemove(id, why);
    remove(id, &counter, out);
  }

  // Removes the items the policy let go of by itself (Policy::dropped); `newcomer` (if among
  // them) is not counted as an eviction. Returns true when the newcomer was dropped.
  bool settleDropped(ItemId newcomer = kNoItem) {
    bool newcomerDropped = false;
    auto& dropped = policy->dropped();  // only after a call through policyNow() or hit()
    for (ItemId id : dropped) {
      if (id == newcomer) {
        newcomerDropped = true;
        remove(id, nullptr);
      } else {
        remove(id, &st.evictedSize);
      }
    }
    dropped.clear();
    return newcomerDropped;
  }

  Access access(uint64_t hash, uint64_t size) { return Access{hash, size, Access::kNever, clock++}; }
};

CacheStore::CacheStore(const StoreConfig& config) : config_(config) {}
CacheStore::~CacheStore() = default;

Result<std::unique_ptr<CacheStore>> CacheStore::create(const StoreConfig& config) {
  if (config.capacityBytes == 0) return Error{0, "cache capacity must be > 0 bytes"};
  if (!(config.maxObjectFraction > 0 && config.maxObjectFraction <= 1))
    return Error{0, "maxObjectFraction must be in (0, 1]"};
  if (config.maxVariants == 0) return Error{0, "maxVariants must be >= 1"};
  auto spec = checkPolicySpec(config.policy, /*online=*/true);
  if (!spec) return spec.error();
  StoreConfig c = config;
  c.shards = std::bit_ceil(std::max<uint32_t>(1, std::min<uint32_t>(config.shards, 1u << 12)));
  std::unique_ptr<CacheStore> store(new CacheStore(c));
  for (uint32_t i = 0; i < c.shards; ++i) {
    auto policy = makePolicy(c.policy, c.capacityBytes / c.shards);
    if (!policy) return policy.error();
    auto s = std::make_unique<Shard>();
    s->policy = std::move(*policy);
    s->deferHits = findPolicy(spec->name)->hitsOnlyReorder;
    s->budget = c.capacityBytes / c.shards;
    s->maxObjects = c.maxObjects ? (c.maxObjects + c.shards - 1) / c.shards : 0;
    store->shards_.push_back(std::move(s));
  }
  return store;
}

uint64_t CacheStore::shardBudgetBytes() const { return config_.capacityBytes / config_.shards; }

CacheStore::Shard& CacheStore::shardFor(uint64_t hash) const {
  // High bits pick the shard; the shard's table mixes the whole value.
  if (shards_.size() == 1) return *shards_[0];
  int bits = std::countr_zero(shards_.size());
  return *shards_[hash >> (64 - bits)];
}

void CacheStore::prefetch(const CacheKey& key) const {
  // No lock: the table publishes its address and size for exactly this (entry_table.h).
  __builtin_prefetch(shardFor(key.hash).index.homeSlotHint(key.hash));
}

LookupResult CacheStore::lookup(const CacheKey& key, const Headers* requestHeaders, int64_t nowMs) {
  // Start the table slot's DRAM round trip first: it then overlaps with parsing the request's
  // Cache-Control (a software prefetch is not one of the loads the lock's locked instruction
  // waits for).
  prefetch(key);
  return lookup(key, requestHeaders, parseCacheControl(requestHeaders), nowMs);
}

LookupResult CacheStore::lookup(const CacheKey& key, const Headers* requestHeaders, const CacheControl& reqCc,
                                int64_t nowMs) {
  Shard& s = shardFor(key.hash);
  // Start the table slot's DRAM round trip before taking the lock, so that the two overlap.
  __builtin_prefetch(s.index.homeSlotHint(key.hash));
  LookupResult r;
  {
    std::lock_guard lock(s.mu);
    Shard::Found f = s.findVariant(key, requestHeaders);
    if (f.entry && deadAt(*f.entry, nowMs, config_.keepS)) {
      s.removeFor(f.id, RemoveCause::Expired, s.st.expired);  // lazy expiry
      f = {};
    }
    if (!f.entry) {
      s.st.misses += 1;
      return r;
    }
    // The policy first (or its deferred queue): its arrays are independent of the entry's
    // lines, so their misses overlap; the reference count (an atomic) last.
    s.hit(f.id, s.access(key.hash, s.charged[f.id]));
    s.st.hits += 1;
    r.entry = s.owners[f.id];
    // Under the shard's lock, which every lookup of this entry holds: a plain increment, not
    // a locked read-modify-write (which would wait for every load before it).
    r.entry->hits.store(r.entry->hits.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    if (!s.policy->dropped().empty()) s.settleDropped();
  }
  r.decision = decide(*r.entry, reqCc, nowMs);
  return r;
}

InsertResult CacheStore::insert(std::shared_ptr<const Entry> entry, int64_t nowMs) {
  assert(entry);
  const uint64_t charged = entry->chargedBytes();
  if (charged > UINT32_MAX || double(charged) > config_.maxObjectFraction * double(shardBudgetBytes())) {
    tooLarge_.fetch_add(1, std::memory_order_relaxed);
    return InsertResult::TooLarge;
  }
  if (deadAt(*entry, nowMs, config_.keepS)) return InsertResult::Expired;

  const uint64_t hash = entry->key.hash;
  Shard& s = shardFor(hash);
  std::lock_guard lock(s.mu);
  if (!EntryTable::fits(entry.get())) {  // never on Linux without an mmap hint (entry_table.h)
    s.st.passThrough += 1;
    return InsertResult::Rejected;
  }
  // Same key: replace the same variant; drop variants of another Vary shape (the newest
  // response's Vary governs, RFC 9111 4.1); bound the number of variants. The table visits a
  // key's slots oldest first, so walking them backwards keeps the newest variants.
  {
    auto& sameKey = scratchIds();
    s.index.visit(hash, [&](const Entry* e, ItemId id) {
      if (e->key == entry->key) sameKey.push_back(id);
      return false;
    });
    size_t kept = 0;
    for (auto it = sameKey.rbegin(); it != sameKey.rend(); ++it) {
      const Entry& old = *s.owners[*it];
      bool drop = sameVariant(old, *entry) || !sameVariantShape(old, *entry) || kept + 1 >= config_.maxVariants;
      if (drop) s.removeFor(*it, RemoveCause::Replaced, s.st.replaced);
      else ++kept;
    }
  }
  const Access a = s.access(hash, charged);
  const bool admitted = s.policyNow().admit(a);
  if (!s.policy->dropped().empty()) s.settleDropped();  // admission may evict (LIRS)
  if (!admitted) {
    s.st.passThrough += 1;
    return InsertResult::Rejected;
  }
  // Evict until it fits (bytes and, when bounded, objects). The policy may decline to name a
  // victim when the newcomer itself ranks lowest (GDSF); it lets the newcomer go in onInsert.
  while (s.st.bytes + charged > s.budget || (s.maxObjects && s.st.objects + 1 > s.maxObjects)) {
    auto victim = s.policyNow().victim();
    if (!victim) break;
    s.removeFor(*victim, RemoveCause::Size, s.st.evictedSize);
  }
  const ItemId id = s.allocate();
  s.charged[id] = uint32_t(charged);
  s.index.insert(hash, entry.get(), id);
  s.owners[id] = std::move(entry);
  s.st.bytes += charged;
  s.st.objects += 1;
  s.policyNow().onInsert(id, a);
  if (!s.policy->dropped().empty() && s.settleDropped(id)) {
    s.st.passThrough += 1;
    return InsertResult::Rejected;
  }
  s.st.inserts += 1;
  return InsertResult::Stored;
}

template <typename Pred>
PurgeResult CacheStore::purgeIf(Pred pred) {
  PurgeResult total;
  for (auto& sp : shards_) {
    Shard& s = *sp;
    std::lock_guard lock(s.mu);
    for (ItemId id = 0; id < s.owners.size(); ++id)
      if (s.owners[id] && pred(*s.owners[id])) s.removeFor(id, RemoveCause::Explicit, s.st.purged, &total);
  }
  return total;
}

PurgeResult CacheStore::remove(const CacheKey& key) {
  Shard& s = shardFor(key.hash);
  PurgeResult total;
  std::lock_guard lock(s.mu);
  auto& ids = scratchIds();
  s.index.visit(key.hash, [&](const Entry* e, ItemId id) {
    if (e->key == key) ids.push_back(id);
    return false;
  });
  for (ItemId id : ids) s.removeFor(id, RemoveCause::Explicit, s.st.purged, &total);
  return total;
}

PurgeResult CacheStore::purgeUrl(std::string_view url) {
  return purgeIf([&](const Entry& e) { return e.key.url() == url; });
}

PurgeResult CacheStore::purgePrefix(std::string_view prefix) {
  return purgeIf([&](const Entry& e) { return e.key.canonical().starts_with(prefix); });
}

PurgeResult CacheStore::purgeSurrogateKey(std::string_view sk) {
  return purgeIf([&](const Entry& e) {
    for (const auto& k : e.surrogateKeys)
      if (k == sk) return true;
    return false;
  });
}

PurgeResult CacheStore::purgeAll() {
  return purgeIf([](const Entry&) { return true; });
}

PurgeResult CacheStore::sweepExpired(int64_t nowMs, uint32_t maxWork) {
  PurgeResult total;
  uint32_t work = 0;
  // Visit shards round robin; each keeps its own cursor so successive calls cover everything.
  for (size_t hops = 0; hops < shards_.size() && work < maxWork; ++hops) {
    uint32_t si = sweepShard_.load(std::memory_order_relaxed) % uint32_t(shards_.size());
    Shard& s = *shards_[si];
    bool finished = false;
    {
      std::lock_guard lock(s.mu);
      while (work < maxWork && s.sweepCursor < s.owners.size()) {
        ItemId id = ItemId(s.sweepCursor++);
        ++work;
        const auto& e = s.owners[id];
        if (e && deadAt(*e, nowMs, config_.keepS)) s.removeFor(id, RemoveCause::Expired, s.st.expired, &total);
      }
      if (s.sweepCursor >= s.owners.size()) {
        s.sweepCursor = 0;
        finished = true;
      }
    }
    if (!finished) break;
    sweepShard_.store(si + 1, std::memory_order_relaxed);
  }
  return total;
}

StoreStats CacheStore::stats() const {
  StoreStats total;
  total.passThrough = tooLarge_.load(std::memory_order_relaxed);
  for (const auto& sp : shards_) {
    Shard& s = *sp;
    std::lock_guard lock(s.mu);
    total.hits += s.st.hits;
    total.misses += s.st.misses;
    total.inserts += s.st.inserts;
    total.passThrough += s.st.passThrough;
    total.evictedSize += s.st.evictedSize;
    total.expired += s.st.expired;
    total.replaced += s.st.replaced;
    total.purged += s.st.purged;
    total.bytes += s.st.bytes;
    total.objects += s.st.objects;
  }
  return total;
}

}  // namespace cdnlab::edge::cache

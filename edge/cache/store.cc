// CacheStore: sharded index + byte accounting + TTL expiry; the eviction order is the policy's.
#include "edge/cache/store.h"

#include <bit>
#include <cassert>
#include <mutex>
#include <unordered_map>

#include "edge/cache/conditional.h"

namespace cdnlab::edge::cache {

namespace {

// An item is one slot of a shard's table. 32 bytes: together with the hash index node
// (~32 bytes + bucket) and the policy's per-id state it keeps the index near 80 bytes per entry.
struct Item {
  std::shared_ptr<const Entry> entry;  // null: free slot
  uint64_t charged = 0;
  ItemId nextSameHash = UINT32_MAX;  // chain of variants (and hash collisions)
};
constexpr ItemId kNoItem = UINT32_MAX;

bool sameVariantShape(const Entry& a, const Entry& b) { return a.varyNames == b.varyNames; }
bool sameVariant(const Entry& a, const Entry& b) {
  return a.varyNames == b.varyNames && a.varyValues == b.varyValues;
}

}  // namespace

struct CacheStore::Shard {
  std::mutex mu;
  std::unique_ptr<Policy> policy;
  std::vector<Item> items;
  std::vector<ItemId> freeIds;
  std::unordered_map<uint64_t, ItemId> index;  // key hash -> first item of its chain
  uint64_t bytes = 0;
  uint64_t objects = 0;
  uint64_t budget = 0;
  uint64_t maxObjects = 0;  // 0: unbounded
  size_t sweepCursor = 0;
};

namespace {

// True when the entry is of no use any more: past freshness and both stale windows, plus the
// keep time when it can still be revalidated.
bool deadAt(const Entry& e, int64_t nowMs, int64_t keepS) {
  int64_t limit = e.usefulLifetimeS() + (hasValidator(e) ? keepS : 0);
  return currentAgeS(e, nowMs) >= limit;
}

}  // namespace

CacheStore::CacheStore(const StoreConfig& config) : config_(config) {}
CacheStore::~CacheStore() = default;

Result<std::unique_ptr<CacheStore>> CacheStore::create(const StoreConfig& config) {
  if (config.capacityBytes == 0) return Error{0, "cache capacity must be > 0 bytes"};
  if (!(config.maxObjectFraction > 0 && config.maxObjectFraction <= 1))
    return Error{0, "maxObjectFraction must be in (0, 1]"};
  if (config.maxVariants == 0) return Error{0, "maxVariants must be >= 1"};
  if (auto spec = checkPolicySpec(config.policy, /*online=*/true); !spec) return spec.error();
  StoreConfig c = config;
  c.shards = std::bit_ceil(std::max<uint32_t>(1, std::min<uint32_t>(config.shards, 1u << 12)));
  std::unique_ptr<CacheStore> store(new CacheStore(c));
  for (uint32_t i = 0; i < c.shards; ++i) {
    auto policy = makePolicy(c.policy, c.capacityBytes / c.shards);
    if (!policy) return policy.error();
    auto s = std::make_unique<Shard>();
    s->policy = std::move(*policy);
    s->budget = c.capacityBytes / c.shards;
    s->maxObjects = c.maxObjects ? (c.maxObjects + c.shards - 1) / c.shards : 0;
    store->shards_.push_back(std::move(s));
  }
  return store;
}

uint64_t CacheStore::shardBudgetBytes() const { return config_.capacityBytes / config_.shards; }

CacheStore::Shard& CacheStore::shardFor(uint64_t hash) {
  // High bits pick the shard; the shard's hash map uses the whole value.
  if (shards_.size() == 1) return *shards_[0];
  int bits = std::countr_zero(shards_.size());
  return *shards_[hash >> (64 - bits)];
}

namespace {

struct Removed {
  uint64_t objects = 0, bytes = 0;
};

// Removes item `id` of shard `s` (caller holds s.mu).
template <typename Shard>
void removeItem(Shard& s, ItemId id, RemoveCause cause, Removed& out, bool tellPolicy = true) {
  Item& it = s.items[id];
  assert(it.entry);
  uint64_t hash = it.entry->key.hash;
  auto m = s.index.find(hash);
  assert(m != s.index.end());
  if (m->second == id) {
    if (it.nextSameHash == kNoItem) s.index.erase(m);
    else m->second = it.nextSameHash;
  } else {
    ItemId prev = m->second;
    while (s.items[prev].nextSameHash != id) prev = s.items[prev].nextSameHash;
    s.items[prev].nextSameHash = it.nextSameHash;
  }
  if (tellPolicy) s.policy->onRemove(id, cause);
  s.bytes -= it.charged;
  s.objects -= 1;
  out.objects += 1;
  out.bytes += it.charged;
  it.entry.reset();
  it.charged = 0;
  it.nextSameHash = kNoItem;
  s.freeIds.push_back(id);
}

// Removes the items the policy let go of by itself during onHit / onInsert (Policy::dropped).
template <typename Shard>
void removeDropped(Shard& s, Removed& out) {
  auto& dropped = s.policy->dropped();
  for (ItemId id : dropped) removeItem(s, id, RemoveCause::Size, out, false);
  dropped.clear();
}

}  // namespace

LookupResult CacheStore::lookup(const CacheKey& key, const Headers* requestHeaders, int64_t nowMs) {
  CacheControl reqCc = parseCacheControl(requestHeaders);
  Shard& s = shardFor(key.hash);
  LookupResult r;
  Removed dropped, evicted;
  {
    std::lock_guard lock(s.mu);
    auto m = s.index.find(key.hash);
    ItemId id = m == s.index.end() ? kNoItem : m->second;
    for (; id != kNoItem; id = s.items[id].nextSameHash) {
      const Entry& e = *s.items[id].entry;
      if (e.key.canonical == key.canonical && variantMatches(e, requestHeaders)) break;
    }
    if (id != kNoItem) {
      const auto& entry = s.items[id].entry;
      if (deadAt(*entry, nowMs, config_.keepS)) {
        removeItem(s, id, RemoveCause::Expired, dropped);  // lazy expiry
      } else {
        r.entry = entry;
        s.policy->onHit(id, Access{key.hash, s.items[id].charged});
        if (!s.policy->dropped().empty()) removeDropped(s, evicted);
      }
    }
  }
  if (dropped.objects) {
    counters_.expired += dropped.objects;
    counters_.objects -= int64_t(dropped.objects);
    counters_.bytes -= int64_t(dropped.bytes);
  }
  if (evicted.objects) {
    counters_.evictedSize += evicted.objects;
    counters_.objects -= int64_t(evicted.objects);
    counters_.bytes -= int64_t(evicted.bytes);
  }
  if (!r.entry) {
    counters_.misses.fetch_add(1, std::memory_order_relaxed);
    return r;
  }
  counters_.hits.fetch_add(1, std::memory_order_relaxed);
  r.entry->hits.fetch_add(1, std::memory_order_relaxed);
  r.decision = decide(*r.entry, reqCc, nowMs);
  return r;
}

InsertResult CacheStore::insert(std::shared_ptr<const Entry> entry, int64_t nowMs) {
  assert(entry);
  const uint64_t charged = entry->chargedBytes();
  if (double(charged) > config_.maxObjectFraction * double(shardBudgetBytes())) {
    counters_.passThrough.fetch_add(1, std::memory_order_relaxed);
    return InsertResult::TooLarge;
  }
  if (deadAt(*entry, nowMs, config_.keepS)) return InsertResult::Expired;

  Shard& s = shardFor(entry->key.hash);
  Removed replaced, evicted;
  bool rejected = false;
  {
    std::lock_guard lock(s.mu);
    // Same key: replace the same variant; drop variants of another Vary shape (the newest
    // response's Vary governs, RFC 9111 4.1); bound the number of variants.
    auto m = s.index.find(entry->key.hash);
    if (m != s.index.end()) {
      std::vector<ItemId> sameKey;
      for (ItemId id = m->second; id != kNoItem; id = s.items[id].nextSameHash)
        if (s.items[id].entry->key.canonical == entry->key.canonical) sameKey.push_back(id);
      size_t kept = 0;
      for (ItemId id : sameKey) {  // chain order: newest first
        const Entry& old = *s.items[id].entry;
        bool drop = sameVariant(old, *entry) || !sameVariantShape(old, *entry) ||
                    kept + 1 >= config_.maxVariants;
        if (drop) removeItem(s, id, RemoveCause::Replaced, replaced);
        else ++kept;
      }
    }
    const bool admitted = s.policy->admit(Access{entry->key.hash, charged});
    if (!s.policy->dropped().empty()) removeDropped(s, evicted);  // admission may evict (LIRS)
    if (!admitted) {
      rejected = true;
    } else {
      // Evict until it fits (bytes and, when bounded, objects).
      while (s.bytes + charged > s.budget || (s.maxObjects && s.objects + 1 > s.maxObjects)) {
        auto victim = s.policy->victim();
        if (!victim) break;
        removeItem(s, *victim, RemoveCause::Size, evicted);
      }
      ItemId id;
      if (!s.freeIds.empty()) {
        id = s.freeIds.back();
        s.freeIds.pop_back();
      } else {
        id = ItemId(s.items.size());
        s.items.emplace_back();
      }
      Item& it = s.items[id];
      it.charged = charged;
      auto head = s.index.try_emplace(entry->key.hash, kNoItem).first;
      it.nextSameHash = head->second;
      head->second = id;
      it.entry = std::move(entry);
      s.bytes += charged;
      s.objects += 1;
      s.policy->onInsert(id, Access{head->first, charged});
      removeDropped(s, evicted);
    }
  }
  if (rejected) {
    counters_.replaced += replaced.objects;
    counters_.evictedSize += evicted.objects;
    counters_.objects -= int64_t(replaced.objects + evicted.objects);
    counters_.bytes -= int64_t(replaced.bytes + evicted.bytes);
    counters_.passThrough.fetch_add(1, std::memory_order_relaxed);
    return InsertResult::Rejected;
  }
  counters_.inserts.fetch_add(1, std::memory_order_relaxed);
  counters_.replaced += replaced.objects;
  counters_.evictedSize += evicted.objects;
  counters_.objects += 1 - int64_t(replaced.objects + evicted.objects);
  counters_.bytes += int64_t(charged) - int64_t(replaced.bytes + evicted.bytes);
  return InsertResult::Stored;
}

template <typename Pred>
PurgeResult CacheStore::purgeIf(Pred pred) {
  Removed total;
  for (auto& sp : shards_) {
    Shard& s = *sp;
    std::lock_guard lock(s.mu);
    for (ItemId id = 0; id < s.items.size(); ++id)
      if (s.items[id].entry && pred(*s.items[id].entry)) removeItem(s, id, RemoveCause::Explicit, total);
  }
  counters_.purged += total.objects;
  counters_.objects -= int64_t(total.objects);
  counters_.bytes -= int64_t(total.bytes);
  return PurgeResult{total.objects, total.bytes};
}

PurgeResult CacheStore::remove(const CacheKey& key) {
  Shard& s = shardFor(key.hash);
  Removed total;
  {
    std::lock_guard lock(s.mu);
    auto m = s.index.find(key.hash);
    std::vector<ItemId> ids;
    for (ItemId id = m == s.index.end() ? kNoItem : m->second; id != kNoItem;
         id = s.items[id].nextSameHash)
      if (s.items[id].entry->key.canonical == key.canonical) ids.push_back(id);
    for (ItemId id : ids) removeItem(s, id, RemoveCause::Explicit, total);
  }
  counters_.purged += total.objects;
  counters_.objects -= int64_t(total.objects);
  counters_.bytes -= int64_t(total.bytes);
  return PurgeResult{total.objects, total.bytes};
}

PurgeResult CacheStore::purgeUrl(std::string_view url) {
  return purgeIf([&](const Entry& e) { return e.key.url() == url; });
}

PurgeResult CacheStore::purgePrefix(std::string_view prefix) {
  return purgeIf([&](const Entry& e) { return std::string_view(e.key.canonical).starts_with(prefix); });
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
  Removed total;
  uint32_t work = 0;
  // Visit shards round robin; each keeps its own cursor so successive calls cover everything.
  for (size_t hops = 0; hops < shards_.size() && work < maxWork; ++hops) {
    uint32_t si = sweepShard_.load(std::memory_order_relaxed) % uint32_t(shards_.size());
    Shard& s = *shards_[si];
    bool finished = false;
    {
      std::lock_guard lock(s.mu);
      while (work < maxWork && s.sweepCursor < s.items.size()) {
        ItemId id = ItemId(s.sweepCursor++);
        ++work;
        const auto& e = s.items[id].entry;
        if (e && deadAt(*e, nowMs, config_.keepS)) removeItem(s, id, RemoveCause::Expired, total);
      }
      if (s.sweepCursor >= s.items.size()) {
        s.sweepCursor = 0;
        finished = true;
      }
    }
    if (!finished) break;
    sweepShard_.store(si + 1, std::memory_order_relaxed);
  }
  counters_.expired += total.objects;
  counters_.objects -= int64_t(total.objects);
  counters_.bytes -= int64_t(total.bytes);
  return PurgeResult{total.objects, total.bytes};
}

StoreStats CacheStore::stats() const {
  StoreStats st;
  st.hits = counters_.hits.load();
  st.misses = counters_.misses.load();
  st.inserts = counters_.inserts.load();
  st.passThrough = counters_.passThrough.load();
  st.evictedSize = counters_.evictedSize.load();
  st.expired = counters_.expired.load();
  st.replaced = counters_.replaced.load();
  st.purged = counters_.purged.load();
  st.bytes = uint64_t(std::max<int64_t>(0, counters_.bytes.load()));
  st.objects = uint64_t(std::max<int64_t>(0, counters_.objects.load()));
  return st;
}

}  // namespace cdnlab::edge::cache

// CacheStore: sharded lean index + byte accounting + TTL expiry; the eviction order is the
// policy's. Per shard: 32 bits of the key hash -> newest item of the chain of items sharing
// them (HashFragmentMap: variants and the rare fragment collisions, told apart by the full
// key), items in a slab by dense id, and every counter, all guarded by the shard's mutex.
#include "edge/cache/store.h"

#include <bit>
#include <cassert>
#include <mutex>

#include "edge/cache/conditional.h"
#include "edge/cache/key_slot_map.h"

namespace cdnlab::edge::cache {

namespace {

// One slot of a shard's slab, 24 bytes. The key is not repeated here: the hit path compares
// the entry's full key (hash and canonical form) anyway, and removals read the hash from it.
struct Item {
  std::shared_ptr<const Entry> entry;  // null: free slot
  uint32_t charged = 0;                // bytes (entries over 4 GiB are passed through)
  ItemId nextSameHash = UINT32_MAX;    // chain of variants (and of full-hash collisions)
};
static_assert(sizeof(Item) == 24);
constexpr ItemId kNoItem = UINT32_MAX;
static_assert(kNoItem == HashFragmentMap::kAbsent, "an absent key reads as an empty chain");

// The ids of one key's variants, collected before removing some (no allocation once grown).
std::vector<ItemId>& scratchIds() {
  thread_local std::vector<ItemId> ids;
  ids.clear();
  return ids;
}

bool sameVariantShape(const Entry& a, const Entry& b) { return a.varyNames == b.varyNames; }
bool sameVariant(const Entry& a, const Entry& b) {
  return a.varyNames == b.varyNames && a.varyValues == b.varyValues;
}

// True when the entry is of no use any more: past freshness and both stale windows, plus the
// keep time when it can still be revalidated.
// The table's key: the low 32 bits (the shard is chosen by the high bits).
uint32_t fragment(uint64_t hash) { return uint32_t(hash); }

bool deadAt(const Entry& e, int64_t nowMs, int64_t keepS) {
  int64_t limit = e.usefulLifetimeS() + (hasValidator(e) ? keepS : 0);
  return currentAgeS(e, nowMs) >= limit;
}

}  // namespace

struct alignas(64) CacheStore::Shard {
  std::mutex mu;
  std::unique_ptr<Policy> policy;
  HashFragmentMap index;  // fragment(key hash) -> newest item of its chain
  std::vector<Item> items;
  std::vector<ItemId> freeIds;
  uint64_t budget = 0;
  uint64_t maxObjects = 0;  // 0: unbounded
  size_t sweepCursor = 0;
  int64_t clock = 0;  // requests seen: the policies' request time (GDSF's ties)
  StoreStats st;      // this shard's counters, bytes and objects

  // The item holding `key` in the variant the request selects, or kNoItem.
  ItemId findVariant(const CacheKey& key, const Headers* requestHeaders) const {
    for (ItemId id = index.find(fragment(key.hash)); id != kNoItem;
         id = items[id].nextSameHash) {
      const Entry& e = *items[id].entry;
      if (e.key == key && variantMatches(e, requestHeaders)) return id;
    }
    return kNoItem;
  }

  ItemId allocate() {
    if (!freeIds.empty()) {
      ItemId id = freeIds.back();
      freeIds.pop_back();
      return id;
    }
    items.emplace_back();
    return ItemId(items.size() - 1);
  }

  // Unlinks item `id` from its chain and frees its slot; counts it under `cause` (nullptr: not
  // counted, for a newcomer the policy let go of at once). The policy has already forgotten it.
  void remove(ItemId id, uint64_t* cause, PurgeResult* out = nullptr) {
    Item& it = items[id];
    assert(it.entry);
    const uint32_t hash = fragment(it.entry->key.hash);
    const ItemId head = index.find(hash);
    if (head == id) {
      if (it.nextSameHash == kNoItem) index.erase(hash);
      else index.assign(hash, it.nextSameHash);
    } else {
      ItemId prev = head;
      while (items[prev].nextSameHash != id) prev = items[prev].nextSameHash;
      items[prev].nextSameHash = it.nextSameHash;
    }
    st.bytes -= it.charged;
    st.objects -= 1;
    if (cause) *cause += 1;
    if (out) {
      out->objects += 1;
      out->bytes += it.charged;
    }
    it.entry.reset();
    it.charged = 0;
    it.nextSameHash = kNoItem;
    freeIds.push_back(id);
  }
  // Removes for a cause the policy must hear about (onRemove with that cause).
  void removeFor(ItemId id, RemoveCause why, uint64_t& counter, PurgeResult* out = nullptr) {
    policy->onRemove(id, why);
    remove(id, &counter, out);
  }

  // Removes the items the policy let go of by itself (Policy::dropped); `newcomer` (if among
  // them) is not counted as an eviction. Returns true when the newcomer was dropped.
  bool settleDropped(ItemId newcomer = kNoItem) {
    bool newcomerDropped = false;
    auto& dropped = policy->dropped();
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

  Access access(uint64_t hash, uint64_t charged) { return Access{hash, charged, Access::kNever, clock++}; }
};

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
  // High bits pick the shard; the shard's table mixes the whole value.
  if (shards_.size() == 1) return *shards_[0];
  int bits = std::countr_zero(shards_.size());
  return *shards_[hash >> (64 - bits)];
}

LookupResult CacheStore::lookup(const CacheKey& key, const Headers* requestHeaders, int64_t nowMs) {
  CacheControl reqCc = parseCacheControl(requestHeaders);
  Shard& s = shardFor(key.hash);
  LookupResult r;
  {
    std::lock_guard lock(s.mu);
    ItemId id = s.findVariant(key, requestHeaders);
    if (id != kNoItem && deadAt(*s.items[id].entry, nowMs, config_.keepS)) {
      s.removeFor(id, RemoveCause::Expired, s.st.expired);  // lazy expiry
      id = kNoItem;
    }
    if (id == kNoItem) {
      s.st.misses += 1;
      return r;
    }
    s.st.hits += 1;
    r.entry = s.items[id].entry;
    s.policy->onHit(id, s.access(key.hash, s.items[id].charged));
    if (!s.policy->dropped().empty()) s.settleDropped();
  }
  r.entry->hits.fetch_add(1, std::memory_order_relaxed);
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
  // Same key: replace the same variant; drop variants of another Vary shape (the newest
  // response's Vary governs, RFC 9111 4.1); bound the number of variants. Chain order is
  // newest first, so the oldest variants go when the bound is reached.
  {
    auto& sameKey = scratchIds();
    for (ItemId id = s.index.find(fragment(hash)); id != kNoItem; id = s.items[id].nextSameHash)
      if (s.items[id].entry->key == entry->key) sameKey.push_back(id);
    size_t kept = 0;
    for (ItemId id : sameKey) {
      const Entry& old = *s.items[id].entry;
      bool drop = sameVariant(old, *entry) || !sameVariantShape(old, *entry) || kept + 1 >= config_.maxVariants;
      if (drop) s.removeFor(id, RemoveCause::Replaced, s.st.replaced);
      else ++kept;
    }
  }
  const Access a = s.access(hash, charged);
  const bool admitted = s.policy->admit(a);
  if (!s.policy->dropped().empty()) s.settleDropped();  // admission may evict (LIRS)
  if (!admitted) {
    s.st.passThrough += 1;
    return InsertResult::Rejected;
  }
  // Evict until it fits (bytes and, when bounded, objects). The policy may decline to name a
  // victim when the newcomer itself ranks lowest (GDSF); it lets the newcomer go in onInsert.
  while (s.st.bytes + charged > s.budget || (s.maxObjects && s.st.objects + 1 > s.maxObjects)) {
    auto victim = s.policy->victim();
    if (!victim) break;
    s.removeFor(*victim, RemoveCause::Size, s.st.evictedSize);
  }
  const ItemId id = s.allocate();
  Item& it = s.items[id];
  it.charged = uint32_t(charged);
  const ItemId head = s.index.find(fragment(hash));
  it.nextSameHash = head;
  if (head == kNoItem) s.index.insert(fragment(hash), id);
  else s.index.assign(fragment(hash), id);
  it.entry = std::move(entry);
  s.st.bytes += charged;
  s.st.objects += 1;
  s.policy->onInsert(id, a);
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
    for (ItemId id = 0; id < s.items.size(); ++id)
      if (s.items[id].entry && pred(*s.items[id].entry)) s.removeFor(id, RemoveCause::Explicit, s.st.purged, &total);
  }
  return total;
}

PurgeResult CacheStore::remove(const CacheKey& key) {
  Shard& s = shardFor(key.hash);
  PurgeResult total;
  std::lock_guard lock(s.mu);
  auto& ids = scratchIds();
  for (ItemId id = s.index.find(fragment(key.hash)); id != kNoItem; id = s.items[id].nextSameHash)
    if (s.items[id].entry->key == key) ids.push_back(id);
  for (ItemId id : ids) s.removeFor(id, RemoveCause::Explicit, s.st.purged, &total);
  return total;
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
  PurgeResult total;
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
        if (e && deadAt(*e, nowMs, config_.keepS)) s.removeFor(id, RemoveCause::Expired, s.st.expired, &total);
      }
      if (s.sweepCursor >= s.items.size()) {
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

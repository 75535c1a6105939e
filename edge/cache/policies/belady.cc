// Belady's MIN (offline optimal for unit-size objects): evict the object whose next request is
// the farthest in the future (never requested again = infinitely far).
//
//   on insert(x) / on hit(x):  next[x] = the index of x's next request (from the trace)
//   victim():                  argmax next[x]
//
// Belady, "A study of replacement algorithms for a virtual-storage computer", IBM Systems
// Journal 5(2), 1966. Simulator only (the live store does not know the future). As
// libCacheSim's Belady.c, with variable sizes it is no longer optimal (see belady-size). Only
// objects never requested again can tie; libCacheSim breaks the tie by heap order, this by id,
// which never changes a miss count: while such objects are resident every victim is one of
// them, so which of them go first changes no other object's fate.
//
// belady-size, as libCacheSim's BeladySize.c:
//   miss(x), x never requested again: evictions as for any miss, then x is not kept
//   hit(x), x never requested again:  x leaves the cache (the request is still a hit)
//   victim(): of 128 objects drawn from libCacheSim's chained hash table (chainedHashTableV2.c,
//             XXH3 of the object id, 2^16 buckets to start, as cachesim creates it) with its
//             Lehmer random generator, the largest log(size) + log(next - now)
// The draws depend on the generator's seed, which cachesim takes from rand() (one run: after
// srand(time)): `seed` (default 1804289383, glibc's first rand(): cachesim's first cache with
// --num-thread 1) gives its figures for that seed.
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

constexpr ItemId kNoItem = UINT32_MAX;

class BeladyPolicy final : public Policy {
 public:
  std::string_view name() const override { return "belady"; }
  void onInsert(ItemId id, const Access& a) override {
    next_[id] = a.nextAccess;
    order_.emplace(a.nextAccess, id);
  }
  void onHit(ItemId id, const Access& a) override {
    order_.erase({next_[id], id});
    next_[id] = a.nextAccess;
    order_.emplace(a.nextAccess, id);
  }
  void onRemove(ItemId id, RemoveCause) override { order_.erase({next_[id], id}); }
  std::optional<ItemId> victim() override {
    if (order_.empty()) return std::nullopt;
    return std::prev(order_.end())->second;
  }

 private:
  std::set<std::pair<int64_t, ItemId>> order_;
  PerItem<int64_t> next_;
};

// libCacheSim's chained hash table of the resident objects, for its random draws: buckets of
// singly linked chains, a new object at the head of its bucket, doubled (entries rehashed
// bucket by bucket, chain head first) when it holds more than 2 objects per bucket, halved
// when a draw finds 32 empty buckets in a row.
class LcsHashTable {
 public:
  explicit LcsHashTable(unsigned power) : power_(power), head_(size_t(1) << power, kNoItem) {}
  void insert(ItemId id, uint64_t key) {
    if (n_ > (uint64_t(1) << power_) * 2) rehash(power_ + 1);
    key_[id] = key;
    link(id);
    ++n_;
  }
  void remove(ItemId id) {
    --n_;
    size_t b = bucket(key_[id]);
    if (head_[b] == id) {
      head_[b] = next_[id];
      return;
    }
    ItemId cur = head_[b];
    while (next_[cur] != id) cur = next_[cur];
    next_[cur] = next_[id];
  }
  bool empty() const { return n_ == 0; }
  template <class Rng>
  ItemId randomItem(Rng& rng) {
    uint64_t pos = rng() & mask();
    for (int tries = 0; head_[pos] == kNoItem;) {
      if (++tries > 32) rehash(power_ - 1);
      pos = rng() & mask();
    }
    uint64_t n = 1;
    for (ItemId c = head_[pos]; next_[c] != kNoItem; c = next_[c]) ++n;
    uint64_t r = rng() % n;
    ItemId c = head_[pos];
    for (uint64_t i = 0; i < r; ++i) c = next_[c];
    return c;
  }

 private:
  uint64_t mask() const { return (uint64_t(1) << power_) - 1; }
  size_t bucket(uint64_t key) const { return XXH3_64bits(&key, sizeof key) & mask(); }
  void link(ItemId id) {
    size_t b = bucket(key_[id]);
    next_[id] = head_[b];
    head_[b] = id;
  }
  void rehash(unsigned power) {
    std::vector<ItemId> old(size_t(1) << power, kNoItem);
    old.swap(head_);
    power_ = power;
    for (ItemId first : old)
      for (ItemId c = first; c != kNoItem;) {
        ItemId n = next_[c];
        link(c);
        c = n;
      }
  }
  unsigned power_;
  uint64_t n_ = 0;
  std::vector<ItemId> head_;
  PerItem<ItemId> next_;
  PerItem<uint64_t> key_;
};

class BeladySizePolicy final : public Policy {
 public:
  BeladySizePolicy(int samples, uint64_t seed) : samples_(samples), rng_{seed} {}
  std::string_view name() const override { return "belady-size"; }
  bool admit(const Access& a) override {
    now_ = a.now;
    return true;
  }
  void onInsert(ItemId id, const Access& a) override {
    now_ = a.now;
    if (a.nextAccess == Access::kNever) {  // BeladySize_insert keeps nothing
      drop(id);
      return;
    }
    next_[id] = a.nextAccess;
    size_[id] = a.size;
    table_.insert(id, a.key);
  }
  void onHit(ItemId id, const Access& a) override {
    now_ = a.now;
    if (a.nextAccess == Access::kNever) {  // BeladySize_find removes it
      table_.remove(id);
      drop(id);
      return;
    }
    next_[id] = a.nextAccess;
  }
  void onRemove(ItemId id, RemoveCause) override { table_.remove(id); }
  std::optional<ItemId> victim() override {
    if (table_.empty()) return std::nullopt;
    ItemId best = kNoItem;
    double bestScore = -1;
    for (int i = 0; i < samples_; ++i) {
      ItemId c = table_.randomItem(rng_);
      double score = std::log(double(size_[c])) + std::log(double(next_[c] - now_));
      if (bestScore < score) {
        best = c;
        bestScore = score;
      }
    }
    if (best == kNoItem) return std::nullopt;
    return best;
  }

 private:
  struct Lehmer64 {  // libCacheSim's next_rand()
    unsigned __int128 state;
    uint64_t operator()() {
      state *= 0xda942042e4dd58b5ull;
      return uint64_t(state >> 64);
    }
  };
  int samples_;
  Lehmer64 rng_;
  int64_t now_ = 0;
  LcsHashTable table_{16};
  PerItem<int64_t> next_;
  PerItem<uint64_t> size_;
};

}  // namespace

PolicyMade makeBeladyPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<BeladyPolicy>());
}

PolicyMade makeBeladySizePolicy(const PolicyConfig& c) {
  ParamReader r(c);
  int samples = int(r.integer("samples", 128, 1, 1 << 20));
  uint64_t seed = uint64_t(r.integer("seed", 1804289383, 0, INT64_MAX));
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<BeladySizePolicy>(samples, seed));
}

}  // namespace cdnlab::edge::cache

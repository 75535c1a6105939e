// The store's deferred hits (store.cc: a shard queues onHit calls and hands them to the policy
// in order before its next other call) must not change what the store evicts: for every online
// policy, a random run of lookups, inserts and purges through a one-shard, object-bounded
// CacheStore leaves exactly the objects resident that the same policy leaves when it is called
// one call at a time by the protocol in policy.h. The run is long enough for many full batches
// and for batches cut short by an insert or a purge.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "edge/cache/policy.h"
#include "edge/cache/store.h"
#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using testing::entryFor;
using testing::H;
using testing::keyFor;

// The reference: the policy driven directly, one call per request, with the store's sizes
// (charged bytes), byte budget and request clock (one tick per hit and per insert).
class DirectReplay {
 public:
  DirectReplay(const std::string& policy, uint64_t capacity)
      : policy_(std::move(makePolicy(policy, capacity).value())), capacity_(capacity) {}

  // A lookup: true on a hit (and the policy hears of it).
  bool touch(const CacheKey& key) {
    auto it = ids_.find(key.canonical);
    if (it == ids_.end()) return false;
    policy_->onHit(it->second, Access{key.hash, size_[it->second], Access::kNever, clock_++});
    settle();
    return true;
  }
  // What the store's insert does with a missed object of `size` bytes.
  void insert(const CacheKey& key, uint64_t size) {
    Access a{key.hash, size, Access::kNever, clock_++};
    const bool admitted = policy_->admit(a);
    settle();
    if (!admitted) return;
    while (used_ + size > capacity_) {
      auto v = policy_->victim();
      if (!v) break;
      policy_->onRemove(*v, RemoveCause::Size);
      forget(*v);
    }
    ItemId id = freeIds_.empty() ? ItemId(next_++) : takeFree();
    ids_[key.canonical] = id;
    resident_[id] = key.canonical;
    size_[id] = size;
    used_ += size;
    policy_->onInsert(id, a);
    settle();
  }
  void purge(const CacheKey& key) {
    auto it = ids_.find(key.canonical);
    if (it == ids_.end()) return;
    ItemId id = it->second;
    policy_->onRemove(id, RemoveCause::Explicit);
    forget(id);
  }
  size_t residentCount() const { return ids_.size(); }

 private:
  void settle() {
    for (ItemId d : policy_->dropped()) forget(d);
    policy_->dropped().clear();
  }
  void forget(ItemId id) {
    used_ -= size_[id];
    ids_.erase(resident_[id]);
    resident_.erase(id);
    freeIds_.push_back(id);
  }
  // The store reuses the most recently freed id first; so does this, so both give the policy
  // the same ids.
  ItemId takeFree() {
    ItemId id = freeIds_.back();
    freeIds_.pop_back();
    return id;
  }
  std::unique_ptr<Policy> policy_;
  uint64_t capacity_;
  std::map<std::string, ItemId> ids_;
  std::map<ItemId, std::string> resident_;
  std::map<ItemId, uint64_t> size_;
  std::vector<ItemId> freeIds_;
  uint32_t next_ = 0;
  uint64_t used_ = 0;
  int64_t clock_ = 0;
};

class DeferredHits : public ::testing::TestWithParam<std::string> {};

TEST_P(DeferredHits, StoreEvictsWhatThePolicyCalledOneByOneEvicts) {
  constexpr int kObjects = 600;  // a cache of ~200: W-TinyLFU's 1 % window and LIRS's 1 % HIR hold two
  std::vector<std::shared_ptr<Entry>> entries;
  uint64_t total = 0;
  for (int i = 0; i < kObjects; ++i) {
    // Bodies of different sizes, so that the size-aware policies (GDSF) order by size too.
    entries.push_back(entryFor("/o/" + std::to_string(i), H({{"Cache-Control", "max-age=100000"}}), 0,
                               std::string(100 + 37 * (i % 11), 'b')));
    ASSERT_TRUE(entries.back());
    total += entries.back()->chargedBytes();
  }
  StoreConfig c;
  c.capacityBytes = total / 3;  // about 40 objects
  c.shards = 1;
  c.policy = GetParam();
  auto store = std::move(CacheStore::create(c).value());
  DirectReplay direct(GetParam(), c.capacityBytes);

  std::mt19937 rng(12);
  // Skewed popularity (the smaller of two uniform picks), so there are long runs of hits.
  auto pick = [&] {
    const uint32_t a = rng() % kObjects, b = rng() % kObjects;
    return std::min(a, b);
  };
  uint64_t hits = 0;
  for (int step = 0; step < 6000; ++step) {
    const auto& e = entries[pick()];
    const CacheKey key = e->key.copy();
    if (rng() % 97 == 0) {  // a purge now and then: onRemove must see the batch first
      store->remove(key);
      direct.purge(key);
      continue;
    }
    const bool directHit = direct.touch(key);
    const bool storeHit = bool(store->lookup(key, nullptr, testing::kT0Ms));
    ASSERT_EQ(storeHit, directHit) << GetParam() << " step " << step;
    if (storeHit) {
      ++hits;
    } else {
      const InsertResult inserted = store->insert(e, testing::kT0Ms);
      direct.insert(key, e->chargedBytes());
      ASSERT_NE(inserted, InsertResult::TooLarge);
    }
    if (step % 500 == 499) {
      // As many objects resident, then every object looked up: the same ones hit. (For the
      // policies whose hits can evict, a hit in this scan may drop an object scanned later:
      // both sides do the same, so comparing lookup by lookup is what holds for all of them.)
      ASSERT_EQ(store->stats().objects, direct.residentCount()) << GetParam() << " step " << step;
      size_t found = 0;
      for (const auto& x : entries) {
        const CacheKey key = x->key.copy();
        const bool in = bool(store->lookup(key, nullptr, testing::kT0Ms));
        ASSERT_EQ(in, direct.touch(key)) << GetParam() << " step " << step << " " << key.canonical;
        if (!in) continue;
        ++found;
        ++hits;
      }
      ASSERT_GT(found, 10u);
    }
  }
  EXPECT_GT(hits, 1000u);  // many full batches of deferred hits went by
  EXPECT_EQ(store->stats().hits, hits);
}

std::vector<std::string> onlinePolicies() {
  std::vector<std::string> names;
  for (const PolicyInfo& p : policies())
    if (!p.offline) names.emplace_back(p.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(EveryOnlinePolicy, DeferredHits, ::testing::ValuesIn(onlinePolicies()),
                         [](const auto& info) { return info.param == "2q" ? std::string("twoq") : info.param; });

}  // namespace
}  // namespace cdnlab::edge::cache

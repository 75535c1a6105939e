// Eviction policies: a conformance suite every registered policy passes (through the Policy
// interface and through the store), golden miss counts on tiny hand-checked traces, and the
// public CloudPhysics trace replayed through the store against a trivially correct reference.
#include "edge/cache/policy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <list>
#include <random>
#include <set>
#include <unordered_map>

#include "edge/cache/store.h"
#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

TEST(PolicyRegistry, KnownAndUnknownNames) {
  ASSERT_GE(policies().size(), 11u);
  for (const PolicyInfo& p : policies()) {
    auto made = makePolicy(p.name, 1000);
    ASSERT_TRUE(made.ok()) << made.error().message;
    EXPECT_EQ((*made)->name(), p.name);
    EXPECT_FALSE(p.summary.empty());
  }
  auto bad = makePolicy("belady-please", 1000);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("belady-please"), std::string::npos);
  EXPECT_NE(bad.error().message.find("s3fifo"), std::string::npos);
}

TEST(PolicyRegistry, ParametersAreCheckedByName) {
  EXPECT_TRUE(makePolicy("s3fifo:small=0.2,ghost=0.5", 1000).ok());
  auto unknown = makePolicy("s3fifo:smal=0.2", 1000);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("smal"), std::string::npos);
  EXPECT_FALSE(makePolicy("s3fifo:small=2", 1000).ok());
  EXPECT_FALSE(makePolicy("s3fifo:small=", 1000).ok());
  EXPECT_FALSE(makePolicy("lru:x=1", 1000).ok());
  EXPECT_FALSE(makePolicy(":x=1", 1000).ok());
  EXPECT_TRUE(checkPolicySpec("belady", /*online=*/false).ok());
  EXPECT_FALSE(checkPolicySpec("belady", /*online=*/true).ok());
  auto spec = parsePolicySpec("2q:in=0.3,out=0.6");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->text(), "2q:in=0.3,out=0.6");
}

// Runs the calling protocol of policy.h over a trace of ids (unit sizes, `capacity` objects):
// the same loop as the simulator and the store. Returns the misses.
struct Driver {
  std::unique_ptr<Policy> p;
  uint64_t capacity;
  std::set<ItemId> resident;
  explicit Driver(const std::string& spec, uint64_t cap) : p(std::move(makePolicy(spec, cap).value())), capacity(cap) {}
  void settle() {
    for (ItemId d : p->dropped()) ASSERT_EQ(resident.erase(d), 1u) << "dropped " << d << " twice";
    p->dropped().clear();
  }
  bool request(ItemId id, int64_t now = 0, int64_t next = Access::kNever) {
    Access a{id, 1, next, now};
    if (resident.count(id)) {
      p->onHit(id, a);
      settle();
      return true;
    }
    const bool admitted = p->admit(a);
    settle();  // admission may evict (LIRS)
    if (!admitted || a.size > capacity) return false;
    while (resident.size() + 1 > capacity) {
      auto v = p->victim();
      EXPECT_TRUE(v.has_value());
      if (!v) break;
      EXPECT_EQ(resident.erase(*v), 1u) << "victim " << *v << " is not resident";
      p->onRemove(*v, RemoveCause::Size);
    }
    resident.insert(id);
    p->onInsert(id, a);
    settle();
    EXPECT_LE(resident.size(), capacity);
    return false;
  }
};

class PolicyConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(PolicyConformance, EmptyHasNoVictim) {
  auto p = std::move(makePolicy(GetParam(), 100).value());
  EXPECT_FALSE(p->victim());
}

TEST_P(PolicyConformance, DrainsEveryItemExactlyOnce) {
  Driver d(GetParam(), 40);
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) d.request(ItemId(rng() % 120), i);
  std::set<ItemId> seen;
  while (auto v = d.p->victim()) {
    ASSERT_TRUE(d.resident.count(*v)) << "victim " << *v << " is not resident";
    ASSERT_TRUE(seen.insert(*v).second) << "victim " << *v << " named twice";
    d.p->onRemove(*v, RemoveCause::Size);
  }
  EXPECT_EQ(seen, d.resident);
}

TEST_P(PolicyConformance, RemovedItemsAreNeverVictims) {
  Driver d(GetParam(), 100);
  for (ItemId i = 0; i < 20; ++i) d.request(i);
  for (ItemId i = 0; i < 20; i += 2) {
    if (!d.resident.count(i)) continue;
    d.p->onRemove(i, RemoveCause::Explicit);
    d.resident.erase(i);
  }
  while (auto v = d.p->victim()) {
    ASSERT_EQ(*v % 2, 1u);
    ASSERT_TRUE(d.resident.erase(*v));
    d.p->onRemove(*v, RemoveCause::Size);
  }
  EXPECT_TRUE(d.resident.empty());
}

TEST_P(PolicyConformance, IdsAreReusableAfterRemove) {
  Driver d(GetParam(), 100);
  d.request(0);
  d.request(1);
  if (d.resident.count(0)) {
    d.p->onRemove(0, RemoveCause::Explicit);
    d.resident.erase(0);
  }
  d.request(0);  // reused id
  d.request(0);
  std::set<ItemId> seen;
  while (auto v = d.p->victim()) {
    seen.insert(*v);
    d.p->onRemove(*v, RemoveCause::Size);
  }
  EXPECT_EQ(seen, d.resident);
}

// Through the store: random operations, invariants checked all along (seeded, seed printed).
TEST_P(PolicyConformance, StoreInvariantsUnderRandomWorkload) {
  const uint32_t seed = 20261125;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  StoreConfig c;
  c.policy = GetParam();
  if (findPolicy(GetParam())->offline) GTEST_SKIP() << "offline policies are simulator only";
  c.shards = 4;
  c.capacityBytes = 64 * 1024;
  c.maxObjectFraction = 0.5;
  auto store = std::move(CacheStore::create(c).value());
  int64_t now = kT0Ms;
  for (int i = 0; i < 5000; ++i) {
    std::string path = "/o" + std::to_string(rng() % 300);
    now += rng() % 50;
    switch (rng() % 10) {
      case 0: store->remove(keyFor(path)); break;
      case 1: store->sweepExpired(now, 16); break;
      case 2: case 3: case 4: {
        auto e = entryFor(path, H({{"Cache-Control", "max-age=" + std::to_string(rng() % 60)}}),
                          now - kT0Ms, std::string(rng() % 4000, 'b'));
        store->insert(e, now);
        break;
      }
      default: {
        auto r = store->lookup(keyFor(path), nullptr, now);
        if (r) {
          ASSERT_EQ(r.entry->key.url(), "http://example.com" + path);
        }
      }
    }
    StoreStats st = store->stats();
    ASSERT_LE(st.bytes, c.capacityBytes);
    ASSERT_EQ(st.objects, st.inserts - st.evictedSize - st.expired - st.replaced - st.purged);
  }
  PurgeResult all = store->purgeAll();
  EXPECT_EQ(store->stats().bytes, 0u);
  EXPECT_EQ(store->stats().objects, 0u);
  (void)all;
}

INSTANTIATE_TEST_SUITE_P(AllPolicies, PolicyConformance, ::testing::ValuesIn([] {
                           std::vector<std::string> names;
                           for (const PolicyInfo& p : policies()) names.emplace_back(p.name);
                           return names;
                         }()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

// Replays ids through a one-shard store bounded to `capacity` objects; returns the misses.
uint64_t replayMisses(const std::vector<std::string>& ids, const std::string& policy, uint64_t capacity,
                      uint32_t shards = 1) {
  StoreConfig c;
  c.policy = policy;
  c.shards = shards;
  c.maxObjects = capacity;
  c.capacityBytes = 1ull << 40;
  auto store = std::move(CacheStore::create(c).value());
  std::unordered_map<std::string, std::shared_ptr<Entry>> made;  // one entry per object
  uint64_t misses = 0;
  for (const auto& id : ids) {
    std::string path = "/" + id;
    if (store->lookup(keyFor(path), nullptr, kT0Ms)) continue;
    ++misses;
    auto& e = made[id];
    if (!e) e = entryFor(path, H({{"Cache-Control", "max-age=100000"}}), 0, "");
    store->insert(e, kT0Ms);
  }
  return misses;
}

// The reference: a std::list LRU / FIFO in a dozen lines, obviously right.
uint64_t referenceMisses(const std::vector<std::string>& ids, bool lru, size_t capacity) {
  std::list<std::string> order;  // front = next to evict
  std::unordered_map<std::string, std::list<std::string>::iterator> where;
  uint64_t misses = 0;
  for (const auto& id : ids) {
    auto it = where.find(id);
    if (it != where.end()) {
      if (lru) order.splice(order.end(), order, it->second);
      continue;
    }
    ++misses;
    if (order.size() == capacity) {
      where.erase(order.front());
      order.pop_front();
    }
    where[id] = order.insert(order.end(), id);
  }
  return misses;
}

std::vector<std::string> chars(std::string_view s) {
  std::vector<std::string> v;
  for (char c : s) v.emplace_back(1, c);
  return v;
}

TEST(GoldenMisses, TinyTraceByHand) {
  // capacity 3, trace a b c a d a b:
  //  LRU : a b c miss, a hit, d miss (evicts b), a hit, b miss (evicts c)      -> 5 misses
  //  FIFO: a b c miss, a hit, d miss (evicts a), a miss (evicts b), b miss     -> 6 misses
  auto t = chars("abcadab");
  EXPECT_EQ(replayMisses(t, "lru", 3), 5u);
  EXPECT_EQ(replayMisses(t, "fifo", 3), 6u);
  EXPECT_EQ(referenceMisses(t, true, 3), 5u);
  EXPECT_EQ(referenceMisses(t, false, 3), 6u);
}

TEST(GoldenMisses, SyntheticZipfMatchesReference) {
  const uint32_t seed = 7;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) {
    // Skewed ids: the minimum of three uniforms over 2000 objects.
    uint32_t a = rng() % 2000, b = rng() % 2000, c = rng() % 2000;
    ids.push_back(std::to_string(std::min({a, b, c})));
  }
  for (size_t cap : {50u, 200u, 800u}) {
    EXPECT_EQ(replayMisses(ids, "lru", cap), referenceMisses(ids, true, cap)) << cap;
    EXPECT_EQ(replayMisses(ids, "fifo", cap), referenceMisses(ids, false, cap)) << cap;
  }
}

// Workers share one sharded store: splitting it into per-shard LRUs (each with 1/N of the
// budget) must cost almost no hit ratio against one global LRU of the same size.
TEST(GoldenMisses, ShardingKeepsTheHitRatio) {
  std::mt19937 rng(11);
  std::vector<std::string> ids;
  for (int i = 0; i < 50000; ++i) {
    uint32_t a = rng() % 20000, b = rng() % 20000, c = rng() % 20000;
    ids.push_back(std::to_string(std::min({a, b, c})));
  }
  const double one = double(replayMisses(ids, "lru", 3200, 1));
  const double sixteen = double(replayMisses(ids, "lru", 3200, 16));
  EXPECT_LT(std::abs(sixteen - one) / double(ids.size()), 0.01) << one << " vs " << sixteen;
}

// The CloudPhysics sample replayed through every policy, with libCacheSim's calibration counts,
// is in tests/sim (it needs the trace readers).

}  // namespace
}  // namespace cdnlab::edge::cache

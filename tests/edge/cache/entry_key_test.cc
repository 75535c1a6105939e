// An entry's key lives in the entry's own allocation (Entry::create), where the store's hit
// prefetches it from the table slot; the store still compares the whole key, never the hash
// alone; what a hit reads of the entry stays within the lines it prefetches.
#include <gtest/gtest.h>

#include "edge/cache/store.h"
#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

// Longer than std::string's inline buffer (15 bytes) and than the 256 bytes the store
// prefetches of a key, so the compare runs past both.
const std::string kLongPath = "/assets/" + std::string(300, 'p') + "/app.js?v=1";

std::shared_ptr<Entry> obj(const std::string& path) {
  return entryFor(path, H({{"Cache-Control", "max-age=1000"}}));
}

std::unique_ptr<CacheStore> makeStore() {
  StoreConfig c;
  c.shards = 1;
  return std::move(CacheStore::create(c).value());
}

TEST(StoreEntryKey, CharactersFollowTheEntryInItsAllocation) {
  for (const std::string& path : {std::string("/"), std::string("/a/b/c?d=e"), kLongPath}) {
    auto e = obj(path);
    ASSERT_TRUE(e);
    const CacheKey k = keyFor(path);
    EXPECT_EQ(e->key.canonical(), k.canonical);
    EXPECT_EQ(e->key.hash, k.hash);
    EXPECT_TRUE(e->key == k);
    // Where the store's hit prefetches them from the entry's address alone.
    EXPECT_EQ(e->key.canonical().data(), Entry::keyCharsOf(e.get())) << path;
    EXPECT_EQ(e->key.url(), k.url());
  }
}

TEST(StoreEntryKey, CloneHoldsItsOwnCopy) {
  auto original = obj(kLongPath);
  ASSERT_TRUE(original);
  auto copy = original->clone();
  const std::string expected(original->key.canonical());
  original.reset();  // the clone must not point into the freed allocation (ASan checks)
  EXPECT_EQ(copy->key.canonical(), expected);
  EXPECT_EQ(copy->key.canonical().data(), Entry::keyCharsOf(copy.get()));
  EXPECT_TRUE(copy->key == keyFor(kLongPath));
}

TEST(StoreEntryKey, AHeldEntryKeepsItsKeyAfterEviction) {
  auto s = makeStore();
  ASSERT_EQ(s->insert(obj(kLongPath), kT0Ms), InsertResult::Stored);
  auto held = s->lookup(keyFor(kLongPath), nullptr, kT0Ms).entry;
  ASSERT_TRUE(held);
  s->purgeAll();
  EXPECT_EQ(held->key.canonical(), keyFor(kLongPath).canonical);
}

// Keys given one hash (a full 64-bit collision) that differ only in their last character, only
// in their length (one a prefix of the other), or only in their first character: the store
// answers each with its own entry and a key it does not hold with none.
TEST(StoreEntryKey, CollidingKeysAreComparedInFull) {
  auto s = makeStore();
  const std::string b = kLongPath.substr(0, kLongPath.size() - 1) + "2";  // last character
  const std::string c = kLongPath.substr(0, kLongPath.size() - 1);        // a prefix
  const std::string d = "/bssets/" + kLongPath.substr(8);                 // first path character
  auto ea = obj(kLongPath);
  const uint64_t hash = ea->key.hash;
  auto collide = [&](const std::string& path) {
    CacheKey k = keyFor(path);
    k.hash = hash;
    return k;
  };
  ASSERT_EQ(s->insert(ea, kT0Ms), InsertResult::Stored);
  for (const std::string& p : {b, c, d}) EXPECT_FALSE(s->lookup(collide(p), nullptr, kT0Ms)) << p;

  std::vector<std::shared_ptr<Entry>> others;
  for (const std::string& p : {b, c, d}) {
    auto e = obj(p);
    e->key.hash = hash;
    ASSERT_EQ(s->insert(e, kT0Ms), InsertResult::Stored);
    others.push_back(e);
  }
  EXPECT_EQ(s->stats().objects, 4u);
  EXPECT_EQ(s->lookup(keyFor(kLongPath), nullptr, kT0Ms).entry, ea);
  EXPECT_EQ(s->lookup(collide(b), nullptr, kT0Ms).entry, others[0]);
  EXPECT_EQ(s->lookup(collide(c), nullptr, kT0Ms).entry, others[1]);
  EXPECT_EQ(s->lookup(collide(d), nullptr, kT0Ms).entry, others[2]);
  EXPECT_EQ(s->remove(collide(c)).objects, 1u);
  EXPECT_FALSE(s->lookup(collide(c), nullptr, kT0Ms));
  EXPECT_EQ(s->lookup(collide(b), nullptr, kT0Ms).entry, others[0]);
}

// The store prefetches Entry::kHotBytes of the entry on a hit (store.cc, findVariant): every
// field the hit reads (the key, the Age and lifetime inputs, the flags, the hit count, Vary's
// names) must lie within them.
TEST(StoreEntryKey, TheFieldsAHitReadsLieWithinTheHotBytes) {
  Entry e;
  const char* base = reinterpret_cast<const char*>(&e);
  auto end = [&](const auto& field) {
    return size_t(reinterpret_cast<const char*>(&field) + sizeof(field) - base);
  };
  const size_t hitReadsUpTo = std::max({end(e.key), end(e.requestTimeMs), end(e.responseTimeMs), end(e.dateValueS),
                                        end(e.ageValueS), end(e.freshnessLifetimeS), end(e.heuristic),
                                        end(e.noCache), end(e.mustRevalidate), end(e.maxStaleForbidden),
                                        end(e.hits), end(e.staleWhileRevalidateS), end(e.staleIfErrorS),
                                        // its begin and end pointers: size() and the loop
                                        size_t(reinterpret_cast<const char*>(&e.varyNames) - base) + 2 * sizeof(void*)});
  EXPECT_LE(hitReadsUpTo, Entry::kHotBytes);
}

}  // namespace
}  // namespace cdnlab::edge::cache

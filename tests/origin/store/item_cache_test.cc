// ItemCache coherence: a value read before a write is never cached after it, a cached item
// follows its own updates and deletes, range deletes clear it, the byte budget holds.
#include "origin/store/item_cache.h"

#include <gtest/gtest.h>

#include "origin/store/engine.h"

namespace cdnlab::store {
namespace {

TEST(ItemCache, ReadBeforeAWriteIsNotCachedAfterIt) {
  ItemCache c(1 << 20);
  uint64_t g = c.generation("ik");  // a reader starts, then reads the old value from RocksDB
  rocksdb::WriteBatch b;
  b.Put("ik", "new");
  c.beginWrite(b);
  c.endWrite(b, true);
  c.insertIfUnchanged("ik", "old", g);  // the reader's stale value must be refused
  std::string v;
  EXPECT_FALSE(c.get("ik", &v));
  c.insertIfUnchanged("ik", "new", c.generation("ik"));
  ASSERT_TRUE(c.get("ik", &v));
  EXPECT_EQ(v, "new");
}

TEST(ItemCache, FollowsUpdatesDeletesAndRangeDeletes) {
  ItemCache c(1 << 20);
  c.insertIfUnchanged("ia", "1", c.generation("ia"));
  c.insertIfUnchanged("ib", "2", c.generation("ib"));
  rocksdb::WriteBatch up;
  up.Put("ia", "11");
  up.Delete("ib");
  c.beginWrite(up);
  c.endWrite(up, true);
  std::string v;
  ASSERT_TRUE(c.get("ia", &v));
  EXPECT_EQ(v, "11");
  EXPECT_FALSE(c.get("ib", &v));
  rocksdb::WriteBatch failed;  // a write RocksDB refused: its keys are dropped, not replaced
  failed.Put("ia", "never");
  c.beginWrite(failed);
  c.endWrite(failed, false);
  EXPECT_FALSE(c.get("ia", &v));
  c.insertIfUnchanged("ia", "11", c.generation("ia"));
  rocksdb::WriteBatch streams;  // outside the item keyspace: the cache stays
  streams.DeleteRange("s", "t");
  c.beginWrite(streams);
  c.endWrite(streams, true);
  ASSERT_TRUE(c.get("ia", &v));
  rocksdb::WriteBatch range;
  range.DeleteRange("i\x01", "i\x02");
  c.beginWrite(range);
  c.endWrite(range, true);
  EXPECT_FALSE(c.get("ia", &v));
  EXPECT_EQ(c.bytes(), 0u);
}

TEST(ItemCache, OnlyItemKeysAndWithinBudget) {
  EXPECT_FALSE(ItemCache::cacheable("m-table"));
  EXPECT_TRUE(ItemCache::cacheable("i..."));
  ItemCache c(64 * 4096);  // 4 KiB per shard
  std::string big(1000, 'x');
  for (int i = 0; i < 2000; ++i) {
    std::string k = "i" + std::to_string(i);
    c.insertIfUnchanged(k, big, c.generation(k));
  }
  EXPECT_LE(c.bytes(), 64u * 4096);
  EXPECT_GT(c.bytes(), 0u);
}

// Through the engine: reads see every write, including ones made after the item was cached.
TEST(ItemCache, EngineReadsAreCoherent) {
  EngineOptions eo;
  eo.inMemory = true;
  auto e = Engine::open(eo);
  ASSERT_TRUE(e.ok());
  Engine& engine = **e;
  ASSERT_NE(engine.itemCache(), nullptr);
  std::string v;
  for (int round = 0; round < 3; ++round) {
    rocksdb::WriteBatch b;
    b.Put("item", "v" + std::to_string(round));
    ASSERT_TRUE(engine.write(b).ok());
    ASSERT_TRUE(engine.get("item", &v));
    EXPECT_EQ(v, "v" + std::to_string(round));
    ASSERT_TRUE(engine.get("item", &v));  // the cached copy
    EXPECT_EQ(v, "v" + std::to_string(round));
  }
  rocksdb::WriteBatch d;
  d.Delete("item");
  ASSERT_TRUE(engine.write(d).ok());
  EXPECT_FALSE(engine.get("item", &v));
}

}  // namespace
}  // namespace cdnlab::store

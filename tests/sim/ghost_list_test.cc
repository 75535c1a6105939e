// GhostList's open-addressing index against std::unordered_map under random inserts and erases
// (including key 0 and keys that collide in the low bits), and its byte-bounded FIFO order.
#include "edge/cache/policies/ghost_list.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace cdnlab::edge::cache {
namespace {

TEST(KeySlotMap, MatchesUnorderedMapUnderRandomOperations) {
  const uint32_t seed = 99;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  KeySlotMap m;
  std::unordered_map<uint64_t, ItemId> ref;
  for (int i = 0; i < 200000; ++i) {
    uint64_t key = (rng() % 3000) << (rng() % 2 ? 32 : 0);  // small and high-bit keys, and 0
    if (rng() % 3 == 0) {
      ASSERT_EQ(m.erase(key), ref.erase(key) == 1) << i;
    } else if (!ref.count(key)) {
      m.insert(key, ItemId(i));
      ref[key] = ItemId(i);
    }
    ASSERT_EQ(m.size(), ref.size());
    uint64_t probe = (rng() % 3000) << (rng() % 2 ? 32 : 0);
    auto it = ref.find(probe);
    ASSERT_EQ(m.find(probe), it == ref.end() ? KeySlotMap::kAbsent : it->second) << i;
  }
}

TEST(GhostList, BoundedFifo) {
  GhostList g;
  g.pushBounded(1, 4, 10);
  g.pushBounded(2, 4, 10);
  g.pushBounded(3, 4, 10);  // 12 > 10: 1 leaves
  EXPECT_FALSE(g.contains(1));
  EXPECT_TRUE(g.contains(2));
  EXPECT_EQ(g.bytes(), 8u);
  g.pushBounded(4, 11, 10);  // larger than the ghost: ignored
  EXPECT_FALSE(g.contains(4));
  EXPECT_TRUE(g.remove(2));
  EXPECT_FALSE(g.remove(2));
  EXPECT_EQ(g.bytes(), 4u);
}

}  // namespace
}  // namespace cdnlab::edge::cache

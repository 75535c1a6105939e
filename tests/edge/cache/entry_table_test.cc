// EntryTable, the store's index: every slot stays findable through inserts, growth and
// backward-shift deletions, including probe runs longer than the 8-bit home distance a slot
// records (those slots fall back to their entry's hash).
#include "edge/cache/entry_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <set>

namespace cdnlab::edge::cache {
namespace {

std::set<ItemId> idsOf(const EntryTable& t, uint64_t hash) {
  std::set<ItemId> out;
  t.visit(hash, [&](const Entry* e, ItemId id) {
    if (e->key.hash == hash) out.insert(id);  // a tag match is a candidate; the caller checks the key
    return false;
  });
  return out;
}

TEST(EntryTable, LongRunsAndRandomHashesSurviveDeletion) {
  std::mt19937_64 rng(5);
  std::vector<std::unique_ptr<Entry>> entries;
  // 600 slots of one hash (one probe run longer than 255) and 3000 of random hashes.
  for (int i = 0; i < 3600; ++i) {
    auto e = std::make_unique<Entry>();
    e->key.hash = i < 600 ? 0x1234567890abcdefull : rng();
    entries.push_back(std::move(e));
  }
  EntryTable t;
  for (ItemId id = 0; id < entries.size(); ++id) {
    ASSERT_TRUE(EntryTable::fits(entries[id].get()));
    t.insert(entries[id]->key.hash, entries[id].get(), id);
  }
  EXPECT_EQ(t.size(), entries.size());
  std::vector<ItemId> order(entries.size());
  for (ItemId i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::set<ItemId> sameHash;
  for (ItemId i = 0; i < 600; ++i) sameHash.insert(i);
  for (size_t k = 0; k < order.size(); ++k) {
    const ItemId id = order[k];
    ASSERT_TRUE(t.erase(entries[id]->key.hash, id));
    EXPECT_FALSE(t.erase(entries[id]->key.hash, id));
    if (id < 600) sameHash.erase(id);
    if (k % 97 == 0 || k + 1 == order.size()) {
      ASSERT_EQ(idsOf(t, 0x1234567890abcdefull), sameHash) << "after " << k + 1 << " erasures";
      for (size_t r = k + 1; r < order.size(); ++r) {  // everything not erased is still found
        const ItemId left = order[r];
        ASSERT_EQ(idsOf(t, entries[left]->key.hash).count(left), 1u) << left;
      }
    }
  }
  EXPECT_EQ(t.size(), 0u);
}

}  // namespace
}  // namespace cdnlab::edge::cache

// LFU: evict the item with the fewest hits since it was inserted; among equals, the one that
// reached that count first (FIFO within a frequency). Counts start at 1 and are forgotten on
// eviction (in-cache LFU).
//
//   on insert(x):  freq[x] = 1; append x to bucket 1; min = 1
//   on hit(x):     move x from bucket f to the end of bucket f + 1;
//                  if bucket f was the minimum and is now empty: min = f + 1
//   victim():      the oldest entry of bucket min
//   on remove(x):  unlink x; if its bucket was the minimum and is empty: min = next non-empty
//
// The O(1) bucket structure: Shah, Mitra, Matani, "An O(1) algorithm for implementing the LFU
// cache eviction scheme", 2010. As libCacheSim's LFU.c.
#include <memory>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class LfuPolicy final : public Policy {
 public:
  std::string_view name() const override { return "lfu"; }
  void onInsert(ItemId id, const Access&) override {
    freq_[id] = 1;
    bucket(1);
    lists_.pushFront(1, id);
    min_ = 1;
  }
  void onHit(ItemId id, const Access&) override {
    uint64_t f = freq_[id];
    lists_.unlink(f, id);
    freq_[id] = f + 1;
    bucket(f + 1);
    lists_.pushFront(f + 1, id);
    if (min_ == f && lists_.empty(f)) min_ = f + 1;
  }
  void onRemove(ItemId id, RemoveCause) override {
    uint64_t f = freq_[id];
    lists_.unlink(f, id);
    if (f == min_ && lists_.empty(f)) {
      for (uint64_t g = f + 1; g < lists_.lists(); ++g)
        if (!lists_.empty(g)) {
          min_ = g;
          break;
        }
    }
  }
  std::optional<ItemId> victim() override {
    if (min_ >= lists_.lists() || lists_.empty(min_)) return std::nullopt;
    return lists_.back(min_);
  }

 private:
  void bucket(uint64_t f) {
    if (f >= lists_.lists()) lists_.addLists(f + 1 - lists_.lists());
  }
  IdLists lists_{2};  // list f holds the items hit f - 1 times; list 0 is unused
  PerItem<uint64_t> freq_;
  uint64_t min_ = 1;
};

}  // namespace

PolicyMade makeLfuPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<LfuPolicy>());
}

}  // namespace cdnlab::edge::cache

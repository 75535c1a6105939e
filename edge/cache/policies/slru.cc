// SLRU: n LRU segments of capacity / n each. A new item goes to the lowest segment with room
// (segment 0 once the cache has filled); a hit promotes one segment up; a segment over its
// share pushes its LRU item one segment down, and segment 0's LRU item leaves the cache.
//
//   admit(x):      size(x) <= segment capacity
//   on insert(x):  s = lowest segment with room for x, else 0; push x at the head of s
//   on hit(x):     if x in the top segment: move to its head
//                  else: move x to the head of segment s + 1
//                        while segment(x) is over its capacity: cool(segment(x))
//   cool(i):       i == 0: evict the victim (below); else move the tail of i to the head of
//                  i - 1 and cool(i - 1) while that is over
//   victim():      the tail of the lowest non-empty segment
//
// Karedla, Love, Wherry, "Caching strategies to improve disk system performance", IEEE
// Computer 27(3), 1994. As libCacheSim's SLRU.c (n-seg=4, equal segments).
#include <memory>
#include <vector>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class SlruPolicy final : public Policy {
 public:
  SlruPolicy(uint64_t capacity, int n) : lists_(size_t(n)), bytes_(size_t(n)), cap_(size_t(n), int64_t(capacity) / n) {}
  std::string_view name() const override { return "slru"; }
  bool admit(const Access& a) override { return int64_t(a.size) <= cap_[0]; }
  void onInsert(ItemId id, const Access& a) override {
    size_t s = 0;
    for (size_t i = 0; i < cap_.size(); ++i)
      if (bytes_[i] + int64_t(a.size) <= cap_[i]) {
        s = i;
        break;
      }
    size_[id] = a.size;
    put(s, id);
  }
  void onHit(ItemId id, const Access&) override {
    size_t s = seg_[id];
    if (s == cap_.size() - 1) {
      lists_.moveToFront(s, id);
      return;
    }
    take(s, id);
    put(s + 1, id);
    while (seg_[id] != kGone && bytes_[seg_[id]] > cap_[seg_[id]]) cool(seg_[id]);
  }
  void onRemove(ItemId id, RemoveCause) override { take(seg_[id], id); }
  std::optional<ItemId> victim() override {
    for (size_t i = 0; i < cap_.size(); ++i)
      if (!lists_.empty(i)) return lists_.back(i);
    return std::nullopt;
  }

 private:
  static constexpr uint8_t kGone = 0xff;
  void put(size_t s, ItemId id) {
    lists_.pushFront(s, id);
    seg_[id] = uint8_t(s);
    bytes_[s] += int64_t(size_[id]);
  }
  void take(size_t s, ItemId id) {
    lists_.unlink(s, id);
    bytes_[s] -= int64_t(size_[id]);
    seg_[id] = kGone;
  }
  void cool(size_t i) {
    if (i == 0) {
      ItemId v = *victim();
      take(seg_[v], v);
      drop(v);
      return;
    }
    ItemId t = lists_.back(i);
    take(i, t);
    put(i - 1, t);
    while (bytes_[i - 1] > cap_[i - 1]) cool(i - 1);
  }
  IdLists lists_;
  std::vector<int64_t> bytes_, cap_;
  PerItem<uint8_t> seg_;
  PerItem<uint64_t> size_;
};

}  // namespace

PolicyMade makeSlruPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  int n = int(r.integer("segments", 4, 1, 16));
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<SlruPolicy>(c.capacity, n));
}

}  // namespace cdnlab::edge::cache

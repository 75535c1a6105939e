// SIEVE: a FIFO queue and a hand that moves from the tail toward the head, clearing visited
// bits and evicting the first unvisited item; survivors keep their place (lazy promotion).
//
//   on insert(x):  push x at the head, visited[x] = 0
//   on hit(x):     visited[x] = 1
//   victim():      o = hand or the tail
//                  while visited[o]: visited[o] = 0; o = newer(o) or, past the head, the tail
//                  hand = newer(o); return o
//   on remove(x):  if hand == x: hand = newer(x); unlink x
//
// Zhang, Yang, Yue, Vigfusson, Rashmi, "SIEVE is simpler than LRU: an efficient turn-key
// eviction algorithm for web caches", NSDI 2024. As libCacheSim's Sieve.c.
#include <memory>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class SievePolicy final : public Policy {
 public:
  std::string_view name() const override { return "sieve"; }
  void onInsert(ItemId id, const Access&) override {
    list_.pushFront(id);
    visited_[id] = 0;
  }
  void onHit(ItemId id, const Access&) override { visited_[id] = 1; }
  void onRemove(ItemId id, RemoveCause) override {
    if (hand_ == id) hand_ = list_.newer(id);
    list_.unlink(id);
  }
  std::optional<ItemId> victim() override {
    if (list_.empty()) return std::nullopt;
    ItemId o = hand_ == IdList::kNone ? list_.back() : hand_;
    while (visited_[o]) {
      visited_[o] = 0;
      o = list_.newer(o) == IdList::kNone ? list_.back() : list_.newer(o);
    }
    hand_ = list_.newer(o);
    return o;
  }

 private:
  IdList list_;
  PerItem<uint8_t> visited_;
  ItemId hand_ = IdList::kNone;
};

}  // namespace

PolicyMade makeSievePolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<SievePolicy>());
}

}  // namespace cdnlab::edge::cache

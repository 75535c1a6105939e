// 2Q: new objects enter a FIFO (A1in); objects it evicts are remembered in a ghost FIFO
// (A1out); a miss that hits the ghost goes straight to the main LRU (Am).
//
//   admit(x):      ghostHit = remove x from A1out; return size(x) <= |A1in| capacity
//   on insert(x):  ghostHit: LRU-insert x into Am (Am evicts its own tail while over its
//                  capacity, which is the cache minus A1in's share); else push x into A1in
//   on hit(x):     in Am: move to Am's head; in A1in: nothing
//   victim():      A1in over its share: its tail (remembered in A1out), else Am's tail
//
// Johnson, Shasha, "2Q: a low overhead high performance buffer management replacement
// algorithm", VLDB 1994. As libCacheSim's TwoQ.c (Ain-size-ratio=0.25, Aout-size-ratio=0.5).
#include <memory>

#include "edge/cache/policies/ghost_list.h"
#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class TwoQPolicy final : public Policy {
 public:
  TwoQPolicy(uint64_t capacity, double in, double out)
      : inCap_(int64_t(double(capacity) * in)),
        outCap_(int64_t(double(capacity) * out)),
        mainCap_(int64_t(capacity) - inCap_) {}
  std::string_view name() const override { return "2q"; }
  bool admit(const Access& a) override {
    ghostHit_ = ghost_.remove(a.key);
    return int64_t(a.size) <= inCap_;
  }
  void onInsert(ItemId id, const Access& a) override {
    key_[id] = a.key;
    queues_.size(id) = a.size;
    if (ghostHit_) {
      ghostHit_ = false;
      if (int64_t(a.size) > mainCap_) {
        drop(id);
        return;
      }
      while (queues_.bytes(kMain) + int64_t(a.size) > mainCap_) {
        ItemId t = queues_.back(kMain);
        queues_.take(t);
        drop(t);
      }
      queues_.put(kMain, id);
    } else {
      queues_.put(kIn, id);
    }
  }
  void onHit(ItemId id, const Access&) override {
    if (queues_.queueOf(id) == kMain) queues_.moveToFront(kMain, id);
  }
  void onRemove(ItemId id, RemoveCause) override { queues_.take(id); }
  std::optional<ItemId> victim() override {
    if (queues_.bytes(kIn) > inCap_ || queues_.empty(kMain)) {
      if (queues_.empty(kIn)) return std::nullopt;
      ItemId t = queues_.back(kIn);
      if (outCap_ > 0) ghost_.pushBounded(key_[t], queues_.size(t), uint64_t(outCap_));
      return t;
    }
    return queues_.back(kMain);
  }

 private:
  static constexpr uint8_t kIn = 0, kMain = 1;
  int64_t inCap_, outCap_, mainCap_;
  bool ghostHit_ = false;
  SizedQueues queues_{2};  // A1in and Am, with their bytes
  GhostList ghost_;
  PerItem<uint64_t> key_;  // the key hash, for A1out
};

}  // namespace

PolicyMade makeTwoQPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  double in = r.fraction("in", 0.25, 0.0, 1.0);
  double out = r.fraction("out", 0.5, 0.0, 10.0);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<TwoQPolicy>(c.capacity, in, out));
}

}  // namespace cdnlab::edge::cache

// ARC: two LRU lists, T1 (seen once recently) and T2 (seen at least twice), and their ghosts
// B1 / B2; the target size p of T1 grows on a B1 hit and shrinks on a B2 hit.
//
//   admit(x):      x in B1: p = min(p + max(|B2| / |B1|, 1), c); remove x from B1; ghost hit
//                  x in B2: p = max(p - max(|B1| / |B2|, 1), 0); remove x from B2; ghost hit
//   on hit(x):     x in T1: move x to T2's head; x in T2: move to T2's head
//   victim():      ghost hit:  REPLACE
//                  otherwise:  if |T1| + |B1| + size(x) > c:
//                                 B1 not empty: drop B1's tail, REPLACE
//                                 else: evict T1's tail (no ghost)
//                              else: if |T1|+|B1|+|T2|+|B2| >= 2c and B2 not empty: drop B2's
//                                 tail; REPLACE
//   REPLACE:       if (|T1| > 0 and (|T1| > p or (|T1| == p and x in B2))) or |T2| == 0:
//                     T1's tail -> B1's head  else  T2's tail -> B2's head
//   on insert(x):  ghost hit: T2's head; else T1's head
//
// Megiddo, Modha, "ARC: a self-tuning, low overhead replacement cache", FAST 2003. Sizes are
// bytes (objects in object mode), p is a double; as libCacheSim's ARC.c, whose eviction needs
// the incoming object's size (remembered from admit()).
#include <algorithm>
#include <memory>

#include "edge/cache/policies/ghost_list.h"
#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class ArcPolicy final : public Policy {
 public:
  explicit ArcPolicy(uint64_t capacity) : c_(int64_t(capacity)) {}
  std::string_view name() const override { return "arc"; }
  bool admit(const Access& a) override {
    inB1_ = inB2_ = false;
    incoming_ = int64_t(a.size);
    if (b1_.contains(a.key)) {
      inB1_ = true;
      double delta = std::max(double(b2_.bytes()) / double(b1_.bytes()), 1.0);
      p_ = std::min(p_ + delta, double(c_));
      b1_.remove(a.key);
    } else if (b2_.contains(a.key)) {
      inB2_ = true;
      double delta = std::max(double(b1_.bytes()) / double(b2_.bytes()), 1.0);
      p_ = std::max(p_ - delta, 0.0);
      b2_.remove(a.key);
    }
    return true;
  }
  void onInsert(ItemId id, const Access& a) override {
    key_[id] = a.key;
    size_[id] = a.size;
    put((inB1_ || inB2_) ? kT2 : kT1, id);
    inB1_ = inB2_ = false;
  }
  void onHit(ItemId id, const Access&) override {
    inB1_ = inB2_ = false;
    if (where_[id] == kT1) {
      take(id);
      put(kT2, id);
    } else {
      lists_.moveToFront(kT2, id);
    }
  }
  void onRemove(ItemId id, RemoveCause cause) override {
    take(id);
    if (cause != RemoveCause::Size) return;
    if (toGhost_ == kT1) b1_.push(key_[id], size_[id]);
    if (toGhost_ == kT2) b2_.push(key_[id], size_[id]);
    toGhost_ = kNoGhost;
  }
  std::optional<ItemId> victim() override {
    if (lists_.empty(kT1) && lists_.empty(kT2)) return std::nullopt;
    toGhost_ = kNoGhost;
    if (inB1_ || inB2_) return replace();
    if (t1_ + int64_t(b1_.bytes()) + incoming_ > c_) {
      if (!b1_.empty()) {
        b1_.popBack();
        return replace();
      }
      return lists_.back(kT1);  // T1 alone fills the cache: evict without a ghost
    }
    if (t1_ + int64_t(b1_.bytes()) + t2_ + int64_t(b2_.bytes()) >= 2 * c_ && !b2_.empty()) b2_.popBack();
    return replace();
  }

 private:
  static constexpr uint8_t kT1 = 0, kT2 = 1, kNoGhost = 2;
  ItemId replace() {
    bool fromT1 = (t1_ > 0 && (double(t1_) > p_ || (double(t1_) == p_ && inB2_))) || t2_ == 0;
    toGhost_ = fromT1 ? kT1 : kT2;
    return lists_.back(toGhost_);
  }
  void put(uint8_t q, ItemId id) {
    lists_.pushFront(q, id);
    where_[id] = q;
    (q == kT1 ? t1_ : t2_) += int64_t(size_[id]);
  }
  void take(ItemId id) {
    uint8_t q = where_[id];
    lists_.unlink(q, id);
    (q == kT1 ? t1_ : t2_) -= int64_t(size_[id]);
  }
  int64_t c_;
  double p_ = 0;
  int64_t t1_ = 0, t2_ = 0, incoming_ = 0;
  bool inB1_ = false, inB2_ = false;
  uint8_t toGhost_ = kNoGhost;  // where victim()'s choice goes when it is removed
  IdLists lists_{2};
  GhostList b1_, b2_;
  PerItem<uint8_t> where_;
  PerItem<uint64_t> key_, size_;
};

}  // namespace

PolicyMade makeArcPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<ArcPolicy>(c.capacity));
}

}  // namespace cdnlab::edge::cache

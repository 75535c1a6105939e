// LIRS: low inter-reference recency set. A block's "recency" is how many distinct blocks were
// used since its last use; its inter-reference recency (IRR) is that recency at its last
// re-use. Blocks with a low IRR (LIR) keep most of the cache; blocks with a high IRR (HIR) get a
// small resident share (1 %) and are evicted first.
//
//   S: recency stack of LIR blocks, resident HIR blocks and non-resident HIR blocks (ghosts),
//      its bottom always an LIR block ("pruning" pops HIR blocks off the bottom)
//   Q: LRU list of the resident HIR blocks; NH: FIFO of the non-resident HIR blocks in S
//   hit LIR x:           x to the top of S; prune
//   hit HIR x in S:      x becomes LIR (leaves Q); while the LIR share overflows: demoteLIR
//   hit HIR x only in Q: while the LIR share would overflow: demoteLIR; push x on S as HIR
//   miss, x ghost in S:  while the LIR share overflows: demoteLIR; while the request's size does
//                        not fit the cache: evict Q down below its share, demoteLIR;
//                        x becomes a resident LIR
//   miss, x new:         LIR share not full: x is LIR; else x is a resident HIR (S top and Q),
//                        evicting Q's LRU block(s) first when both shares are full
//   demoteLIR:           S's bottom leaves S into Q (evicting Q's LRU while Q overflows); prune
//   evict HIR (Q's LRU): leaves the cache; if it is in S it stays there as a ghost (NH)
//   after every request: while S holds more than 2 x the cache size, drop NH's oldest ghost
//
// Jiang, Zhang, "LIRS: an efficient low inter-reference recency set replacement policy to
// improve buffer cache performance", SIGMETRICS 2002. As libCacheSim's LIRS.c (three LRUs S, Q
// and NH; HIR share 1 % of the cache and at least one object; S bounded to twice the cache).
// Its definitions, kept here so miss counts match it:
// - A hit on an HIR block that is only in Q demotes an LIR block when the LIR share is full
//   (the paper does not), and objects larger than the HIR share are never admitted.
// - When that demotion evicts the very block being hit (a Q of one object), libCacheSim keeps
//   it as a resident HIR in S without counting its bytes: its next request is a hit that makes
//   it LIR (and counts it again), unless pruning drops it from S's bottom first.
// - A ghost that comes back is counted at the size its ghost remembers, not the request's,
//   but room is made for the request's size, by LIRS_evict's rounds (Q emptied below its share,
//   then S's bottom demoted), not by evicting Q's LRU block alone: when the block has grown, LIR
//   blocks move to Q and leave the cache.
// The bytes the simulator charged for resident blocks but this policy does not count are
// reported by uncountedBytes(), so the simulator evicts exactly when libCacheSim does.
// Not reproduced: when S's bottom is a resident HIR block that pruning has not removed yet
// (seen with the uncounted block above, in a cache whose LIR share is one unit), libCacheSim's
// evictLIR takes its size off the LIR count and the occupied bytes, neither of which held it,
// then counts it in Q: its counts drift from its blocks for the rest of the run. Here the
// block moves to Q with its own per-block count.
//
// The live store reuses ids, so the stacks hold nodes keyed by the object's key hash; a
// resident node knows its store id. All evictions happen in admit() / onHit() and are
// reported through dropped(); victim() only serves callers that need room on their own
// (the live store after expiries, a drain).
#include <algorithm>
#include <memory>

#include "edge/cache/policies/ghost_list.h"
#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

using NodeId = uint32_t;
constexpr ItemId kNoItem = UINT32_MAX;
constexpr NodeId kNoNode = UINT32_MAX;

struct Node {
  uint64_t key = 0;
  uint64_t size = 0;
  ItemId item = kNoItem;  // the store's id while the store holds the object
  uint64_t charged = 0;   // the size the store charged for it
  int64_t skew = 0;       // charged minus the bytes counted here (in skew_)
  bool uncounted = false; // resident but not counted (libCacheSim's hit_RD_HIRinQ quirk)
  bool inS = false, inQ = false, inNh = false;
  bool lir = false;        // S's status of the block
  bool sResident = false;  // S's residency flag (false: a ghost)
};

class LirsPolicy final : public Policy {
 public:
  LirsPolicy(uint64_t capacity, double hirShare)
      : cap_(capacity),
        hirLimit_(std::max<uint64_t>(1, uint64_t(hirShare * double(capacity)))),
        lirLimit_(capacity >= hirLimit_ ? capacity - hirLimit_ : 0) {}
  std::string_view name() const override { return "lirs"; }
  int64_t uncountedBytes() const override { return skew_; }

  bool admit(const Access& a) override {
    pending_ = kNoNode;
    pendingNew_ = false;
    NodeId n = byKey_.find(a.key);
    if (n != kNoNode) promote(n);  // libCacheSim's find on a miss still moves the copies up
    bool ok = admitMiss(n, a);
    if (!ok) limitStack();
    return ok;
  }

  void onInsert(ItemId id, const Access& a) override {
    NodeId n = byKey_.find(a.key);
    if (n == kNoNode) {
      n = newNode(a.key, a.size);
      if (lirBytes_ + a.size <= lirLimit_) {
        pushS(n, true);
        lirBytes_ += a.size;
      } else {
        pushS(n, false);
        pushQ(n);
      }
    } else if (n != pending_ && !nodes_[n].lir && !nodes_[n].sResident && nodes_[n].inS) {
      // A ghost inserted without admit(): make room in the LIR share as admit() would have.
      ghostToLir(n);
    } else if (n != pending_) {
      // Any other state without admit(): start the object afresh as a resident HIR.
      unlinkAll(n);
      nodes_[n].size = a.size;
      pushS(n, false);
      pushQ(n);
    }
    if (n == pending_ && !pendingNew_ && !nodes_[n].lir) {
      nodes_[n].lir = true;
      nodes_[n].sResident = true;
      lirBytes_ += nodes_[n].size;
    }
    pending_ = kNoNode;
    pendingNew_ = false;
    nodes_[n].item = id;
    nodes_[n].charged = a.size;
    recount(n);
    itemNode_[id] = n;
    limitStack();
  }

  void onHit(ItemId id, const Access&) override {
    NodeId n = itemNode_[id];
    promote(n);
    Node& x = nodes_[n];
    if (x.inS && x.lir) {
      prune();
    } else if (x.inS) {
      hirInSBecomesLir(n);
    } else if (x.inQ) {
      pinned_ = n;
      hitInQ_ = true;
      while (lirBytes_ + x.size > lirLimit_ && !s_.empty()) demoteLir();
      hitInQ_ = false;
      pinned_ = kNoNode;
      pushS(n, false);
    }
    limitStack();
  }

  void onRemove(ItemId id, RemoveCause cause) override {
    NodeId n = itemNode_[id];
    itemNode_[id] = kNoNode;
    Node& x = nodes_[n];
    x.item = kNoItem;
    x.uncounted = false;
    recount(n);
    if (cause == RemoveCause::Size && x.inQ) {
      evictFromQ(n);  // an HIR eviction: a block still in S stays as a ghost
      return;
    }
    bool wasLir = x.inS && x.lir;
    if (wasLir) lirBytes_ -= x.size;
    unlinkAll(n);
    freeIfGone(n);
    if (wasLir) prune();
  }

  std::optional<ItemId> victim() override {
    for (NodeId n = q_.back(); n != IdList::kNone; n = q_.newer(n))
      if (nodes_[n].item != kNoItem) return nodes_[n].item;
    for (NodeId n = s_.back(); n != IdList::kNone; n = s_.newer(n))
      if (nodes_[n].item != kNoItem) return nodes_[n].item;
    return std::nullopt;
  }

 private:
  // libCacheSim's LIRS_can_insert (after its size check), with the find() moves done.
  bool admitMiss(NodeId n, const Access& a) {
    if (a.size > cap_) return false;
    if (n == kNoNode) {
      if (a.size > lirLimit_ || a.size > hirLimit_) return false;
      if (lirBytes_ + a.size > lirLimit_ && hirBytes_ + a.size > hirLimit_)
        while (hirBytes_ + a.size > hirLimit_ && !q_.empty()) evictHir();
      pending_ = kNoNode;
      pendingNew_ = true;
      return true;
    }
    Node& x = nodes_[n];
    if (x.inS && !x.lir && !x.sResident) {  // a ghost in S: it comes back as LIR
      pinned_ = n;
      while (lirBytes_ + x.size > lirLimit_ && s_.back() != n) demoteLir();
      if (x.inNh) {
        nh_.unlink(n);
        x.inNh = false;
      }
      // cache_get_base's evict-until-fits loop, with LIRS_evict's branch for a ghost in S: it
      // fits the request's size, which may exceed the remembered one (the block has grown),
      // and each round empties Q down to below its share, then demotes S's bottom.
      while (lirBytes_ + hirBytes_ + a.size > cap_ && s_.back() != n) {
        while (hirBytes_ >= hirLimit_ && !q_.empty()) evictHir();
        demoteLir();
      }
      pinned_ = kNoNode;
      pending_ = n;
      return true;
    }
    if (x.inS && !x.lir && x.sResident && x.item == kNoItem) {
      // The block libCacheSim kept uncounted (see the top): its hit path, counted as a miss.
      hirInSBecomesLir(n);
      pending_ = n;
      return true;
    }
    return false;  // not reachable through the calling protocol
  }

  void ghostToLir(NodeId n) {
    pinned_ = n;
    while (lirBytes_ + nodes_[n].size > lirLimit_ && s_.back() != n) demoteLir();
    pinned_ = kNoNode;
    if (nodes_[n].inNh) {
      nh_.unlink(n);
      nodes_[n].inNh = false;
    }
    nodes_[n].lir = true;
    nodes_[n].sResident = true;
    lirBytes_ += nodes_[n].size;
  }

  // libCacheSim's hit_RD_HIRinS: a resident HIR block in S becomes LIR and leaves Q.
  void hirInSBecomesLir(NodeId n) {
    Node& x = nodes_[n];
    if (x.inQ) {
      q_.unlink(n);
      x.inQ = false;
      hirBytes_ -= x.size;
    }
    pinned_ = n;
    while (lirBytes_ + x.size > lirLimit_ && s_.back() != n) demoteLir();
    pinned_ = kNoNode;
    x.lir = true;
    lirBytes_ += x.size;
    x.uncounted = false;
    recount(n);
  }

  // libCacheSim's evictLIR: S's bottom leaves S; it stays cached as an HIR block in Q when it
  // fits the HIR share, else it leaves the cache.
  void demoteLir() {
    NodeId t = s_.back();
    Node& x = nodes_[t];
    lirBytes_ -= std::min(lirBytes_, x.size);
    s_.unlink(t);
    x.inS = false;
    sBytes_ -= x.size;
    if (x.inNh) {
      nh_.unlink(t);
      x.inNh = false;
    }
    if (x.size <= hirLimit_) {
      while (hirBytes_ + x.size > hirLimit_ && !q_.empty()) evictHir();
      if (!x.inQ) pushQ(t);
    } else {
      leaveStore(t);
      freeIfGone(t);
    }
    prune();
  }

  // libCacheSim's evictHIR: Q's LRU block leaves the cache, except the block whose hit is
  // being served (hit_RD_HIRinQ): it goes on into S, uncounted.
  void evictHir() {
    NodeId t = q_.back();
    if (hitInQ_ && t == pinned_ && nodes_[t].item != kNoItem) {
      nodes_[t].uncounted = true;
      recount(t);
    } else {
      leaveStore(t);
    }
    evictFromQ(t);
  }

  void evictFromQ(NodeId t) {
    Node& x = nodes_[t];
    q_.unlink(t);
    x.inQ = false;
    hirBytes_ -= x.size;
    if (x.inS) {
      x.sResident = false;
      if (!x.inNh) {
        nh_.pushFront(t);
        x.inNh = true;
      }
    }
    freeIfGone(t);
  }

  // Pops HIR blocks off S's bottom until an LIR block is there (or one block is left).
  void prune() {
    while (!s_.empty() && s_.back() != s_.front()) {
      NodeId t = s_.back();
      Node& x = nodes_[t];
      if (x.lir) break;
      if (x.inNh) {
        nh_.unlink(t);
        x.inNh = false;
      }
      s_.unlink(t);
      x.inS = false;
      sBytes_ -= x.size;
      if (!x.inQ) leaveStore(t);  // only the uncounted block of the top comment
      freeIfGone(t);
    }
  }

  // Bounds S to twice the cache by forgetting the oldest ghosts.
  void limitStack() {
    while (sBytes_ > 2 * cap_ && !nh_.empty()) {
      NodeId t = nh_.back();
      Node& x = nodes_[t];
      nh_.unlink(t);
      x.inNh = false;
      s_.unlink(t);
      x.inS = false;
      sBytes_ -= x.size;
      freeIfGone(t);
    }
  }

  void promote(NodeId n) {
    if (nodes_[n].inS) s_.moveToFront(n);
    if (nodes_[n].inQ) q_.moveToFront(n);
  }
  void pushS(NodeId n, bool lir) {
    Node& x = nodes_[n];
    s_.pushFront(n);
    x.inS = true;
    x.lir = lir;
    x.sResident = true;
    sBytes_ += x.size;
  }
  void pushQ(NodeId n) {
    q_.pushFront(n);
    nodes_[n].inQ = true;
    hirBytes_ += nodes_[n].size;
  }
  void unlinkAll(NodeId n) {
    Node& x = nodes_[n];
    if (x.inS) {
      s_.unlink(n);
      x.inS = false;
      sBytes_ -= x.size;
    }
    if (x.inQ) {
      q_.unlink(n);
      x.inQ = false;
      hirBytes_ -= x.size;
    }
    if (x.inNh) {
      nh_.unlink(n);
      x.inNh = false;
    }
    x.lir = false;
  }
  // The object leaves the store (reported through dropped()).
  void leaveStore(NodeId n) {
    Node& x = nodes_[n];
    if (x.item == kNoItem) return;
    drop(x.item);
    itemNode_[x.item] = kNoNode;
    x.item = kNoItem;
    x.uncounted = false;
    recount(n);
  }
  // Keeps skew_ = the sum over resident blocks of (charged - counted).
  void recount(NodeId n) {
    Node& x = nodes_[n];
    skew_ -= x.skew;
    x.skew = x.item == kNoItem ? 0 : int64_t(x.charged) - (x.uncounted ? 0 : int64_t(x.size));
    skew_ += x.skew;
  }

  NodeId newNode(uint64_t key, uint64_t size) {
    NodeId n;
    if (!free_.empty()) {
      n = free_.back();
      free_.pop_back();
    } else {
      n = NodeId(nodes_.size());
      nodes_.emplace_back();
    }
    nodes_[n] = Node{key, size};
    byKey_.insert(key, n);
    return n;
  }
  // Forgets a node in no stack (the block is neither cached nor remembered).
  void freeIfGone(NodeId n) {
    Node& x = nodes_[n];
    if (x.inS || x.inQ || n == pinned_ || n == pending_) return;
    if (x.item != kNoItem) return;  // still cached (a caller is removing it)
    byKey_.erase(x.key);
    x = Node{};
    free_.push_back(n);
  }

  uint64_t cap_, hirLimit_, lirLimit_;
  uint64_t lirBytes_ = 0, hirBytes_ = 0, sBytes_ = 0;
  int64_t skew_ = 0;
  bool hitInQ_ = false;       // onHit serving a block found only in Q
  NodeId pinned_ = kNoNode;   // the block a hit / admission works on: not freed meanwhile
  NodeId pending_ = kNoNode;  // admit() -> onInsert(): the ghost being readmitted
  bool pendingNew_ = false;   // admit() -> onInsert(): a block in no stack
  HugePageVector<Node> nodes_;
  std::vector<NodeId> free_;
  KeySlotMap byKey_;
  IdList s_, q_, nh_;
  PerItem<NodeId> itemNode_;
};

}  // namespace

PolicyMade makeLirsPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  double hir = r.fraction("hir", 0.01, 0.0, 1.0);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<LirsPolicy>(c.capacity, hir));
}

}  // namespace cdnlab::edge::cache

// GDSF (Greedy-Dual-Size-Frequency): an object's priority is the inflation value L plus its
// frequency per byte; evict the lowest priority and raise L to it, so objects that stop being
// requested age out.
//
//   on miss(x):    pri(x) = L + 1e6 / size(x)   (x competes for its place, see below)
//   victim():      the lowest (pri, time of its last request) among the items and x;
//                  when that is x: x is not kept, L = pri(x), no more evictions
//   on insert(x):  freq[x] = 1
//   on hit(x):     freq[x] += 1; pri[x] = L + freq[x] * 1e6 / size(x)
//   on eviction:   L = the victim's priority
//
// Cherkasova, "Improving WWW proxies performance with Greedy-Dual-Size-Frequency caching
// policy", HP Labs HPL-98-69, 1998 (after Cao, Irani, "Cost-aware WWW proxy caching
// algorithms", USITS 1997). As libCacheSim's cpp/GDSF.cpp (ties broken first-in first-out),
// whose get() inserts the missed object first and then evicts the lowest priority while the
// cache is over its size: the newcomer is a candidate like any item, and when it has the lowest
// priority it is the one evicted (and L rises to it). The victim() loop above is that order.
// The order is a 4-ary min-heap of (priority, time) with each id's slot in an array: a hit only
// raises an item's priority (L never falls, its frequency grows), so it sifts down; no
// allocation per item, where a std::set costs a node per request.
#include <memory>
#include <vector>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class GdsfPolicy final : public Policy {
 public:
  std::string_view name() const override { return "gdsf"; }
  bool admit(const Access& a) override {
    incoming_ = Node{inflation_ + 1.0e6 / double(std::max<uint64_t>(a.size, 1)), a.now, kIncoming};
    incomingLoses_ = false;
    competing_ = true;
    return true;
  }
  void onInsert(ItemId id, const Access& a) override {
    competing_ = false;
    if (incomingLoses_) {  // it had the lowest priority: evicted on arrival
      incomingLoses_ = false;
      inflation_ = incoming_.pri;
      drop(id);
      return;
    }
    size_[id] = double(std::max<uint64_t>(a.size, 1));
    freq_[id] = 1;
    slot_[id] = heap_.size();
    // The priority admit() computed: evictions since then raised L, not this object's value.
    heap_.push_back(Node{incoming_.pri, a.now, id});
    siftUp(heap_.size() - 1);
  }
  void onHit(ItemId id, const Access& a) override {
    competing_ = false;
    freq_[id] += 1;
    size_t i = slot_[id];
    heap_[i].pri = inflation_ + double(freq_[id]) * 1.0e6 / size_[id];
    heap_[i].time = a.now;
    siftDown(i);
    siftUp(slot_[id]);  // only if the caller's clock went backwards
  }
  void onRemove(ItemId id, RemoveCause cause) override {
    size_t i = slot_[id];
    if (cause == RemoveCause::Size) inflation_ = heap_[i].pri;
    const size_t last = heap_.size() - 1;
    const Node moved = heap_[last];
    heap_.pop_back();
    if (i == last) return;
    place(i, moved);
    siftDown(i);
    siftUp(slot_[moved.id]);
  }
  std::optional<ItemId> victim() override {
    if (heap_.empty()) return std::nullopt;
    if (competing_ && !(heap_[0] < incoming_)) {
      incomingLoses_ = true;  // the caller stops evicting; onInsert lets the newcomer go
      return std::nullopt;
    }
    return heap_[0].id;
  }

 private:
  struct Node {
    double pri;
    int64_t time;  // the last request: ties go to the older
    ItemId id;
    bool operator<(const Node& o) const { return pri != o.pri ? pri < o.pri : time < o.time; }
  };
  void place(size_t i, const Node& n) {
    heap_[i] = n;
    slot_[n.id] = i;
  }
  void siftUp(size_t i) {
    Node n = heap_[i];
    while (i > 0) {
      size_t parent = (i - 1) / 4;
      if (!(n < heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, n);
  }
  void siftDown(size_t i) {
    Node n = heap_[i];
    const size_t count = heap_.size();
    for (;;) {
      size_t first = 4 * i + 1;
      if (first >= count) break;
      size_t best = first;
      const size_t end = std::min(first + 4, count);
      for (size_t c = first + 1; c < end; ++c)
        if (heap_[c] < heap_[best]) best = c;
      if (!(heap_[best] < n)) break;
      place(i, heap_[best]);
      i = best;
    }
    place(i, n);
  }
  static constexpr ItemId kIncoming = UINT32_MAX;
  double inflation_ = 0;
  Node incoming_{0, 0, kIncoming};  // the missed object, from admit() until onInsert()
  bool competing_ = false;  // between admit() and onInsert(): victim() weighs the newcomer
  bool incomingLoses_ = false;
  HugePageVector<Node> heap_;
  PerItem<size_t> slot_;
  PerItem<double> size_;
  PerItem<uint64_t> freq_;
};

}  // namespace

PolicyMade makeGdsfPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<GdsfPolicy>());
}

}  // namespace cdnlab::edge::cache

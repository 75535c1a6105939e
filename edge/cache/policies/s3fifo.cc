// S3-FIFO: a small FIFO (10 %) filters one-hit wonders, a main FIFO with a 2-bit CLOCK keeps
// the rest, and a ghost FIFO (keys only) sends returning objects straight to main.
//
//   admit(x):      ghostHit = remove x from the ghost; return size(x) <= small capacity
//   on insert(x):  freq[x] = 0
//                  ghostHit: push x into main
//                  else if size(x) >= small capacity: do not keep x
//                  else if nothing was evicted yet and small is full: push x into main
//                  else: push x into small
//   on hit(x):     freq[x] += 1
//   victim():      repeat:
//                    if main is over its share or small is empty:
//                      t = main's tail; freq[t] >= 1: freq[t] = min(freq[t], 3) - 1, reinsert
//                      at main's head; else return t
//                    else:
//                      t = small's tail; freq[t] >= threshold: move t to main's head (freq 0)
//                      else: remember t in the ghost, return t
//
// Yang, Zhang, Qiu, Yue, Vinayak, "FIFO queues are all you need for cache eviction", SOSP 2023.
// As libCacheSim's S3FIFO.c (small-size-ratio=0.10, ghost-size-ratio=0.90,
// move-to-main-threshold=2), including its two departures from the paper: before the first
// eviction, objects go to main once small is full; and an object the exact size of the small
// queue is counted as a miss but not kept.
#include <algorithm>
#include <memory>

#include "edge/cache/policies/ghost_list.h"
#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class S3FifoPolicy final : public Policy {
 public:
  S3FifoPolicy(uint64_t capacity, double small, double ghost, int threshold)
      : smallCap_(int64_t(double(int64_t(capacity)) * small)),
        mainCap_(int64_t(capacity) - smallCap_),
        ghostCap_(int64_t(double(capacity) * ghost)),
        threshold_(threshold) {}
  std::string_view name() const override { return "s3fifo"; }
  bool admit(const Access& a) override {
    ghostHit_ = ghostCap_ > 0 && ghost_.remove(a.key);
    return int64_t(a.size) <= smallCap_;
  }
  void onInsert(ItemId id, const Access& a) override {
    key_[id] = a.key;
    queues_.size(id) = a.size;
    freq_[id] = 0;
    if (ghostHit_) {
      ghostHit_ = false;
      queues_.put(kMain, id);
    } else if (int64_t(a.size) >= smallCap_) {
      drop(id);
    } else if (!hasEvicted_ && queues_.bytes(kSmall) >= smallCap_) {
      queues_.put(kMain, id);
    } else {
      queues_.put(kSmall, id);
    }
  }
  void onHit(ItemId id, const Access&) override { freq_[id] += 1; }
  void onRemove(ItemId id, RemoveCause) override { queues_.take(id); }
  std::optional<ItemId> victim() override {
    hasEvicted_ = true;
    while (!queues_.empty(kSmall) || !queues_.empty(kMain)) {
      if (queues_.bytes(kMain) > mainCap_ || queues_.empty(kSmall)) {
        while (!queues_.empty(kMain)) {
          ItemId t = queues_.back(kMain);
          if (freq_[t] == 0) return t;
          freq_[t] = std::min<uint32_t>(freq_[t], 3) - 1;
          queues_.moveToFront(kMain, t);
        }
      } else {
        while (!queues_.empty(kSmall)) {
          ItemId t = queues_.back(kSmall);
          if (freq_[t] >= uint32_t(threshold_)) {
            queues_.take(t);
            freq_[t] = 0;
            queues_.put(kMain, t);
            continue;
          }
          if (ghostCap_ > 0) ghost_.pushBounded(key_[t], queues_.size(t), uint64_t(ghostCap_));
          return t;
        }
      }
    }
    return std::nullopt;
  }

 private:
  static constexpr uint8_t kSmall = 0, kMain = 1;
  int64_t smallCap_, mainCap_, ghostCap_;
  int threshold_;
  bool ghostHit_ = false, hasEvicted_ = false;
  SizedQueues queues_{2};  // small and main, with their bytes
  GhostList ghost_;
  PerItem<uint32_t> freq_;
  PerItem<uint64_t> key_;  // the key hash, for the ghost
};

}  // namespace

PolicyMade makeS3FifoPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  double small = r.fraction("small", 0.1, 0.0, 1.0);
  double ghost = r.fraction("ghost", 0.9, 0.0, 10.0);
  int threshold = int(r.integer("threshold", 2, 1, 1000));
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<S3FifoPolicy>(c.capacity, small, ghost, threshold));
}

}  // namespace cdnlab::edge::cache

// W-TinyLFU (Caffeine's design): a small window LRU takes every new object; a segmented LRU
// (20 % probation, 80 % protected) holds the rest; a frequency sketch decides, when the main
// cache is full, whether the window's victim deserves the main cache's victim's place.
//
//   admit(x):      size(x) <= window capacity and size(x) <= main's probation segment
//   on insert(x):  push x at the window's head; sketch.add(x)
//   on hit(x):     in the window: move to its head
//                  in main: SLRU hit (promotion); sketch.add(x); every 32 x |main| such adds,
//                  halve every counter (aging)
//   victim():      loop:
//                    window empty: return main's victim
//                    w = window's tail
//                    main has room for w: move w into main, sketch.add(w), continue
//                    m = main's victim; promote = sketch(w) > sketch(m); sketch.add(w)
//                    promote: evict m, then move w into main; return m, and the round
//                             goes on (evictionPending) even if the newcomer fits now
//                    else: return w (the round ends)
//
// Einziger, Friedman, Manes, "TinyLFU: a highly efficient cache admission policy", ACM ToS
// 13(4), 2017; Caffeine (github.com/ben-manes/caffeine). Structure and defaults as libCacheSim's
// WTinyLFU.c (window-size=0.01, main SLRU with segments 1:4, sketch sized for the main cache's
// capacity with error 0.001, decay after 32 x capacity main hits), and its sketch to the hash
// (FrequencySketch below), so that collisions decide the same admissions.
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "edge/cache/policies/frequency_sketch.h"
#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"
#include "edge/cache/policies/slru.h"

namespace cdnlab::edge::cache {

namespace {

class WTinyLfuPolicy final : public Policy {
 public:
  WTinyLfuPolicy(uint64_t capacity, double window)
      : windowCap_(int64_t(double(capacity) * window)),
        mainCap_(int64_t(capacity) - windowCap_),
        main_(uint64_t(mainCap_), {int64_t(1.0 / 5 * double(mainCap_)), int64_t(4.0 / 5 * double(mainCap_))}),
        sketch_(uint64_t(mainCap_), 0.001),
        decayEvery_(uint64_t(32 * mainCap_)) {}
  std::string_view name() const override { return "wtinylfu"; }
  bool evictionPending() const override { return roundOpen_; }
  bool admit(const Access& a) override { return int64_t(a.size) <= windowCap_ && main_.admit(a); }
  void onInsert(ItemId id, const Access& a) override {
    key_[id] = a.key;
    size_[id] = a.size;
    inWindow_[id] = 1;
    window_.pushFront(id);
    windowBytes_ += int64_t(a.size);
    sketch_.add(a.key);
  }
  void onHit(ItemId id, const Access& a) override {
    if (inWindow_[id]) {
      window_.moveToFront(id);
      return;
    }
    main_.onHit(id, a);
    forwardDrops();
    sketch_.add(key_[id]);
    if (++mainHits_ >= decayEvery_) {
      mainHits_ = 0;
      sketch_.decay();
    }
  }
  void onRemove(ItemId id, RemoveCause cause) override {
    if (inWindow_[id]) {
      window_.unlink(id);
      windowBytes_ -= int64_t(size_[id]);
      inWindow_[id] = 0;
    } else {
      main_.onRemove(id, cause);
    }
    if (pending_ != IdList::kNone && cause == RemoveCause::Size) {
      ItemId w = pending_;
      pending_ = IdList::kNone;
      moveToMain(w);
    }
  }
  std::optional<ItemId> victim() override {
    pending_ = IdList::kNone;
    roundOpen_ = false;
    while (!window_.empty()) {
      ItemId w = window_.back();
      const uint64_t wk = key_[w];
      if (main_.bytes() + int64_t(size_[w]) <= mainCap_) {
        moveToMain(w);
        sketch_.add(wk);
        continue;
      }
      auto m = main_.victim();
      if (!m) return w;
      const bool promote = sketch_.estimate(wk) > sketch_.estimate(key_[*m]);
      sketch_.add(wk);  // after the comparison, as libCacheSim
      if (promote) {
        pending_ = w;  // enters main once m is gone (onRemove)
        roundOpen_ = true;  // libCacheSim's WTinyLFU_evict loops on until a window object leaves
        return m;
      }
      return w;
    }
    return main_.victim();
  }

 private:
  void moveToMain(ItemId w) {
    window_.unlink(w);
    windowBytes_ -= int64_t(size_[w]);
    inWindow_[w] = 0;
    main_.onInsert(w, Access{key_[w], size_[w]});
    forwardDrops();
  }
  void forwardDrops() {
    for (ItemId d : main_.dropped()) drop(d);
    main_.dropped().clear();
  }
  int64_t windowCap_, mainCap_;
  int64_t windowBytes_ = 0;
  IdList window_;
  SlruPolicy main_;
  FrequencySketch sketch_;
  uint64_t decayEvery_, mainHits_ = 0;
  ItemId pending_ = IdList::kNone;
  bool roundOpen_ = false;
  PerItem<uint8_t> inWindow_;
  PerItem<uint64_t> key_, size_;
};

}  // namespace

PolicyMade makeWTinyLfuPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  double window = r.fraction("window", 0.01, 0.0, 0.99);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<WTinyLfuPolicy>(c.capacity, window));
}

}  // namespace cdnlab::edge::cache

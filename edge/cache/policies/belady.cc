// Belady's MIN (offline optimal for unit-size objects): evict the object whose next request is
// the farthest in the future (never requested again = infinitely far).
//
//   on insert(x) / on hit(x):  next[x] = the index of x's next request (from the trace)
//   victim():                  argmax next[x]
//
// Belady, "A study of replacement algorithms for a virtual-storage computer", IBM Systems
// Journal 5(2), 1966. Simulator only (the live store does not know the future). As
// libCacheSim's Belady.c; with variable sizes it is no longer optimal (see belady-size), and
// among objects never requested again the choice is by id here, by heap order there, which can
// change byte-mode results but never object-mode ones.
#include <memory>
#include <algorithm>
#include <set>
#include <utility>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class BeladyPolicy final : public Policy {
 public:
  std::string_view name() const override { return "belady"; }
  void onInsert(ItemId id, const Access& a) override {
    next_[id] = a.nextAccess;
    order_.emplace(a.nextAccess, id);
  }
  void onHit(ItemId id, const Access& a) override {
    order_.erase({next_[id], id});
    next_[id] = a.nextAccess;
    order_.emplace(a.nextAccess, id);
  }
  void onRemove(ItemId id, RemoveCause) override { order_.erase({next_[id], id}); }
  std::optional<ItemId> victim() override {
    if (order_.empty()) return std::nullopt;
    return std::prev(order_.end())->second;
  }

 private:
  std::set<std::pair<int64_t, ItemId>> order_;
  PerItem<int64_t> next_;
};

// Size-aware: evict the object with the largest (next access - now) x size among `samples`
// resident objects drawn at random (seeded, so runs repeat), as libCacheSim's BeladySize.c
// does; objects never requested again go first.
class BeladySizePolicy final : public Policy {
 public:
  explicit BeladySizePolicy(int samples) : samples_(samples) {}
  std::string_view name() const override { return "belady-size"; }
  void onInsert(ItemId id, const Access& a) override {
    now_ = a.now;
    next_[id] = a.nextAccess;
    size_[id] = a.size;
    pos_[id] = uint32_t(resident_.size());
    resident_.push_back(id);
  }
  void onHit(ItemId id, const Access& a) override {
    now_ = a.now;
    next_[id] = a.nextAccess;
  }
  void onRemove(ItemId id, RemoveCause) override {
    uint32_t p = pos_[id];
    ItemId last = resident_.back();
    resident_[p] = last;
    pos_[last] = p;
    resident_.pop_back();
  }
  std::optional<ItemId> victim() override {
    if (resident_.empty()) return std::nullopt;
    ItemId best = resident_[0];
    double bestScore = -1;
    const size_t n = resident_.size();
    const int draws = int(std::min<size_t>(n, size_t(samples_)));
    for (int i = 0; i < draws; ++i) {
      ItemId c = n <= size_t(samples_) ? resident_[size_t(i)] : resident_[rng() % n];
      if (next_[c] == Access::kNever) return c;
      double score = double(next_[c] - now_) * double(size_[c]);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }

 private:
  uint64_t rng() {  // splitmix64: deterministic, no global state
    uint64_t z = (seed_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int samples_;
  uint64_t seed_ = 42;
  int64_t now_ = 0;
  HugePageVector<ItemId> resident_;
  PerItem<uint32_t> pos_;
  PerItem<int64_t> next_;
  PerItem<uint64_t> size_;
};

}  // namespace

PolicyMade makeBeladyPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<BeladyPolicy>());
}

PolicyMade makeBeladySizePolicy(const PolicyConfig& c) {
  ParamReader r(c);
  int samples = int(r.integer("samples", 128, 1, 1 << 20));
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<BeladySizePolicy>(samples));
}

}  // namespace cdnlab::edge::cache

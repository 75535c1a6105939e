// SlruPolicy: segmented LRU (see slru.cc for the algorithm). In a header because W-TinyLFU
// uses it as its main cache (libCacheSim's WTinyLFU: SLRU with segments 1:4).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

class SlruPolicy final : public Policy {
 public:
  // Segment capacities, lowest first; `capacity` bounds their sum of bytes (an insert with no
  // segment room evicts until it fits, as libCacheSim's SLRU_insert).
  SlruPolicy(uint64_t capacity, std::vector<int64_t> caps)
      : lists_(caps.size()), bytes_(caps.size()), cap_(std::move(caps)), capacity_(int64_t(capacity)) {}
  int64_t bytes() const {
    int64_t b = 0;
    for (int64_t x : bytes_) b += x;
    return b;
  }
  int64_t capacity() const { return capacity_; }
  std::string_view name() const override { return "slru"; }
  bool admit(const Access& a) override { return int64_t(a.size) <= cap_[0]; }
  void onInsert(ItemId id, const Access& a) override {
    size_t s = 0;
    bool found = false;
    for (size_t i = 0; i < cap_.size() && !found; ++i)
      if (bytes_[i] + int64_t(a.size) <= cap_[i]) {
        s = i;
        found = true;
      }
    if (!found) {
      while (bytes() + int64_t(a.size) > capacity_) {
        ItemId v = *victim();
        take(seg_[v], v);
        drop(v);
      }
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
  int64_t capacity_;
  PerItem<uint8_t> seg_;
  PerItem<uint64_t> size_;
};


}  // namespace cdnlab::edge::cache

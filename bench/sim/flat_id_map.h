// FlatIdMap: 64-bit key -> dense 32-bit number, open addressing with linear probing over one
// array of 16-byte slots (no allocation per key, ~1.3-2 probes per lookup at the 0.5-0.75 load it
// keeps). Trace loading renumbers objects with it; key 0 is stored out of line.
#pragma once

#include <cstdint>
#include <vector>

#include "edge/cache/huge_pages.h"

namespace cdnlab::sim {

class FlatIdMap {
 public:
  explicit FlatIdMap(size_t expected = 1024) { rehash(capacityFor(expected)); }
  size_t size() const { return size_; }
  // The number of `key`, giving it `next` (and returning it) when new; `added` says which.
  uint32_t findOrAdd(uint64_t key, uint32_t next, bool& added) {
    if (key == 0) {
      added = !hasZero_;
      if (!hasZero_) {
        hasZero_ = true;
        zero_ = next;
        ++size_;
      }
      return zero_;
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) rehash(slots_.size() * 2);
    size_t i = mix(key) & mask_;
    while (true) {
      Slot& s = slots_[i];
      if (s.key == key) {
        added = false;
        return s.value;
      }
      if (s.key == 0) {
        s.key = key;
        s.value = next;
        ++size_;
        added = true;
        return next;
      }
      i = (i + 1) & mask_;
    }
  }

 private:
  struct Slot {
    uint64_t key = 0;  // 0 = empty
    uint32_t value = 0;
  };
  static uint64_t mix(uint64_t k) {  // murmur3 finalizer: spreads sequential ids
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    return k ^ (k >> 33);
  }
  static size_t capacityFor(size_t n) {
    size_t c = 16;
    while (c * 3 < n * 4 + 4) c *= 2;
    return c;
  }
  void rehash(size_t cap) {
    edge::cache::HugePageVector<Slot> old;
    old.swap(slots_);
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const Slot& s : old) {
      if (s.key == 0) continue;
      size_t i = mix(s.key) & mask_;
      while (slots_[i].key != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  edge::cache::HugePageVector<Slot> slots_;
  size_t mask_ = 0, size_ = 0;
  bool hasZero_ = false;
  uint32_t zero_ = 0;
};

}  // namespace cdnlab::sim

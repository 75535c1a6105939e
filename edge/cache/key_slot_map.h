// KeySlotMap: key hash -> 32-bit slot, the lean index shared by the live store, the ghost queues
// (S3-FIFO, 2Q, ARC), LIRS and the simulator's lean index benchmark. Open addressing with linear
// probing and backward-shift deletion. KeySlotMap keys on the whole 64-bit hash (a ghost has
// nothing else to tell objects apart); HashFragmentMap keys on 32 bits of it, for the live
// store, whose items keep their full key out of line and resolve fragment collisions by
// comparing it (8-byte slots instead of 12).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "edge/cache/huge_pages.h"
#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

// Key -> slot, open addressing with linear probing and backward-shift deletion (no tombstones):
// one packed (key, slot) entry per slot, at most 3/4 full. A hit or miss is one or two cache
// lines, where std::unordered_map costs a node allocation per insert.
template <typename Key>
class BasicKeySlotMap {
 public:
  static constexpr ItemId kAbsent = UINT32_MAX;
  size_t size() const { return size_; }
  ItemId find(Key key) const {
    if (key == 0) return hasZero_ ? zero_ : kAbsent;
    if (table_.empty()) return kAbsent;
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      if (table_[i].key == key) return table_[i].slot;
      if (table_[i].key == 0) return kAbsent;
    }
  }
  // Points `key` (present) at another slot; false when it is absent.
  bool assign(Key key, ItemId slot) {
    if (key == 0) {
      if (!hasZero_) return false;
      zero_ = slot;
      return true;
    }
    if (table_.empty()) return false;
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      if (table_[i].key == key) {
        table_[i].slot = slot;
        return true;
      }
      if (table_[i].key == 0) return false;
    }
  }
  void insert(Key key, ItemId slot) {  // key must be absent
    if (key == 0) {
      hasZero_ = true;
      zero_ = slot;
      ++size_;
      return;
    }
    if ((size_ + 1) * 4 > table_.size() * 3) grow();
    size_t i = home(key);
    while (table_[i].key != 0) i = (i + 1) & mask_;
    table_[i] = {key, slot};
    ++size_;
  }
  bool erase(Key key) {
    if (key == 0) {
      if (!hasZero_) return false;
      hasZero_ = false;
      --size_;
      return true;
    }
    if (table_.empty()) return false;
    size_t i = home(key);
    while (table_[i].key != key) {
      if (table_[i].key == 0) return false;
      i = (i + 1) & mask_;
    }
    // Backward shift: pull later entries of the probe run into the hole.
    size_t hole = i;
    for (size_t j = (i + 1) & mask_; table_[j].key != 0; j = (j + 1) & mask_) {
      size_t h = home(table_[j].key);
      bool movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
      if (movable) {
        table_[hole] = table_[j];
        hole = j;
      }
    }
    table_[hole] = Entry{};
    --size_;
    return true;
  }

 private:
  // Packed (12 bytes for 64-bit keys: x86 and ARMv8 load unaligned words at full speed, a
  // third less memory per slot than the padded 16; 8 bytes for 32-bit keys).
  struct __attribute__((packed)) Entry {
    Key key = 0;
    ItemId slot = 0;
  };
  static_assert(sizeof(Entry) == sizeof(Key) + sizeof(ItemId));
  size_t home(uint64_t k) const {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return size_t(k) & mask_;
  }
  void grow() {
    HugePageVector<Entry> old;
    old.swap(table_);
    table_.assign(old.empty() ? 64 : old.size() * 2, Entry{});
    mask_ = table_.size() - 1;
    for (const Entry& e : old) {
      if (e.key == 0) continue;
      size_t i = home(e.key);
      while (table_[i].key != 0) i = (i + 1) & mask_;
      table_[i] = e;
    }
  }
  HugePageVector<Entry> table_;
  size_t mask_ = 0, size_ = 0;
  bool hasZero_ = false;
  ItemId zero_ = 0;
};

using KeySlotMap = BasicKeySlotMap<uint64_t>;
using HashFragmentMap = BasicKeySlotMap<uint32_t>;

}  // namespace cdnlab::edge::cache

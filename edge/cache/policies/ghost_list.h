// GhostList: a byte-bounded queue of object identities (key hash + size, no data) for the
// policies that remember what they evicted: S3-FIFO's ghost FIFO, 2Q's A1out, ARC's B1 / B2.
// Pushed at the head, dropped from the tail; lookups by key in O(1).
#pragma once

#include <cstdint>
#include <vector>

#include "edge/cache/policies/id_list.h"

namespace cdnlab::edge::cache {

// Key -> slot, open addressing with linear probing and backward-shift deletion (no tombstones):
// one 12-byte entry per slot, at most 3/4 full. A ghost hit or miss is one or two cache lines,
// where std::unordered_map costs a node allocation per insert.
class KeySlotMap {
 public:
  static constexpr ItemId kAbsent = UINT32_MAX;
  size_t size() const { return size_; }
  ItemId find(uint64_t key) const {
    if (key == 0) return hasZero_ ? zero_ : kAbsent;
    if (table_.empty()) return kAbsent;
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      if (table_[i].key == key) return table_[i].slot;
      if (table_[i].key == 0) return kAbsent;
    }
  }
  void insert(uint64_t key, ItemId slot) {  // key must be absent
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
  bool erase(uint64_t key) {
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
  // Packed to 12 bytes (x86 and ARMv8 load unaligned words at full speed): a third less memory
  // per slot than the padded 16.
  struct __attribute__((packed)) Entry {
    uint64_t key = 0;
    ItemId slot = 0;
  };
  static_assert(sizeof(Entry) == 12);
  size_t home(uint64_t k) const {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return size_t(k) & mask_;
  }
  void grow() {
    std::vector<Entry> old;
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
  std::vector<Entry> table_;
  size_t mask_ = 0, size_ = 0;
  bool hasZero_ = false;
  ItemId zero_ = 0;
};

class GhostList {
 public:
  bool contains(uint64_t key) const { return slots_.find(key) != KeySlotMap::kAbsent; }
  uint64_t bytes() const { return bytes_; }
  bool empty() const { return list_.empty(); }
  // Removes `key`; true when it was there.
  bool remove(uint64_t key) {
    ItemId s = slots_.find(key);
    if (s == KeySlotMap::kAbsent) return false;
    unlinkSlot(s);
    slots_.erase(key);
    return true;
  }
  // Adds `key` at the head (no bound; see pushBounded).
  void push(uint64_t key, uint64_t size) {
    ItemId s;
    if (!free_.empty()) {
      s = free_.back();
      free_.pop_back();
    } else {
      s = ItemId(entries_.size());
      entries_.push_back({});
    }
    entries_[s] = {key, size};
    list_.pushFront(s);
    bytes_ += size;
    slots_.insert(key, s);
  }
  // libCacheSim's FIFO ghost "get": nothing when present; when it fits in `capacity` at all,
  // drop tails until it fits and push it.
  void pushBounded(uint64_t key, uint64_t size, uint64_t capacity) {
    if (contains(key) || size > capacity) return;
    while (bytes_ + size > capacity && !list_.empty()) popBack();
    push(key, size);
  }
  void popBack() {
    ItemId s = list_.back();
    slots_.erase(entries_[s].key);
    unlinkSlot(s);
  }

 private:
  struct Entry {
    uint64_t key = 0, size = 0;
  };
  void unlinkSlot(ItemId s) {
    list_.unlink(s);
    bytes_ -= entries_[s].size;
    free_.push_back(s);
  }
  KeySlotMap slots_;
  std::vector<Entry> entries_;
  std::vector<ItemId> free_;
  IdList list_;
  uint64_t bytes_ = 0;
};

}  // namespace cdnlab::edge::cache

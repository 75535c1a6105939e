// GhostList: a byte-bounded queue of object identities (key hash + size, no data) for the
// policies that remember what they evicted: S3-FIFO's ghost FIFO, 2Q's A1out, ARC's B1 / B2.
// Pushed at the head, dropped from the tail; lookups by key in O(1).
#pragma once

#include <cstdint>
#include <vector>

#include "edge/cache/key_slot_map.h"
#include "edge/cache/policies/id_list.h"

namespace cdnlab::edge::cache {

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
  HugePageVector<Entry> entries_;
  std::vector<ItemId> free_;
  IdList list_;
  uint64_t bytes_ = 0;
};

}  // namespace cdnlab::edge::cache

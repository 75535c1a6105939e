// EntryTable: the live store's index (one per shard), key hash -> (entry address, item id).
// Open addressing with linear probing and backward-shift deletion, at most 3/4 full; several
// slots may carry the same hash (a key's Vary variants, full-hash collisions), so a lookup
// visits every slot of its hash and lets the caller compare the full key.
//
// Why the entry's address sits in the slot: a hit then costs two dependent memory accesses
// before the entry's fields are in hand (the slot, then the entry) instead of three (slot ->
// slab item -> entry); at 1M objects each is a DRAM round trip. A slot is 12 bytes: one word
// packing the entry's address (45 bits: an 8-byte-aligned address below 2^48), the slot's
// distance from its home slot (8 bits, so that deletion's backward shift needs no entry to
// find where a slot belongs; 255 = "at least 255": then it reads the entry's hash) and an
// 11-bit tag from the key hash (so a probe rarely touches an entry that is not the one looked
// for); and the item id (the policy's state and the owning reference are in arrays by id).
// User-space addresses on Linux x86-64 and arm64 fit in 47-48 bits unless a program asks mmap
// for more; fits() checks it and the store declines to index an entry that does not fit.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "edge/cache/entry.h"
#include "edge/cache/huge_pages.h"
#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

class EntryTable {
 public:
  static bool fits(const Entry* e) {
    const uintptr_t a = reinterpret_cast<uintptr_t>(e);
    return (a & 7) == 0 && (a >> 48) == 0;
  }
  size_t size() const { return size_; }
  size_t slotCount() const { return table_.size(); }

  // Calls match(entry, id) for each slot of `hash`, oldest insertion first, until it returns
  // true. Returns whether one did.
  template <typename Match>
  bool visit(uint64_t hash, Match&& match) const {
    if (table_.empty()) return false;
    const uint64_t tag = tagOf(hash);
    for (size_t i = home(hash);; i = (i + 1) & mask_) {
      const Slot& s = table_[i];
      if (s.word == 0) return false;
      if ((s.word & kTagMask) == tag && match(entryOf(s), s.id)) return true;
    }
  }

  // The address of `hash`'s home slot, for a prefetch from a thread that does not hold the
  // shard's lock (CacheStore::prefetch). The table's address and mask are mirrored in relaxed
  // atomics on every grow, so reading them races with nothing; the address may be of a table
  // a concurrent grow has just freed (or mix two tables), which only a prefetch may be given:
  // it never faults and changes no memory. nullptr before the first insert.
  const void* homeSlotHint(uint64_t hash) const {
    const Slot* base = publishedBase_.load(std::memory_order_relaxed);
    if (!base) return nullptr;
    return base + home(hash, publishedMask_.load(std::memory_order_relaxed));
  }

  // Adds a slot for (hash, entry, id); fits(entry) must hold.
  void insert(uint64_t hash, const Entry* entry, ItemId id) {
    if ((size_ + 1) * 4 > table_.size() * 3) grow();
    place(entry, id, hash);
    ++size_;
  }

  // Removes the slot of item `id` under `hash`; false when there is none.
  bool erase(uint64_t hash, ItemId id) {
    if (table_.empty()) return false;
    const uint64_t tag = tagOf(hash);
    size_t i = home(hash);
    for (;; i = (i + 1) & mask_) {
      if (table_[i].word == 0) return false;
      if ((table_[i].word & kTagMask) == tag && table_[i].id == id) break;
    }
    // Backward shift: pull later slots of the probe run into the hole (no tombstones). Slots
    // with one home keep their relative order, so visit() stays oldest first.
    size_t hole = i;
    for (size_t j = (i + 1) & mask_; table_[j].word != 0; j = (j + 1) & mask_) {
      size_t h = homeOf(table_[j], j);
      bool movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
      if (movable) {
        table_[hole] = table_[j];
        setDistance(table_[hole], (hole - h) & mask_);
        hole = j;
      }
    }
    table_[hole] = Slot{};
    --size_;
    return true;
  }

 private:
  static constexpr int kAddressBits = 45;  // address >> 3
  static constexpr int kDistanceBits = 8;
  static constexpr uint64_t kAddressMask = (uint64_t(1) << kAddressBits) - 1;
  static constexpr uint64_t kDistanceMax = (uint64_t(1) << kDistanceBits) - 1;
  static constexpr uint64_t kTagMask = ~uint64_t(0) << (kAddressBits + kDistanceBits);
  // Packed: x86 and ARMv8 load unaligned words at full speed; 12 bytes instead of 16.
  struct __attribute__((packed)) Slot {
    uint64_t word = 0;  // tag | distance | address >> 3; 0: empty
    ItemId id = 0;
  };
  static_assert(sizeof(Slot) == 12);

  // 11 bits of the hash from bit 32 on: the shard takes the top bits, home() mixes the whole.
  static uint64_t tagOf(uint64_t hash) { return (hash >> 32) << (kAddressBits + kDistanceBits); }
  static const Entry* entryOf(const Slot& s) {
    return reinterpret_cast<const Entry*>((s.word & kAddressMask) << 3);
  }
  static void setDistance(Slot& s, size_t d) {
    const uint64_t v = std::min<uint64_t>(d, kDistanceMax);
    s.word = (s.word & ~(kDistanceMax << kAddressBits)) | v << kAddressBits;
  }
  // The home slot of the slot at position i.
  size_t homeOf(const Slot& s, size_t i) const {
    const uint64_t d = (s.word >> kAddressBits) & kDistanceMax;
    return d < kDistanceMax ? (i - d) & mask_ : home(entryOf(s)->key.hash);
  }
  size_t home(uint64_t k) const { return home(k, mask_); }
  static size_t home(uint64_t k, size_t mask) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return size_t(k) & mask;
  }
  void place(const Entry* e, ItemId id, uint64_t hash) {
    const size_t h = home(hash);
    size_t i = h;
    while (table_[i].word != 0) i = (i + 1) & mask_;
    table_[i] = Slot{tagOf(hash) | (reinterpret_cast<uintptr_t>(e) >> 3), id};
    setDistance(table_[i], (i - h) & mask_);
  }
  // Doubles the table. Re-inserting from the start of a probe run (the slot after an empty
  // one) keeps each hash's slots in their insertion order across the wrap-around.
  void grow() {
    HugePageVector<Slot> old;
    old.swap(table_);
    table_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = table_.size() - 1;
    // A hinting reader may pair one table's address with the other's mask: the address is
    // then wrong or outside any table, which a prefetch tolerates (it never faults).
    publishedMask_.store(mask_, std::memory_order_relaxed);
    publishedBase_.store(table_.data(), std::memory_order_relaxed);
    if (old.empty()) return;
    size_t start = 0;
    while (old[start].word != 0) ++start;  // at most 3/4 full: an empty slot exists
    for (size_t n = 0; n < old.size(); ++n) {
      const Slot& s = old[(start + n) & (old.size() - 1)];
      if (s.word != 0) place(entryOf(s), s.id, entryOf(s)->key.hash);
    }
  }

  HugePageVector<Slot> table_;
  size_t mask_ = 0, size_ = 0;
  // table_.data() and mask_ for homeSlotHint(), written only by grow() (under the lock).
  std::atomic<const Slot*> publishedBase_{nullptr};
  std::atomic<size_t> publishedMask_{0};
};

}  // namespace cdnlab::edge::cache

// IdLists: any number of intrusive doubly linked lists over dense ItemIds sharing one link
// array (8 bytes per id, no allocation per item); an id is in at most one list at a time. IdList
// is the one-list case. The building blocks of the list-ordered policies (LRU, FIFO, CLOCK,
// SIEVE, SLRU's segments, LFU's frequency buckets, S3-FIFO's and 2Q's queues, ARC's T1 / T2).
// Orientation: front = head = most recently pushed, back = tail = oldest.
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "edge/cache/huge_pages.h"
#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

class IdLists {
 public:
  static constexpr ItemId kNone = UINT32_MAX;

  explicit IdLists(size_t lists = 1) : heads_(lists) {}
  size_t lists() const { return heads_.size(); }
  void addLists(size_t n) { heads_.resize(heads_.size() + n); }

  bool contains(ItemId id) const { return id < links_.size() && links_[id].linked(); }
  bool empty(size_t l) const { return heads_[l].head == kNone; }
  ItemId front(size_t l) const { return heads_[l].head; }
  ItemId back(size_t l) const { return heads_[l].tail; }
  size_t size(size_t l) const { return heads_[l].size; }
  // Neighbours: newer = toward the head, older = toward the tail; kNone at the ends.
  ItemId newer(ItemId id) const { return links_[id].prev; }
  ItemId older(ItemId id) const { return links_[id].next; }

  void pushFront(size_t l, ItemId id) {
    if (id >= links_.size()) links_.resize(std::max<size_t>(size_t(id) + 1, links_.size() * 3 / 2));
    Link& k = links_[id];
    assert(!k.linked());
    Head& h = heads_[l];
    k = Link{kNone, h.head};
    if (h.head != kNone) links_[h.head].prev = id;
    h.head = id;
    if (h.tail == kNone) h.tail = id;
    ++h.size;
  }
  void unlink(size_t l, ItemId id) {
    assert(contains(id));
    Link& k = links_[id];
    Head& h = heads_[l];
    if (k.prev != kNone) links_[k.prev].next = k.next; else h.head = k.next;
    if (k.next != kNone) links_[k.next].prev = k.prev; else h.tail = k.prev;
    k = Link{};
    --h.size;
  }
  void moveToFront(size_t l, ItemId id) {
    if (heads_[l].head == id) return;
    unlink(l, id);
    pushFront(l, id);
  }

 private:
  static constexpr ItemId kOut = UINT32_MAX - 1;  // marks an id that is in no list
  struct Link {
    ItemId prev = kOut;
    ItemId next = kOut;
    bool linked() const { return prev != kOut; }
  };
  struct Head {
    ItemId head = kNone, tail = kNone;
    size_t size = 0;
  };
  HugePageVector<Link> links_;
  std::vector<Head> heads_;
};

class IdList {
 public:
  static constexpr ItemId kNone = IdLists::kNone;
  bool contains(ItemId id) const { return l_.contains(id); }
  bool empty() const { return l_.empty(0); }
  ItemId front() const { return l_.front(0); }
  ItemId back() const { return l_.back(0); }
  size_t size() const { return l_.size(0); }
  ItemId newer(ItemId id) const { return l_.newer(id); }
  ItemId older(ItemId id) const { return l_.older(id); }
  void pushFront(ItemId id) { l_.pushFront(0, id); }
  void unlink(ItemId id) { l_.unlink(0, id); }
  void moveToFront(ItemId id) { l_.moveToFront(0, id); }

 private:
  IdLists l_{1};
};

// Per-id values in a vector that grows on demand (policies learn ids one insert at a time).
template <typename T>
class PerItem {
 public:
  T& operator[](ItemId id) {
    if (id >= v_.size()) v_.resize(std::max<size_t>(size_t(id) + 1, v_.size() * 3 / 2));
    return v_[id];
  }

 private:
  HugePageVector<T> v_;
};

// IdLists whose items have sizes: which list (queue) each item is in and the bytes each queue
// holds. The bookkeeping of the policies that move items between byte-bounded queues
// (S3-FIFO's small and main, 2Q's A1in and Am).
class SizedQueues {
 public:
  explicit SizedQueues(size_t queues) : lists_(queues), bytes_(queues, 0) {}
  uint64_t& size(ItemId id) { return size_[id]; }  // set before the first put()
  int64_t bytes(uint8_t q) const { return bytes_[q]; }
  uint8_t queueOf(ItemId id) { return where_[id]; }
  bool empty(uint8_t q) const { return lists_.empty(q); }
  ItemId back(uint8_t q) const { return lists_.back(q); }
  void moveToFront(uint8_t q, ItemId id) { lists_.moveToFront(q, id); }
  // Pushes `id` at the head of queue q.
  void put(uint8_t q, ItemId id) {
    lists_.pushFront(q, id);
    where_[id] = q;
    bytes_[q] += int64_t(size_[id]);
  }
  // Takes `id` out of whichever queue holds it.
  void take(ItemId id) {
    const uint8_t q = where_[id];
    lists_.unlink(q, id);
    bytes_[q] -= int64_t(size_[id]);
  }

 private:
  IdLists lists_;
  std::vector<int64_t> bytes_;
  PerItem<uint8_t> where_;
  PerItem<uint64_t> size_;
};

}  // namespace cdnlab::edge::cache

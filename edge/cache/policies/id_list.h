// IdList: an intrusive doubly linked list over dense ItemIds, kept in one vector (8 bytes per
// id, no allocation per item). The building block of list-ordered policies (LRU, FIFO, ...).
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

class IdList {
 public:
  static constexpr ItemId kNone = UINT32_MAX;

  bool contains(ItemId id) const { return id < links_.size() && links_[id].linked(); }
  bool empty() const { return head_ == kNone; }
  ItemId front() const { return head_; }  // most recently pushed
  ItemId back() const { return tail_; }   // oldest
  size_t size() const { return size_; }

  void pushFront(ItemId id) {
    if (id >= links_.size()) links_.resize(size_t(id) + 1);
    Link& l = links_[id];
    assert(!l.linked());
    l = Link{kNone, head_};
    if (head_ != kNone) links_[head_].prev = id;
    head_ = id;
    if (tail_ == kNone) tail_ = id;
    ++size_;
  }
  void unlink(ItemId id) {
    assert(contains(id));
    Link& l = links_[id];
    if (l.prev != kNone) links_[l.prev].next = l.next; else head_ = l.next;
    if (l.next != kNone) links_[l.next].prev = l.prev; else tail_ = l.prev;
    l = Link{};
    --size_;
  }
  void moveToFront(ItemId id) {
    if (head_ == id) return;
    unlink(id);
    pushFront(id);
  }

 private:
  static constexpr ItemId kOut = UINT32_MAX - 1;  // marks an id that is not in the list
  struct Link {
    ItemId prev = kOut;
    ItemId next = kOut;
    bool linked() const { return prev != kOut; }
  };
  std::vector<Link> links_;
  ItemId head_ = kNone, tail_ = kNone;
  size_t size_ = 0;
};

}  // namespace cdnlab::edge::cache

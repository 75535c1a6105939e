// ListPolicy: what LRU and FIFO share. One list of the cached items, a newcomer pushed at the
// head, the victim taken from the tail; the two differ only in what a hit does (LRU moves the
// item to the head, FIFO leaves the order alone), which each says in its own file.
#pragma once

#include <optional>

#include "edge/cache/policies/id_list.h"
#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

class ListPolicy : public Policy {
 public:
  void onInsert(ItemId id, const Access&) override { list_.pushFront(id); }
  void onRemove(ItemId id, RemoveCause) override { list_.unlink(id); }
  std::optional<ItemId> victim() override {
    if (list_.empty()) return std::nullopt;
    return list_.back();
  }

 protected:
  IdList list_;  // head = newest (LRU: most recently used), tail = the next victim
};

}  // namespace cdnlab::edge::cache

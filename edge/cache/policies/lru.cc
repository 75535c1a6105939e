// LRU: evict the item used least recently.
//
//   on insert(x):  push x at the head
//   on hit(x):     move x to the head
//   on remove(x):  unlink x
//   victim():      the tail
//
// The classic policy; see e.g. Mattson, Gecsei, Slutz, Traiger, "Evaluation techniques for
// storage hierarchies", IBM Systems Journal 9(2), 1970 (LRU as a stack algorithm).
#include <memory>

#include "edge/cache/policies/list_policy.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class LruPolicy final : public ListPolicy {  // insert at the head, evict the tail
 public:
  std::string_view name() const override { return "lru"; }
  void onHit(ItemId id, const Access&) override { list_.moveToFront(id); }
};

}  // namespace

PolicyMade makeLruPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<LruPolicy>());
}

}  // namespace cdnlab::edge::cache

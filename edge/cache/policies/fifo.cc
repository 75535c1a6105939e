// FIFO: evict the item inserted first; hits do not change the order.
//
//   on insert(x):  push x at the head
//   on hit(x):     nothing
//   on remove(x):  unlink x
//   victim():      the tail
//
// The baseline of every eviction study; Belady, "A study of replacement algorithms for a
// virtual-storage computer", IBM Systems Journal 5(2), 1966. Recent work (Yang et al., "FIFO
// queues are all you need for cache eviction", SOSP 2023) builds S3-FIFO on it.
#include <memory>

#include "edge/cache/policies/list_policy.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

namespace {

class FifoPolicy final : public ListPolicy {  // insert at the head, evict the tail
 public:
  std::string_view name() const override { return "fifo"; }
  void onHit(ItemId, const Access&) override {}
};

}  // namespace

PolicyMade makeFifoPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(std::make_unique<FifoPolicy>());
}

}  // namespace cdnlab::edge::cache

// SLRU: n LRU segments of capacity / n each. A new item goes to the lowest segment with room
// (segment 0 once the cache has filled); a hit promotes one segment up; a segment over its
// share pushes its LRU item one segment down, and segment 0's LRU item leaves the cache.
//
//   admit(x):      size(x) <= segment capacity
//   on insert(x):  s = lowest segment with room for x, else 0; push x at the head of s
//   on hit(x):     if x in the top segment: move to its head
//                  else: move x to the head of segment s + 1
//                        while segment(x) is over its capacity: cool(segment(x))
//   cool(i):       i == 0: evict the victim (below); else move the tail of i to the head of
//                  i - 1 and cool(i - 1) while that is over
//   victim():      the tail of the lowest non-empty segment
//
// Karedla, Love, Wherry, "Caching strategies to improve disk system performance", IEEE
// Computer 27(3), 1994. As libCacheSim's SLRU.c (n-seg=4, equal segments).
#include <memory>
#include <vector>

#include "edge/cache/policies/slru.h"
#include "edge/cache/policies/params.h"
#include "edge/cache/policies/registry.h"

namespace cdnlab::edge::cache {

PolicyMade makeSlruPolicy(const PolicyConfig& c) {
  ParamReader r(c);
  int n = int(r.integer("segments", 4, 1, 16));
  if (auto ok = r.finish(); !ok) return ok.error();
  return std::unique_ptr<Policy>(
      std::make_unique<SlruPolicy>(c.capacity, std::vector<int64_t>(size_t(n), int64_t(c.capacity) / n)));
}

}  // namespace cdnlab::edge::cache

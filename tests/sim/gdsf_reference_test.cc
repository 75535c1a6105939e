// GDSF's heap against a direct transcription of its definition (an ordered set of (priority,
// last request), L = the evicted priority, the newcomer inserted before the evictions as
// libCacheSim's GDSF_get does) on a byte-mode Zipf trace: the same misses.
#include <gtest/gtest.h>

#include <set>
#include <tuple>
#include <vector>

#include "bench/sim/simulator.h"
#include "bench/sim/trace_reader.h"
#include "tests/sim/sim_test_util.h"

namespace cdnlab::sim {
namespace {

uint64_t referenceGdsfMisses(const Trace& t, uint64_t capacity) {
  using Node = std::tuple<double, int64_t, uint32_t>;
  std::set<Node> order;
  std::vector<Node> where(t.objects());
  std::vector<uint64_t> freq(t.objects(), 0), charged(t.objects(), 0);
  std::vector<bool> in(t.objects(), false);
  double L = 0;
  uint64_t used = 0, misses = 0;
  for (size_t i = 0; i < t.requests.size(); ++i) {
    const Request& q = t.requests[i];
    if (in[q.obj]) {
      order.erase(where[q.obj]);
      ++freq[q.obj];
      where[q.obj] = Node{L + double(freq[q.obj]) * 1e6 / double(charged[q.obj]), int64_t(i), q.obj};
      order.insert(where[q.obj]);
      continue;
    }
    ++misses;
    if (q.size > capacity) continue;
    // libCacheSim's GDSF_get: insert first, then evict the lowest while over (maybe x itself).
    in[q.obj] = true;
    charged[q.obj] = q.size;
    freq[q.obj] = 1;
    used += q.size;
    where[q.obj] = Node{L + 1e6 / double(q.size), int64_t(i), q.obj};
    order.insert(where[q.obj]);
    while (used > capacity) {
      Node v = *order.begin();
      order.erase(order.begin());
      L = std::get<0>(v);
      in[std::get<2>(v)] = false;
      used -= charged[std::get<2>(v)];
    }
  }
  return misses;
}

TEST(GdsfReference, HeapMatchesTheOrderedSet) {
  const Trace t = testing::zipf(60000, 8000, 0.8, 7, 100, 100000);
  for (uint64_t cap : {200000ull, 5000000ull, 50000000ull}) {
    auto r = simulate(t, SimJob{"gdsf", cap, SizeMode::Bytes, ""});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->misses, referenceGdsfMisses(t, cap)) << "capacity " << cap;
  }
}

}  // namespace
}  // namespace cdnlab::sim

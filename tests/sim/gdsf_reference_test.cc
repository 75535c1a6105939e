// GDSF's heap against a direct transcription of its definition (an ordered set of (priority,
// last request), L = the evicted priority) on a byte-mode Zipf trace: the same misses.
#include <gtest/gtest.h>

#include <set>
#include <tuple>
#include <vector>

#include "bench/sim/simulator.h"
#include "bench/sim/trace_reader.h"
#include "bench/sim/zipf_trace.h"

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
    while (used + q.size > capacity) {
      Node v = *order.begin();
      order.erase(order.begin());
      L = std::get<0>(v);
      in[std::get<2>(v)] = false;
      used -= charged[std::get<2>(v)];
    }
    in[q.obj] = true;
    charged[q.obj] = q.size;
    freq[q.obj] = 1;
    used += q.size;
    where[q.obj] = Node{L + 1e6 / double(q.size), int64_t(i), q.obj};
    order.insert(where[q.obj]);
  }
  return misses;
}

TEST(GdsfReference, HeapMatchesTheOrderedSet) {
  ZipfTraceSpec z;
  z.requests = 60000;
  z.objects = 8000;
  z.alpha = 0.8;
  z.minSize = 100;
  z.maxSize = 100000;
  auto t = parseTrace(zipfTraceBytes(z), "zipf", TraceFormat{});
  ASSERT_TRUE(t.ok());
  for (uint64_t cap : {200000ull, 5000000ull, 50000000ull}) {
    auto r = simulate(*t, SimJob{"gdsf", cap, SizeMode::Bytes, ""});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->misses, referenceGdsfMisses(*t, cap)) << "capacity " << cap;
  }
}

}  // namespace
}  // namespace cdnlab::sim

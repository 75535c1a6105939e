// The lean cache index at 1M objects: what one hit costs and how many bytes each cached object
// takes when the index is an open-addressing table of 64-bit key hashes (KeySlotMap, 16-byte
// slots, at most 3/4 full) mapping to dense ids, residency and size are arrays indexed by id
// (bench/sim/lean_cache.h), and the policy keeps its per-item state in arrays indexed by id.
// No bodies, headers or shared_ptr per object: the simulator's and topology replay's index.
// Memory is mallinfo2's in-use bytes after filling, over the objects.
// Run: build/bench/lean_index_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <random>
#include <string>
#include <vector>

#include "bench/sim/lean_cache.h"
#include "edge/cache/policies/ghost_list.h"

using namespace cdnlab;

namespace {

constexpr uint32_t kObjects = 1'000'000;
const char* const kPolicies[] = {"lru", "fifo", "clock", "sieve", "lfu", "slru", "2q", "arc",
                                 "s3fifo", "wtinylfu", "lirs", "gdsf"};

uint64_t keyOf(uint32_t i) {  // a key hash as the PoP computes one (spread over 64 bits)
  uint64_t x = uint64_t(i) * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
  x ^= x >> 31;
  return x * 0xbf58476d1ce4e5b9ull;
}

// The index: key hash -> dense id, and the cache over the ids.
struct LeanIndex {
  edge::cache::KeySlotMap ids;
  sim::LeanCache cache;
  uint32_t nextId = 0;
  explicit LeanIndex(const std::string& policy)
      : cache(std::move(sim::LeanCache::make(policy, kObjects, kObjects).value())) {}
  bool request(uint64_t key, int64_t now) {
    uint32_t id = ids.find(key);
    if (id == edge::cache::KeySlotMap::kAbsent) {
      id = nextId++;
      ids.insert(key, id);
    }
    return cache.access(id, edge::cache::Access{key, 1, edge::cache::Access::kNever, now});
  }
};

// Every object requested until resident: a full cache of kObjects (object mode, capacity 1M).
void fill(LeanIndex& x) {
  for (int round = 0; round < 3; ++round)
    for (uint32_t i = 0; i < kObjects; ++i) x.request(keyOf(i), int64_t(round) * kObjects + i);
}

void BM_Hit(benchmark::State& state) {
  const std::string policy = kPolicies[state.range(0)];
  LeanIndex x(policy);
  fill(x);
  std::vector<uint64_t> keys(1 << 22);
  std::mt19937_64 rng(1);
  for (auto& k : keys) k = keyOf(uint32_t(rng() % kObjects));
  size_t i = 0, hits = 0;
  int64_t now = 3 * int64_t(kObjects);
  for (auto _ : state) {
    hits += x.request(keys[i], now++);
    i = (i + 1) & (keys.size() - 1);
  }
  state.SetLabel(policy);
  state.counters["hit_ratio"] = double(hits) / double(state.iterations());
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(BM_Hit)->DenseRange(0, std::size(kPolicies) - 1)->Unit(benchmark::kNanosecond);

void BM_Memory(benchmark::State& state) {
  const std::string policy = kPolicies[state.range(0)];
  for (auto _ : state) {
    // mallinfo2: bytes the allocator hands out (with its per-chunk overhead; large arrays are
    // mmapped chunks, counted in hblkhd).
    auto inUse = [] {
      struct mallinfo2 m = mallinfo2();
      return int64_t(m.uordblks + m.hblkhd);
    };
    const int64_t before = inUse();
    {
      LeanIndex x(policy);
      fill(x);
      state.counters["bytes_per_object"] = double(inUse() - before) / kObjects;
    }
  }
  state.SetLabel(policy);
}
BENCHMARK(BM_Memory)->DenseRange(0, std::size(kPolicies) - 1)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

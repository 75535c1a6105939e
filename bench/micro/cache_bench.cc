// Cache store micro benchmarks at 1M objects: lookup hit (1 and 2 threads), insert with one
// eviction per insert, a 90/10 lookup/insert mix, and the index memory per cached object; a
// dependent DRAM access at random as the yardstick a hit is read against.
// Run: build/bench/cache_bench --benchmark_min_time=0.2
// build/bench/cache_bench_unlocked is the same with the store's shard lock compiled out (one
// thread only: its two-thread benchmark is left out). CACHE_BENCH_THREADED=1 starts and joins
// a thread before any benchmark, as a PoP process has: from then on libstdc++'s shared_ptr
// counts with locked instructions (in a process that never started a thread it uses plain
// ones), so the hit pays what it pays in the PoP.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <thread>

#include "edge/cache/huge_pages.h"
#include "edge/cache/store.h"

using namespace cdnlab;
using namespace cdnlab::edge::cache;

// Counting allocator: requested bytes currently live (the index measurement uses deltas).
// The replacement operator new takes its memory from malloc, so free is the matching release;
// GCC cannot see that once it inlines both into one function.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<int64_t> gLiveBytes{0};
void* operator new(size_t n) {
  gLiveBytes.fetch_add(int64_t(n), std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p, size_t n) noexcept {
  gLiveBytes.fetch_sub(int64_t(n), std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p) noexcept { std::free(p); }  // unsized: not counted (not used by libstdc++ containers)

namespace {

const bool kThreadedProcess = [] {
  const char* v = std::getenv("CACHE_BENCH_THREADED");
  if (v && *v && *v != '0') std::thread([] {}).join();  // clears glibc's __libc_single_threaded
  return v && *v && *v != '0';
}();

constexpr size_t kObjects = 1'000'000;
constexpr int64_t kNowMs = 1704067200000;

// Entries as the PoP stores them, minus the headers (measured separately): key, shared body,
// a long freshness lifetime so nothing expires during the run.
std::vector<std::shared_ptr<const Entry>> makeEntries(size_t n, size_t firstId) {
  static const Body kBody(std::string(1024, 'x'));
  std::vector<std::shared_ptr<const Entry>> v;
  v.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto e = Entry::create(cacheKeyFromCanonical("http://bench.example/obj/" + std::to_string(firstId + i) + " GET"));
    e->body = kBody;
    e->requestTimeMs = e->responseTimeMs = kNowMs;
    e->dateValueS = kNowMs / 1000;
    e->freshnessLifetimeS = 1'000'000;
    v.push_back(std::move(e));
  }
  return v;
}

StoreConfig configFor(size_t objects, uint32_t shards = 16) {
  StoreConfig c;
  c.capacityBytes = 1ull << 42;  // the object count is the bound here
  c.maxObjects = objects;
  c.shards = shards;
  // CACHE_BENCH_POLICY=fifo (any online policy spec) runs the same benchmarks on another policy:
  // FIFO's hit touches no policy state, so LRU vs FIFO is what the policy's update costs a hit.
  if (const char* p = std::getenv("CACHE_BENCH_POLICY"); p && *p) c.policy = p;
  return c;
}

struct Filled {
  std::vector<std::shared_ptr<const Entry>> entries;
  std::unique_ptr<CacheStore> store;
  std::vector<uint32_t> order;  // random lookup order
  std::vector<CacheKey> keys;   // the entries' keys copied in lookup order (see BM_LookupHit)
  std::vector<CacheKey> entryKeys;  // the same in the entries' order (BM_LookupHitColdKey)
};

Filled& filled() {
  static Filled f = [] {
    Filled x;
    x.entries = makeEntries(kObjects, 0);
    x.store = std::move(CacheStore::create(configFor(kObjects)).value());
    for (auto& e : x.entries) x.store->insert(e, kNowMs);
    x.order.resize(kObjects);
    for (uint32_t i = 0; i < kObjects; ++i) x.order[i] = i;
    std::shuffle(x.order.begin(), x.order.end(), std::mt19937(42));
    x.keys.reserve(kObjects);
    for (uint32_t i : x.order) x.keys.push_back(x.entries[i]->key.copy());
    for (auto& e : x.entries) x.entryKeys.push_back(e->key.copy());
    return x;
  }();
  return f;
}

// A browser's request headers, as the PoP hands them to the store (Cache-Control is looked
// for in them on every lookup).
const Headers& browserHeaders() {
  static const Headers h = [] {
    Headers x;
    x.add("Host", "bench.example");
    x.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
    x.add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    x.add("Accept-Language", "en-US,en;q=0.5");
    x.add("Accept-Encoding", "gzip, deflate, br");
    x.add("Connection", "keep-alive");
    return x;
  }();
  return h;
}

// What the PoP's Lookup step does on a hit (edge/pop/lookup.cc): the key was just computed from
// the request (so it is in the CPU cache: here the keys are read in order, which the hardware
// prefetches), the lookup gets the request headers, and the transaction keeps its own
// reference to the entry until the response is written. The entry, the table and the policy's
// state are cold: uniform random keys over 1M objects.
void BM_LookupHit(benchmark::State& state) {
  Filled& f = filled();
  size_t i = size_t(state.thread_index()) * (kObjects / 2);
  const Headers& headers = browserHeaders();
  for (auto _ : state) {
    const CacheKey& k = f.keys[i++ % kObjects];
    auto found = f.store->lookup(k, &headers, kNowMs);
    std::shared_ptr<const Entry> held = found.entry;  // tx.entry
    benchmark::DoNotOptimize(held.get());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(kThreadedProcess ? "threaded process" : "");
}

#ifdef CDNLAB_CACHE_STORE_UNLOCKED
BENCHMARK(BM_LookupHit)->Threads(1)->UseRealTime();
#else
BENCHMARK(BM_LookupHit)->Threads(1)->Threads(2)->UseRealTime();
#endif

// The hit as the PoP's Lookup step does it since the eighth session: the request's
// Cache-Control comes parsed (the PoP parses it once, at Recv, for its own use), so the store
// does not scan the header list again, and the reference is moved out of the result instead
// of copied (one reference count increment and one decrement fewer per hit: locked
// instructions in a process that has started a thread). BM_LookupHit stays the earlier form.
void BM_LookupHitAsPopNow(benchmark::State& state) {
  Filled& f = filled();
  size_t i = 0;
  const Headers& headers = browserHeaders();
  const CacheControl requestCc = parseCacheControl(&headers);  // tx.requestCc
  for (auto _ : state) {
    auto found = f.store->lookup(f.keys[i++ % kObjects], &headers, requestCc, kNowMs);
    std::shared_ptr<const Entry> held = std::move(found.entry);  // tx.entry
    benchmark::DoNotOptimize(held.get());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(kThreadedProcess ? "threaded process" : "");
}
BENCHMARK(BM_LookupHitAsPopNow)->UseRealTime();

// The same hits, N independent keys at a time: each key's table slot is prefetched first
// (CacheStore::prefetch), then the N lookups run one after another as BM_LookupHit's do. What
// this gains over BM_LookupHit is what overlapping the slot misses of independent lookups is
// worth; N = 1 is BM_LookupHit plus the hint's own cost. Time is per lookup.
void BM_LookupHitBatch(benchmark::State& state) {
  Filled& f = filled();
  const size_t n = size_t(state.range(0));
  const Headers& headers = browserHeaders();
  size_t i = 0;
  for (auto _ : state) {
    const size_t first = i;
    for (size_t j = 0; j < n; ++j) f.store->prefetch(f.keys[(first + j) % kObjects]);
    for (size_t j = 0; j < n; ++j) {
      auto found = f.store->lookup(f.keys[i++ % kObjects], &headers, kNowMs);
      std::shared_ptr<const Entry> held = found.entry;
      benchmark::DoNotOptimize(held.get());
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations() * n));
  state.counters["ns_per_lookup"] =
      benchmark::Counter(double(state.iterations() * n), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(kThreadedProcess ? "threaded process" : "");
}
BENCHMARK(BM_LookupHitBatch)->ArgName("keys")->Arg(1)->Arg(4)->Arg(8)->Arg(16)->UseRealTime();

// The hit with one shard, its arrays on huge pages (Arg 1) or on 4 KiB pages (Arg 0): with 16
// shards a shard's table and arrays at 1M objects are 1-1.5 MiB each, below the 2 MiB from
// which the index maps huge pages, so this is where the switch shows. The entries are the same
// heap objects in both.
void BM_LookupHitOneShard(benchmark::State& state) {
  const bool huge = state.range(0) != 0;
  static std::unique_ptr<CacheStore> stores[2];
  std::unique_ptr<CacheStore>& store = stores[huge];
  Filled& f = filled();
  if (!store) {
    const bool was = hugePagesEnabled();
    setHugePages(huge);
    store = std::move(CacheStore::create(configFor(kObjects, 1)).value());
    for (auto& e : f.entries) store->insert(e, kNowMs);
    setHugePages(was);
  }
  size_t i = 0;
  const Headers& headers = browserHeaders();
  for (auto _ : state) {
    auto found = store->lookup(f.keys[i++ % kObjects], &headers, kNowMs);
    std::shared_ptr<const Entry> held = found.entry;
    benchmark::DoNotOptimize(held.get());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(huge ? "huge pages" : "4 KiB pages");
}
BENCHMARK(BM_LookupHitOneShard)->ArgName("huge")->Arg(0)->Arg(1);

// The earlier form of the hit benchmark, kept for comparison with older figures: the key is
// read at random from the benchmark's own array (two cache misses of the benchmark's, the
// CacheKey and its characters, before the store starts; until the key's characters moved into
// the entry's allocation it was read through the entries' shared_ptr vector and the entry),
// no request headers.
void BM_LookupHitColdKey(benchmark::State& state) {
  Filled& f = filled();
  size_t i = 0;
  for (auto _ : state) {
    const CacheKey& k = f.entryKeys[f.order[i++ % kObjects]];
    auto r = f.store->lookup(k, nullptr, kNowMs);
    benchmark::DoNotOptimize(r.entry.get());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupHitColdKey);

// The yardstick: one load at a random place in 512 MiB that depends on the previous one (a
// pointer chase through a random cycle), i.e. one DRAM round trip plus its TLB miss. A hit
// whose misses were all serial would cost (misses x this). Arg 0: on 4 KiB pages; 1: on huge
// pages (the array mapped as the index maps its own, edge/cache/huge_pages.h), which leaves
// the DRAM round trip and takes away most of the page walk.
void BM_DependentDramAccess(benchmark::State& state) {
  constexpr size_t kSlots = (512u << 20) / 64;  // one 64-byte line per slot
  static std::vector<uint32_t> perm = [] {
    std::vector<uint32_t> v(kSlots);
    for (uint32_t i = 0; i < kSlots; ++i) v[i] = i;
    std::shuffle(v.begin(), v.end(), std::mt19937(7));
    return v;
  }();
  const bool huge = state.range(0) != 0;
  const bool was = hugePagesEnabled();
  setHugePages(huge);
  std::vector<uint64_t, HugePageAllocator<uint64_t>> next(kSlots * 8);
  setHugePages(was);
  for (size_t i = 0; i < kSlots; ++i) next[size_t(perm[i]) * 8] = size_t(perm[(i + 1) % kSlots]) * 8;
  uint64_t at = 0;
  for (auto _ : state) {
    at = next[at];
    benchmark::DoNotOptimize(at);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(huge ? "huge pages" : "4 KiB pages");
  state.counters["huge_page_MiB"] = double(hugePageBytesIn(next.data(), next.size() * sizeof(uint64_t))) / (1 << 20);
}
BENCHMARK(BM_DependentDramAccess)->ArgName("huge")->Arg(0)->Arg(1);

void BM_LookupMiss(benchmark::State& state) {
  Filled& f = filled();
  CacheKey k = cacheKeyFromCanonical("http://bench.example/absent GET");
  for (auto _ : state) {
    k.hash++;  // a different absent key each time
    benchmark::DoNotOptimize(f.store->lookup(k, nullptr, kNowMs).entry.get());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LookupMiss);

// 1.1M keys cycled through a store bounded to 1M objects: under LRU every insert evicts one.
void BM_InsertWithEviction(benchmark::State& state) {
  static auto entries = makeEntries(kObjects + kObjects / 10, 10'000'000);
  auto store = std::move(CacheStore::create(configFor(kObjects)).value());
  size_t i = 0;
  for (; i < kObjects; ++i) store->insert(entries[i], kNowMs);
  const uint64_t evictedBefore = store->stats().evictedSize;
  for (auto _ : state) {
    store->insert(entries[i++ % entries.size()], kNowMs);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["evictions_per_insert"] =
      double(store->stats().evictedSize - evictedBefore) / double(state.iterations());
}
BENCHMARK(BM_InsertWithEviction);

// 90% lookups / 10% inserts over 1.1M skewed keys (store bounded to 1M objects).
void BM_Mixed(benchmark::State& state) {
  static auto entries = makeEntries(kObjects + kObjects / 10, 20'000'000);
  static auto keys = [] {
    std::vector<CacheKey> v;
    for (auto& e : entries) v.push_back(e->key.copy());
    return v;
  }();
  auto store = std::move(CacheStore::create(configFor(kObjects)).value());
  for (size_t i = 0; i < kObjects; ++i) store->insert(entries[i], kNowMs);
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    uint64_t r = rng();
    // Skew: the smaller of two uniform picks.
    size_t id = std::min(r % entries.size(), (r >> 32) % entries.size());
    if ((r & 15) < 14) {
      auto hit = store->lookup(keys[id], nullptr, kNowMs);
      if (!hit) store->insert(entries[id], kNowMs);
      benchmark::DoNotOptimize(hit.entry.get());
    } else {
      store->insert(entries[id], kNowMs);
    }
  }
  auto st = store->stats();
  state.SetItemsProcessed(state.iterations());
  state.counters["hit_ratio"] = double(st.hits) / double(std::max<uint64_t>(1, st.hits + st.misses));
}
BENCHMARK(BM_Mixed);

// Index memory per cached object: bytes the store allocates to hold 1M already-built entries
// (hash index, item table, policy state), i.e. besides the body, the headers and the Entry.
void BM_IndexMemory(benchmark::State& state) {
  auto entries = makeEntries(kObjects, 30'000'000);
  const int64_t entryBytesBefore = gLiveBytes.load();
  double indexPerObject = 0, mallocPerObject = 0;
  for (auto _ : state) {
    int64_t before = gLiveBytes.load();
    size_t mallocBefore = mallinfo2().uordblks;
    auto store = std::move(CacheStore::create(configFor(kObjects)).value());
    for (auto& e : entries) store->insert(e, kNowMs);
    indexPerObject = double(gLiveBytes.load() - before) / double(kObjects);
    mallocPerObject = double(mallinfo2().uordblks - mallocBefore) / double(kObjects);
  }
  (void)entryBytesBefore;
  state.counters["index_bytes_per_object"] = indexPerObject;
  state.counters["index_malloc_bytes_per_object"] = mallocPerObject;  // incl. malloc headers
  state.counters["sizeof_Entry"] = double(sizeof(Entry));
}
BENCHMARK(BM_IndexMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

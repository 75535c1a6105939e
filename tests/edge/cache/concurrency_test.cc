// Several worker threads share one store: no lost accounting, no mix-ups, bounded bytes. Run it
// under ASan/UBSan (build-cache-asan) and TSan to check the locking.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "edge/cache/store.h"
#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

TEST(StoreConcurrency, WorkersShareOneStore) {
  StoreConfig c;
  c.shards = 8;
  c.capacityBytes = 512 * 1024;
  auto store = std::move(CacheStore::create(c).value());
  constexpr int kThreads = 4, kOps = 20000;
  std::atomic<bool> stop{false};
  std::atomic<int> mismatches{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      std::mt19937 rng(1000 + t);  // seeds 1000..1003
      for (int i = 0; i < kOps; ++i) {
        std::string path = "/o" + std::to_string(rng() % 3000);
        int64_t now = kT0Ms + i;
        auto r = store->lookup(keyFor(path), nullptr, now);
        if (r) {
          // The body names the object: a hit must never return another key's entry.
          if (r.entry->body.view() != path) mismatches.fetch_add(1);
        } else {
          store->insert(entryFor(path, H({{"Cache-Control", "max-age=5"}}), i, path), now);
        }
      }
    });
  }
  std::thread janitor([&] {  // the PoP's periodic sweep and an admin purge meanwhile
    int64_t now = kT0Ms;
    while (!stop.load()) {
      now += 1000;
      store->sweepExpired(now, 64);
      store->purgePrefix("http://example.com/o1");
      std::this_thread::yield();
    }
  });
  for (auto& t : ts) t.join();
  stop = true;
  janitor.join();
  EXPECT_EQ(mismatches.load(), 0);
  StoreStats st = store->stats();
  EXPECT_EQ(st.hits + st.misses, uint64_t(kThreads * kOps));
  EXPECT_LE(st.bytes, c.capacityBytes);
  EXPECT_EQ(st.objects, st.inserts - st.evictedSize - st.expired - st.replaced - st.purged);
  PurgeResult all = store->purgeAll();
  EXPECT_EQ(all.objects, st.objects);
  EXPECT_EQ(all.bytes, st.bytes);
}

// CacheStore::prefetch reads the shard's table address without the lock while other threads
// insert (the table grows from empty through several doublings), evict and purge (the table
// is freed and reallocated): under TSan this shows the hint's reads race with nothing, under
// ASan that it never touches freed memory, and the lookups next to it never see another key's
// entry.
TEST(StoreConcurrency, PrefetchHintsWhileTablesGrowAndShrink) {
  StoreConfig c;
  c.shards = 2;
  c.capacityBytes = 4 * 1024 * 1024;
  c.maxObjects = 6000;  // evictions start once the tables have grown
  auto store = std::move(CacheStore::create(c).value());
  std::atomic<bool> stop{false};
  std::atomic<int> mismatches{0};
  std::atomic<uint64_t> hints{0};
  std::thread writer([&] {
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 8000; ++i) {
        std::string path = "/w" + std::to_string(i);
        store->insert(entryFor(path, H({{"Cache-Control", "max-age=100"}}), 0, path), kT0Ms);
      }
      store->purgeAll();
    }
    stop = true;
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937 rng(77 + t);
      while (!stop.load(std::memory_order_relaxed)) {
        std::string path = "/w" + std::to_string(rng() % 8000);
        CacheKey k = keyFor(path);
        store->prefetch(k);
        hints.fetch_add(1, std::memory_order_relaxed);
        auto r = store->lookup(k, nullptr, CacheControl{}, kT0Ms);
        if (r && r.entry->body.view() != path) mismatches.fetch_add(1);
      }
    });
  }
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_GT(hints.load(), 0u);
  EXPECT_EQ(store->stats().objects, 0u);
}

}  // namespace
}  // namespace cdnlab::edge::cache

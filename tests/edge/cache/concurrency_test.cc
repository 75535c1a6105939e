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

}  // namespace
}  // namespace cdnlab::edge::cache

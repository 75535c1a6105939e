// CacheStore: LRU order, byte and object accounting, pass-through, TTL expiry (lazy and sweep)
// on a fake clock, Vary variants, purges, hash collisions, reader lifetime.
#include "edge/cache/store.h"

#include <gtest/gtest.h>

#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

std::unique_ptr<CacheStore> makeStore(StoreConfig c) {
  auto s = CacheStore::create(c);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(s.value()) : nullptr;
}

std::shared_ptr<Entry> obj(const std::string& path, size_t bodyBytes = 100, int maxAge = 1000,
                           int64_t atMs = 0) {
  return entryFor(path, H({{"Cache-Control", "max-age=" + std::to_string(maxAge)}}), atMs,
                  std::string(bodyBytes, 'x'));
}

bool has(CacheStore& s, const std::string& path, int64_t nowMs = kT0Ms) {
  return s.lookup(keyFor(path), nullptr, nowMs).entry != nullptr;
}

TEST(StoreCreate, RejectsBadConfig) {
  StoreConfig c;
  c.policy = "nope";
  auto s = CacheStore::create(c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("lru"), std::string::npos);  // names the known policies
  c = {};
  c.capacityBytes = 0;
  EXPECT_FALSE(CacheStore::create(c).ok());
}

TEST(StoreLru, EvictsLeastRecentlyUsed) {
  const uint64_t each = obj("/k1")->chargedBytes();
  StoreConfig c;
  c.shards = 1;
  c.capacityBytes = 3 * each + each / 2;
  c.maxObjectFraction = 1;
  auto s = makeStore(c);
  for (auto p : {"/k1", "/k2", "/k3"}) ASSERT_EQ(s->insert(obj(p), kT0Ms), InsertResult::Stored);
  EXPECT_TRUE(has(*s, "/k1"));  // k1 is now the most recent; k2 the least
  ASSERT_EQ(s->insert(obj("/k4"), kT0Ms), InsertResult::Stored);
  EXPECT_FALSE(has(*s, "/k2"));
  EXPECT_TRUE(has(*s, "/k1"));
  EXPECT_TRUE(has(*s, "/k3"));
  EXPECT_TRUE(has(*s, "/k4"));
  StoreStats st = s->stats();
  EXPECT_EQ(st.evictedSize, 1u);
  EXPECT_EQ(st.objects, 3u);
  EXPECT_EQ(st.bytes, 3 * each);
  EXPECT_EQ(st.hits, 4u);
  EXPECT_EQ(st.misses, 1u);
}

TEST(StoreLru, EvictsUntilTheNewObjectFits) {
  const uint64_t small = obj("/s1", 100)->chargedBytes();
  auto big = obj("/b1", 100 + 2 * small);
  StoreConfig c;
  c.shards = 1;
  c.capacityBytes = 4 * small;
  c.maxObjectFraction = 1;
  auto s = makeStore(c);
  for (auto p : {"/s1", "/s2", "/s3", "/s4"}) s->insert(obj(p, 100), kT0Ms);
  EXPECT_EQ(s->stats().bytes, 4 * small);
  ASSERT_EQ(s->insert(big, kT0Ms), InsertResult::Stored);
  // big = 3 smalls: s1, s2, s3 go (LRU order), s4 stays.
  EXPECT_EQ(s->stats().evictedSize, 3u);
  EXPECT_TRUE(has(*s, "/s4"));
  EXPECT_FALSE(has(*s, "/s1"));
  EXPECT_EQ(s->stats().bytes, small + big->chargedBytes());
  EXPECT_LE(s->stats().bytes, c.capacityBytes);
}

TEST(StoreLru, OversizeIsPassedThrough) {
  StoreConfig c;
  c.shards = 1;
  c.capacityBytes = 100000;
  c.maxObjectFraction = 0.1;
  auto s = makeStore(c);
  EXPECT_EQ(s->insert(obj("/big", 20000), kT0Ms), InsertResult::TooLarge);
  EXPECT_EQ(s->insert(obj("/ok", 1000), kT0Ms), InsertResult::Stored);
  EXPECT_EQ(s->stats().passThrough, 1u);
  EXPECT_EQ(s->stats().objects, 1u);
  EXPECT_FALSE(has(*s, "/big"));
}

TEST(StoreLru, ReplaceUpdatesBytes) {
  StoreConfig c;
  c.shards = 1;
  auto s = makeStore(c);
  s->insert(obj("/k", 100), kT0Ms);
  auto second = obj("/k", 5000);
  s->insert(second, kT0Ms);
  StoreStats st = s->stats();
  EXPECT_EQ(st.objects, 1u);
  EXPECT_EQ(st.bytes, second->chargedBytes());
  EXPECT_EQ(st.replaced, 1u);
  EXPECT_EQ(s->lookup(keyFor("/k"), nullptr, kT0Ms).entry->body.size(), 5000u);
}

TEST(StoreLru, ObjectCountBound) {
  StoreConfig c;
  c.shards = 1;
  c.maxObjects = 2;
  auto s = makeStore(c);
  for (auto p : {"/a", "/b", "/c"}) s->insert(obj(p), kT0Ms);
  EXPECT_EQ(s->stats().objects, 2u);
  EXPECT_FALSE(has(*s, "/a"));
}

TEST(StoreTtl, LazyExpiryOnLookup) {
  auto s = makeStore({});
  s->insert(obj("/k", 10, 10), kT0Ms);
  auto r = s->lookup(keyFor("/k"), nullptr, kT0Ms + 5000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.decision.freshness, Freshness::Fresh);
  EXPECT_EQ(r.decision.ageS, 5);
  EXPECT_FALSE(s->lookup(keyFor("/k"), nullptr, kT0Ms + 10'000));
  StoreStats st = s->stats();
  EXPECT_EQ(st.expired, 1u);
  EXPECT_EQ(st.objects, 0u);
  EXPECT_EQ(st.bytes, 0u);
}

TEST(StoreTtl, StaleWindowsKeepTheEntry) {
  auto s = makeStore({});
  s->insert(entryFor("/k", H({{"Cache-Control", "max-age=10, stale-while-revalidate=10, stale-if-error=30"}})), kT0Ms);
  auto swr = s->lookup(keyFor("/k"), nullptr, kT0Ms + 15'000);
  ASSERT_TRUE(swr);
  EXPECT_EQ(swr.decision.freshness, Freshness::StaleWhileRevalidate);
  auto sie = s->lookup(keyFor("/k"), nullptr, kT0Ms + 35'000);
  ASSERT_TRUE(sie);
  EXPECT_EQ(sie.decision.freshness, Freshness::MustRevalidate);
  EXPECT_TRUE(sie.decision.usableOnError);
  EXPECT_FALSE(s->lookup(keyFor("/k"), nullptr, kT0Ms + 40'000));
}

// The PoP hands the store the request's Cache-Control parsed once at Recv: the decision must be
// the one the store reaches parsing the same request's headers itself, directive by directive.
TEST(StoreLookup, ParsedCacheControlDecidesAsTheHeaderDoes) {
  auto s = makeStore({});
  s->insert(entryFor("/k", H({{"Cache-Control", "max-age=10, stale-if-error=30"}})), kT0Ms);
  const int64_t at = kT0Ms + 5000;  // fresh for 5 more seconds
  for (const char* cc : {"", "no-cache", "max-age=3", "min-fresh=6", "max-age=100", "max-stale=0"}) {
    SCOPED_TRACE(cc);
    Headers req = *cc ? H({{"Cache-Control", cc}}) : Headers{};
    auto fromHeaders = s->lookup(keyFor("/k"), &req, at);
    auto fromParsed = s->lookup(keyFor("/k"), &req, parseCacheControl(&req), at);
    ASSERT_TRUE(fromHeaders);
    ASSERT_TRUE(fromParsed);
    EXPECT_EQ(fromParsed.entry, fromHeaders.entry);
    EXPECT_EQ(fromParsed.decision.freshness, fromHeaders.decision.freshness);
    EXPECT_EQ(fromParsed.decision.ageS, fromHeaders.decision.ageS);
    EXPECT_EQ(fromParsed.decision.usableOnError, fromHeaders.decision.usableOnError);
  }
  // And the request's directives do reach the decision through the parsed form.
  Headers noCache = H({{"Cache-Control", "no-cache"}});
  EXPECT_EQ(s->lookup(keyFor("/k"), &noCache, parseCacheControl(&noCache), at).decision.freshness,
            Freshness::MustRevalidate);
  EXPECT_EQ(s->lookup(keyFor("/k"), nullptr, CacheControl{}, at).decision.freshness, Freshness::Fresh);
  EXPECT_EQ(s->stats().hits, 14u);
}

// prefetch() is only a hint: before the first insert, for absent keys and for present ones it
// changes nothing the store answers or counts.
TEST(StoreLookup, PrefetchChangesNothing) {
  auto s = makeStore({});
  s->prefetch(keyFor("/a"));  // empty store: no table yet
  s->insert(obj("/a"), kT0Ms);
  s->prefetch(keyFor("/a"));
  s->prefetch(keyFor("/absent"));
  EXPECT_TRUE(has(*s, "/a"));
  EXPECT_FALSE(has(*s, "/absent"));
  StoreStats st = s->stats();
  EXPECT_EQ(st.hits, 1u);
  EXPECT_EQ(st.misses, 1u);
  EXPECT_EQ(st.objects, 1u);
}

TEST(StoreTtl, KeepRetainsRevalidatableEntries) {
  StoreConfig c;
  c.keepS = 100;
  auto s = makeStore(c);
  s->insert(entryFor("/v", H({{"Cache-Control", "max-age=10"}, {"ETag", "\"1\""}})), kT0Ms);
  s->insert(entryFor("/n", H({{"Cache-Control", "max-age=10"}})), kT0Ms);
  auto r = s->lookup(keyFor("/v"), nullptr, kT0Ms + 50'000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.decision.freshness, Freshness::MustRevalidate);
  EXPECT_TRUE(r.decision.expired);
  EXPECT_FALSE(s->lookup(keyFor("/n"), nullptr, kT0Ms + 50'000));
  // no-cache with a validator is stored with lifetime 0: kept only thanks to keepS.
  EXPECT_EQ(s->insert(entryFor("/nc", H({{"Cache-Control", "no-cache"}, {"ETag", "\"1\""}})), kT0Ms),
            InsertResult::Stored);
  auto noKeep = makeStore({});
  EXPECT_EQ(noKeep->insert(entryFor("/nc", H({{"Cache-Control", "no-cache"}, {"ETag", "\"1\""}})), kT0Ms),
            InsertResult::Expired);
}

TEST(StoreTtl, SweepDropsExpiredWithBoundedWork) {
  StoreConfig c;
  c.shards = 4;
  auto s = makeStore(c);
  uint64_t shortBytes = 0;
  for (int i = 0; i < 40; ++i) {
    auto e = obj("/k" + std::to_string(i), 10, i % 2 ? 10 : 1000);
    if (i % 2) shortBytes += e->chargedBytes();
    s->insert(e, kT0Ms);
  }
  const uint64_t before = s->stats().bytes;
  EXPECT_EQ(s->sweepExpired(kT0Ms + 5000, 1000).objects, 0u);  // nothing expired yet
  PurgeResult total;
  int calls = 0;
  while (calls < 100) {
    PurgeResult r = s->sweepExpired(kT0Ms + 20'000, 3);
    total.objects += r.objects;
    total.bytes += r.bytes;
    ++calls;
    if (total.objects == 20) break;
  }
  EXPECT_EQ(total.objects, 20u);
  EXPECT_GT(calls, 5);  // maxWork 3 really bounds each call
  EXPECT_EQ(total.bytes, shortBytes);
  EXPECT_EQ(s->stats().bytes, before - shortBytes);
  EXPECT_EQ(s->stats().objects, 20u);
  EXPECT_EQ(s->stats().expired, 20u);
  EXPECT_TRUE(has(*s, "/k0", kT0Ms + 20'000));
}

TEST(StoreVary, VariantsSelectedByRequestValues) {
  auto s = makeStore({});
  Headers gzip = H({{"Accept-Encoding", "gzip"}});
  Headers br = H({{"Accept-Encoding", "br"}});
  Headers none;
  auto vary = H({{"Cache-Control", "max-age=100"}, {"Vary", "Accept-Encoding"}});
  s->insert(entryFor("/v", vary, 0, "gzip-body", &gzip), kT0Ms);
  s->insert(entryFor("/v", vary, 0, "br-body", &br), kT0Ms);
  EXPECT_EQ(s->stats().objects, 2u);
  EXPECT_EQ(s->lookup(keyFor("/v"), &gzip, kT0Ms).entry->body.view(), "gzip-body");
  EXPECT_EQ(s->lookup(keyFor("/v"), &br, kT0Ms).entry->body.view(), "br-body");
  EXPECT_FALSE(s->lookup(keyFor("/v"), &none, kT0Ms));
  // Same variant again: replaced, not added.
  s->insert(entryFor("/v", vary, 0, "gzip-2", &gzip), kT0Ms);
  EXPECT_EQ(s->stats().objects, 2u);
  EXPECT_EQ(s->lookup(keyFor("/v"), &gzip, kT0Ms).entry->body.view(), "gzip-2");
  // A response with another Vary shape replaces every variant (newest Vary governs).
  s->insert(entryFor("/v", H({{"Cache-Control", "max-age=100"}}), 0, "plain"), kT0Ms);
  EXPECT_EQ(s->stats().objects, 1u);
  EXPECT_EQ(s->lookup(keyFor("/v"), &br, kT0Ms).entry->body.view(), "plain");
  // Purge by key removes every variant.
  EXPECT_EQ(s->remove(keyFor("/v")).objects, 1u);
}

TEST(StoreVary, VariantCountIsBounded) {
  StoreConfig c;
  c.maxVariants = 2;
  auto s = makeStore(c);
  auto vary = H({{"Cache-Control", "max-age=100"}, {"Vary", "X-V"}});
  for (int i = 0; i < 5; ++i) {
    Headers h = H({{"X-V", std::to_string(i)}});
    s->insert(entryFor("/v", vary, 0, "b", &h), kT0Ms);
  }
  EXPECT_EQ(s->stats().objects, 2u);
  Headers last = H({{"X-V", "4"}});
  EXPECT_TRUE(s->lookup(keyFor("/v"), &last, kT0Ms));
}

TEST(StorePurge, UrlPrefixSurrogateAll) {
  auto s = makeStore({});
  auto tagged = [](const std::string& p, const std::string& keys) {
    return entryFor(p, H({{"Cache-Control", "max-age=100"}, {"Surrogate-Key", keys}}));
  };
  s->insert(tagged("/img/1", "img all"), kT0Ms);
  s->insert(tagged("/img/2", "img all"), kT0Ms);
  s->insert(tagged("/css/a", "css all"), kT0Ms);
  s->insert(tagged("/js/a?v=1", "js all"), kT0Ms);
  s->insert(tagged("/js/a?v=2", "js all"), kT0Ms);
  auto one = s->purgeUrl("http://example.com/css/a");
  EXPECT_EQ(one.objects, 1u);
  EXPECT_GT(one.bytes, 0u);
  EXPECT_EQ(s->purgePrefix("http://example.com/js/").objects, 2u);
  EXPECT_EQ(s->purgeSurrogateKey("img").objects, 2u);
  s->insert(tagged("/x", "all"), kT0Ms);
  s->insert(tagged("/y", "all"), kT0Ms);
  const uint64_t bytes = s->stats().bytes;
  PurgeResult all = s->purgeAll();
  EXPECT_EQ(all.objects, 2u);
  EXPECT_EQ(all.bytes, bytes);
  EXPECT_EQ(s->stats().objects, 0u);
  EXPECT_EQ(s->stats().bytes, 0u);
  EXPECT_EQ(s->stats().purged, 7u);
}

TEST(StoreIndex, HashCollisionsKeepBothEntries) {
  auto s = makeStore({});
  auto a = obj("/a");
  auto b = obj("/b");
  b->key.hash = a->key.hash;  // force a collision: canonical strings differ
  s->insert(a, kT0Ms);
  s->insert(b, kT0Ms);
  CacheKey kb = b->key.copy();
  EXPECT_EQ(s->stats().objects, 2u);
  EXPECT_EQ(s->lookup(keyFor("/a"), nullptr, kT0Ms).entry, a);
  EXPECT_EQ(s->lookup(kb, nullptr, kT0Ms).entry, b);
  EXPECT_EQ(s->remove(keyFor("/a")).objects, 1u);
  EXPECT_EQ(s->lookup(kb, nullptr, kT0Ms).entry, b);
}

// The index keys on 32 bits of the hash: keys that share them (and the shard) but differ in the
// rest share a chain and are told apart by the full key, whatever the insert / remove order.
TEST(StoreIndex, HashFragmentCollisionsAreToldApartByTheFullKey) {
  StoreConfig c;
  c.shards = 4;
  auto s = makeStore(c);
  auto a = obj("/a");
  auto b = obj("/b");
  auto d = obj("/d");
  b->key.hash = a->key.hash ^ (uint64_t(1) << 40);  // same low 32 bits, same shard (top bits)
  d->key.hash = a->key.hash ^ (uint64_t(1) << 33);
  for (auto& e : {a, b, d}) ASSERT_EQ(s->insert(e, kT0Ms), InsertResult::Stored);
  const CacheKey kb = b->key.copy(), kd = d->key.copy();
  EXPECT_EQ(s->lookup(keyFor("/a"), nullptr, kT0Ms).entry, a);
  EXPECT_EQ(s->lookup(kb, nullptr, kT0Ms).entry, b);
  EXPECT_EQ(s->lookup(kd, nullptr, kT0Ms).entry, d);
  CacheKey wrong = kb;  // b's hash with a's canonical form: no entry answers it
  wrong.canonical = a->key.canonical();
  EXPECT_FALSE(s->lookup(wrong, nullptr, kT0Ms));
  EXPECT_EQ(s->remove(kb).objects, 1u);  // the middle of the chain
  EXPECT_EQ(s->lookup(keyFor("/a"), nullptr, kT0Ms).entry, a);
  EXPECT_EQ(s->lookup(kd, nullptr, kT0Ms).entry, d);
  EXPECT_EQ(s->remove(kd).objects, 1u);  // the head
  EXPECT_EQ(s->lookup(keyFor("/a"), nullptr, kT0Ms).entry, a);
  EXPECT_FALSE(s->lookup(kb, nullptr, kT0Ms));
  EXPECT_EQ(s->stats().objects, 1u);
}

TEST(StoreLifetime, ReaderKeepsBodyAfterEviction) {
  auto s = makeStore({});
  s->insert(obj("/k", 1000), kT0Ms);
  auto held = s->lookup(keyFor("/k"), nullptr, kT0Ms).entry;
  ASSERT_TRUE(held);
  s->purgeAll();
  EXPECT_EQ(held->body.size(), 1000u);
  EXPECT_EQ(held->hits.load(), 1u);
}

}  // namespace
}  // namespace cdnlab::edge::cache

// The catalog: objects are a pure function of (seed, id); sizes, TTLs and the uncacheable share
// follow the config; bodies are the bytes byteAt() predicts and small ones are not copied.
#include "origin/catalog/catalog.h"

#include <gtest/gtest.h>

#include <map>

namespace cdnlab::origin::catalog {
namespace {

CatalogConfig mixedConfig(std::uint64_t seed) {
  CatalogConfig c;
  c.objects = 10000;
  c.seed = seed;
  c.size = {Distribution::Kind::LogNormal, 0, 1024, 1 << 20, 16 << 10, 1.0, 0};
  c.cacheControl = {{3, "", 300, 300}, {1, "", 60, 3600}, {1, "public, max-age=5, must-revalidate", 0, 0}};
  c.uncacheableShare = 0.2;
  c.uncacheableValue = "no-store";
  return c;
}

TEST(Catalog, SameSeedSameObjectsDifferentSeedDifferentObjects) {
  std::printf("seeds: 42, 43\n");
  Catalog a(mixedConfig(42)), b(mixedConfig(42)), other(mixedConfig(43));
  int sameSizeAsOther = 0;
  for (std::uint64_t id = 0; id < 1000; ++id) {
    ObjectInfo x = a.object(id), y = b.object(id), z = other.object(id);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.cacheControl, y.cacheControl);
    EXPECT_EQ(x.etag, y.etag);
    EXPECT_EQ(x.lastModified, y.lastModified);
    EXPECT_EQ(x.patternOffset, y.patternOffset);
    EXPECT_EQ(a.body(x).view(), b.body(y).view());
    EXPECT_NE(x.etag, z.etag);
    sameSizeAsOther += x.size == z.size;
  }
  EXPECT_LT(sameSizeAsOther, 50);
  // Asking again (or in another order) changes nothing: no hidden state.
  EXPECT_EQ(a.object(5).etag, a.object(5).etag);
}

TEST(Catalog, EtagsAreDistinctAndQuoted) {
  Catalog c(mixedConfig(1));
  std::map<std::string, int> seen;
  for (std::uint64_t id = 0; id < 10000; ++id) {
    ObjectInfo o = c.object(id);
    ASSERT_EQ(o.etag.size(), 18u);
    EXPECT_EQ(o.etag.front(), '"');
    EXPECT_EQ(o.etag.back(), '"');
    ++seen[o.etag];
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(Catalog, SizesWithinBoundsAndMedianAsConfigured) {
  Catalog c(mixedConfig(7));
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t id = 0; id < 10000; ++id) {
    auto s = c.object(id).size;
    ASSERT_GE(s, 1024u);
    ASSERT_LE(s, 1u << 20);
    sizes.push_back(s);
  }
  std::nth_element(sizes.begin(), sizes.begin() + 5000, sizes.end());
  EXPECT_NEAR(static_cast<double>(sizes[5000]), 16 << 10, (16 << 10) * 0.1);
}

TEST(Catalog, UncacheableShareAndWeightsAsConfigured) {
  Catalog c(mixedConfig(3));
  std::map<std::string, int> byValue;
  int uncacheable = 0, ranged = 0;
  for (std::uint64_t id = 0; id < 10000; ++id) {
    ObjectInfo o = c.object(id);
    if (!o.cacheable) {
      ++uncacheable;
      EXPECT_EQ(o.cacheControl, "no-store");
      continue;
    }
    if (o.cacheControl == "max-age=300") {
      ++byValue["300"];
    } else if (o.cacheControl == "public, max-age=5, must-revalidate") {
      ++byValue["literal"];
    } else {
      ++ranged;
      int age = std::stoi(o.cacheControl.substr(8));
      EXPECT_GE(age, 60);
      EXPECT_LE(age, 3600);
    }
  }
  // 20% uncacheable; of the rest, weights 3:1:1 -> 60% / 20% / 20% (binomial sd ~ 0.5%).
  EXPECT_NEAR(uncacheable / 10000.0, 0.2, 0.02);
  double cacheable = 10000 - uncacheable;
  EXPECT_NEAR(byValue["300"] / cacheable, 0.6, 0.03);
  EXPECT_NEAR(byValue["literal"] / cacheable, 0.2, 0.03);
  EXPECT_NEAR(ranged / cacheable, 0.2, 0.03);
}

TEST(Catalog, PrivateAndLiteralNoStoreAreUncacheable) {
  EXPECT_FALSE(sharedCacheMayStore("no-store"));
  EXPECT_FALSE(sharedCacheMayStore("private, max-age=60"));
  EXPECT_FALSE(sharedCacheMayStore("max-age=60, No-Store"));
  EXPECT_TRUE(sharedCacheMayStore("public, max-age=60"));
  EXPECT_TRUE(sharedCacheMayStore("no-cache"));
  CatalogConfig cfg = mixedConfig(1);
  cfg.uncacheableShare = 1.0;
  cfg.uncacheableValue = "private";
  Catalog c(cfg);
  for (std::uint64_t id = 0; id < 100; ++id) {
    EXPECT_EQ(c.object(id).cacheControl, "private");
    EXPECT_FALSE(c.object(id).cacheable);
  }
}

TEST(Catalog, LastModifiedWithinTheSpreadBeforeTheBase) {
  CatalogConfig cfg = mixedConfig(1);
  Catalog c(cfg);
  for (std::uint64_t id = 0; id < 1000; ++id) {
    auto lm = c.object(id).lastModified;
    EXPECT_LE(lm, cfg.lastModifiedBase);
    EXPECT_GT(lm, cfg.lastModifiedBase - cfg.lastModifiedSpreadS);
  }
}

TEST(Catalog, BodyBytesArePredictableAndSharedNotCopied) {
  Catalog c(mixedConfig(11));
  for (std::uint64_t id : {0, 1, 17, 9998}) {
    ObjectInfo o = c.object(id);
    Buffer b = c.body(o);
    ASSERT_EQ(b.size(), o.size);
    for (std::uint64_t k = 0; k < o.size; k += 97) ASSERT_EQ(static_cast<unsigned char>(b.data()[k]), c.byteAt(o, k));
    ASSERT_EQ(static_cast<unsigned char>(b.data()[o.size - 1]), c.byteAt(o, o.size - 1));
    // Every body of this catalog is a window of one buffer.
    EXPECT_TRUE(b.sharesWith(c.body(c.object(id + 1))));
  }
  // Pattern + largest object: constant, whatever the object count.
  EXPECT_EQ(c.memoryBytes(), Catalog::kPatternPeriod + (1u << 20));
}

TEST(Catalog, ObjectsLargerThanTheSharedWindowAreGeneratedWithTheSameBytes) {
  CatalogConfig cfg = mixedConfig(11);
  cfg.size = {Distribution::Kind::Fixed, 3 << 20, 3 << 20, 3 << 20};  // spans the period 3 times
  Catalog shared(cfg), generated(cfg, 0);
  ObjectInfo o = shared.object(5);
  Buffer a = shared.body(o), b = generated.body(o);
  EXPECT_FALSE(b.sharesWith(generated.body(o)));  // generated per call
  ASSERT_EQ(a.size(), b.size());
  EXPECT_TRUE(a.view() == b.view());
  for (std::uint64_t k : {std::uint64_t{0}, std::uint64_t{1}, Catalog::kPatternPeriod - 1, Catalog::kPatternPeriod,
                          std::uint64_t{(3 << 20) - 1}})
    EXPECT_EQ(static_cast<unsigned char>(b.data()[k]), generated.byteAt(o, k));
}

TEST(Catalog, ServiceTimeFollowsItsDistribution) {
  CatalogConfig cfg = mixedConfig(1);
  cfg.serviceTimeMs = {Distribution::Kind::Uniform, 0, 2, 6};
  Catalog c(cfg);
  double sum = 0;
  for (std::uint64_t i = 0; i < 10000; ++i) {
    double ms = c.serviceTimeMs(i);
    ASSERT_GE(ms, 2);
    ASSERT_LE(ms, 6);
    sum += ms;
  }
  EXPECT_NEAR(sum / 10000, 4, 0.1);
}

}  // namespace
}  // namespace cdnlab::origin::catalog

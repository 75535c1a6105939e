// Loading the catalog section: every field, the defaults, and errors that name file, line, field.
#include "origin/catalog/catalog_config.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace cdnlab::origin::catalog {
namespace {

std::string firstError(std::string_view yaml) {
  auto c = loadCatalogConfigString(yaml, "cat.yaml");
  if (c.ok()) return "(no error)";
  return c.errors()[0].str();
}

TEST(CatalogConfig, ReadsEveryField) {
  const char* yaml = R"(
pops: []          # another reader's section: left alone
catalog:
  objects: 500
  seed: 7
  size: {distribution: pareto, min: 2KiB, max: 8MiB, alpha: 1.3}
  cache_control:
    - {weight: 3, max_age: 5m}
    - {weight: 1, max_age_min: 1m, max_age_max: 1h}
    - {weight: 1, value: "public, max-age=60, stale-while-revalidate=30"}
  uncacheable: {share: 0.1, cache_control: private}
  service_time: {distribution: uniform, min: 1ms, max: 5ms}
  last_modified: 2025-06-01T12:00:00Z
  last_modified_spread: 1d
  content_type: image/webp
)";
  auto c = loadCatalogConfigString(yaml, "cat.yaml");
  ASSERT_TRUE(c.ok()) << config::formatErrors(c.errors());
  EXPECT_EQ(c->objects, 500u);
  EXPECT_EQ(c->seed, 7u);
  EXPECT_EQ(c->size.kind, Distribution::Kind::Pareto);
  EXPECT_EQ(c->size.min, 2048);
  EXPECT_EQ(c->size.max, 8 << 20);
  EXPECT_DOUBLE_EQ(c->size.alpha, 1.3);
  ASSERT_EQ(c->cacheControl.size(), 3u);
  EXPECT_EQ(c->cacheControl[0].maxAgeMin, 300u);
  EXPECT_EQ(c->cacheControl[0].maxAgeMax, 300u);
  EXPECT_EQ(c->cacheControl[1].maxAgeMin, 60u);
  EXPECT_EQ(c->cacheControl[1].maxAgeMax, 3600u);
  EXPECT_EQ(c->cacheControl[2].value, "public, max-age=60, stale-while-revalidate=30");
  EXPECT_DOUBLE_EQ(c->uncacheableShare, 0.1);
  EXPECT_EQ(c->uncacheableValue, "private");
  EXPECT_EQ(c->serviceTimeMs.kind, Distribution::Kind::Uniform);
  EXPECT_DOUBLE_EQ(c->serviceTimeMs.min, 1.0);
  EXPECT_DOUBLE_EQ(c->serviceTimeMs.max, 5.0);
  EXPECT_EQ(c->lastModifiedBase, 1748779200);
  EXPECT_EQ(c->lastModifiedSpreadS, 86400);
  EXPECT_EQ(c->contentType, "image/webp");
}

TEST(CatalogConfig, EmptySectionTakesDefaults) {
  auto c = loadCatalogConfigString("catalog: {}\n", "cat.yaml");
  ASSERT_TRUE(c.ok()) << config::formatErrors(c.errors());
  CatalogConfig d;
  EXPECT_EQ(c->objects, d.objects);
  EXPECT_EQ(c->size.kind, d.size.kind);
  EXPECT_EQ(c->cacheControl.size(), 1u);
  EXPECT_EQ(c->serviceTimeMs.kind, Distribution::Kind::Fixed);
  EXPECT_EQ(c->serviceTimeMs.value, 0);
}

TEST(CatalogConfig, ErrorsNameFileLineAndField) {
  EXPECT_EQ(firstError("pops: []\n"), "cat.yaml:1:1: catalog: required section is missing");
  EXPECT_EQ(firstError("catalog:\n  objcts: 5\n"), "cat.yaml:2:3: catalog.objcts: unknown key (did you mean 'objects'?)");
  EXPECT_EQ(firstError("catalog:\n  objects: many\n"), "cat.yaml:2:12: catalog.objects: expected an integer, got \"many\"");
  EXPECT_EQ(firstError("catalog:\n  objects: 0\n"),
            "cat.yaml:2:12: catalog.objects: must be in [1, 1000000000] (got 0)");
  EXPECT_EQ(firstError("catalog:\n  size: {distribution: zipf}\n"),
            "cat.yaml:2:24: catalog.size.distribution: expected one of fixed, uniform, lognormal, pareto, got \"zipf\"");
  EXPECT_EQ(firstError("catalog:\n  size:\n    distribution: uniform\n    min: 4KiB\n    max: 1KiB\n"),
            "cat.yaml:5:10: catalog.size.max: must be >= min (4KiB)");
  EXPECT_EQ(firstError("catalog:\n  size:\n    distribution: lognormal\n    min: 4KiB\n    max: 8KiB\n    median: 1MiB\n"),
            "cat.yaml:6:13: catalog.size.median: must be within [min, max] (4KiB, 8KiB)");
  EXPECT_EQ(firstError("catalog:\n  size:\n    distribution: fixed\n    value: 1KiB\n    min: 1\n"),
            "cat.yaml:5:5: catalog.size.min: unknown key");
  EXPECT_EQ(firstError("catalog:\n  size: {distribution: uniform, min: 1, max: 2GiB}\n"),
            "cat.yaml:2:9: catalog.size: max must be <= 1GiB");
  EXPECT_EQ(firstError("catalog:\n  cache_control:\n    - {weight: 1, max_age: 5m, value: no-cache}\n"),
            "cat.yaml:3:7: catalog.cache_control[0]: needs exactly one of: value, max_age, or max_age_min + max_age_max");
  EXPECT_EQ(firstError("catalog:\n  cache_control:\n    - {weight: 0, max_age: 5m}\n"),
            "cat.yaml:3:16: catalog.cache_control[0].weight: must be > 0 (got 0)");
  EXPECT_EQ(firstError("catalog:\n  uncacheable: {share: 1.5}\n"),
            "cat.yaml:2:24: catalog.uncacheable.share: must be in [0, 1] (got 1.5)");
  EXPECT_EQ(firstError("catalog:\n  service_time: {distribution: fixed, value: 10}\n"),
            "cat.yaml:2:46: catalog.service_time.value: expected a duration like 10s, 250ms, 1h or 1d, got \"10\": "
            "missing unit (use ns, us, ms, s, m, h, d)");
  EXPECT_EQ(firstError("catalog:\n  last_modified: yesterday\n"),
            "cat.yaml:2:18: catalog.last_modified: expected a UTC time like 2026-01-01T00:00:00Z, got \"yesterday\"");
}

TEST(CatalogConfig, FileErrorsNameThePath) {
  auto c = loadCatalogConfigFile("/nonexistent/catalog.yaml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.errors()[0].str(), "/nonexistent/catalog.yaml: cannot open config file");
}

TEST(CatalogConfig, TheShippedDefaultConfigLoads) {
  // Every example config is loaded by a test (docs/style.md): the catalog section of the default.
  auto path = std::filesystem::path(CDNLAB_SOURCE_DIR) / "configs/catalog.yaml";
  auto c = loadCatalogConfigFile(path.lexically_normal().string());
  ASSERT_TRUE(c.ok()) << config::formatErrors(c.errors());
  EXPECT_GE(c->objects, 1000u);
}

TEST(UtcTimestamp, ParsesOneFormOnly) {
  EXPECT_EQ(parseUtcTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseUtcTimestamp("2026-01-01T00:00:00Z"), 1767225600);
  EXPECT_FALSE(parseUtcTimestamp("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parseUtcTimestamp("2026-01-01 00:00:00"));
  EXPECT_FALSE(parseUtcTimestamp("2026-01-01T24:00:00Z"));
}

}  // namespace
}  // namespace cdnlab::origin::catalog

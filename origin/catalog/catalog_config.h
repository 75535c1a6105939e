// The catalog origin's configuration: which synthetic objects exist and how they look (size,
// Cache-Control, validators) and how slowly the origin answers. Read from the `catalog:` section
// of a YAML file (docs/config.md documents every field); immutable once loaded. The Catalog
// (catalog.h) turns it into objects.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "common/config/error.h"
#include "common/config/reader.h"
#include "origin/catalog/distribution.h"

namespace cdnlab::origin::catalog {

// One weighted choice of the Cache-Control an object gets.
struct CacheControlChoice {
  double weight = 1;
  std::string value;         // a literal Cache-Control value; empty: built from max-age below
  std::uint64_t maxAgeMin = 0;  // seconds; "max-age=N" with N uniform in [maxAgeMin, maxAgeMax]
  std::uint64_t maxAgeMax = 0;
};

struct CatalogConfig {
  std::uint64_t objects = 10000;  // ids 0 .. objects-1
  std::uint64_t seed = 1;         // everything about object i is a function of (seed, i)
  // Sizes: mostly small web objects, a heavy-ish tail, bounded.
  Distribution size{Distribution::Kind::LogNormal, 0, 1024, 4 << 20, 16 << 10, 1.0, 0};
  // Cache-Control of cacheable objects, one picked per object by weight.
  std::vector<CacheControlChoice> cacheControl{{1, "", 60, 3600}};
  double uncacheableShare = 0.05;            // in [0, 1]: share of objects that get uncacheableValue
  std::string uncacheableValue = "no-store";  // "no-store" or "private"
  Distribution serviceTimeMs{};              // per request, ms; default fixed 0 (answer at once)
  std::time_t lastModifiedBase = 1767225600;  // 2026-01-01T00:00:00Z
  std::int64_t lastModifiedSpreadS = 30 * 86400;  // object i's Last-Modified: base - [0, spread)
  std::string contentType = "application/octet-stream";
};

// Reads a catalog section (the mapping under `catalog:`). Errors are recorded in the document.
CatalogConfig readCatalogConfig(config::Object& section);

// Loads `path` and reads its `catalog:` section; other top-level sections (pops:, regions: ...)
// belong to other readers and are left alone. No `catalog:` key: an error.
config::Parsed<CatalogConfig> loadCatalogConfigFile(const std::string& path);
config::Parsed<CatalogConfig> loadCatalogConfigString(std::string_view yaml, std::string name);

// "2026-01-01T00:00:00Z" (UTC, seconds) -> epoch seconds.
std::optional<std::time_t> parseUtcTimestamp(std::string_view text);

}  // namespace cdnlab::origin::catalog

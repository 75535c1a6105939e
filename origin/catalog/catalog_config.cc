#include "origin/catalog/catalog_config.h"

#include <cmath>
#include <limits>

namespace cdnlab::origin::catalog {
namespace {

using config::Object;

// How a distribution's bounds are written: byte sizes ("16KiB") or durations ("5ms").
enum class Unit { Bytes, Millis };

double readQuantity(Object& o, std::string_view key, Unit unit) {
  if (unit == Unit::Bytes) return static_cast<double>(o.bytes(key, config::atLeast<std::uint64_t>(1)));
  return std::chrono::duration<double, std::milli>(o.duration(key)).count();
}

std::string showQuantity(double v, Unit unit) {
  if (unit == Unit::Bytes) return config::formatByteSize(static_cast<std::uint64_t>(v));
  return config::formatDuration(config::Duration(static_cast<std::int64_t>(v * 1e6)));
}

// `distribution: fixed|uniform|lognormal|pareto` plus that kind's parameters; every kind but
// fixed is bounded by min and max.
Distribution readDistribution(Object o, Unit unit) {
  Distribution d;
  std::size_t errorsBefore = o.errorCount();
  std::string kind = o.choice("distribution", {"fixed", "uniform", "lognormal", "pareto"});
  if (o.errorCount() != errorsBefore) {
    o.silence();  // the kind decides which keys exist: judging them would only add noise
    return d;
  }
  if (kind == "fixed") {
    d.kind = Distribution::Kind::Fixed;
    d.value = readQuantity(o, "value", unit);
    d.min = d.max = d.value;
    return d;
  }
  d.min = readQuantity(o, "min", unit);
  d.max = readQuantity(o, "max", unit);
  if (o.has("min") && o.has("max") && d.max < d.min) {
    o.fail("max", "must be >= min (" + showQuantity(d.min, unit) + ")");
    d.max = d.min;
  }
  if (kind == "uniform") {
    d.kind = Distribution::Kind::Uniform;
  } else if (kind == "lognormal") {
    d.kind = Distribution::Kind::LogNormal;
    d.median = readQuantity(o, "median", unit);
    d.sigma = o.number("sigma", 1.0, config::between(0.01, 10.0));
    // ln(min) must exist, and the median must lie inside the bounds or almost no mass would.
    if (d.min <= 0) {
      o.fail("min", "must be > 0 for a lognormal distribution");
      d.min = 1e-3;
    }
    if (o.has("median") && (d.median < d.min || d.median > d.max)) {
      o.fail("median", "must be within [min, max] (" + showQuantity(d.min, unit) + ", " +
                           showQuantity(d.max, unit) + ")");
      d.median = d.min;
    }
  } else {
    d.kind = Distribution::Kind::Pareto;
    d.alpha = o.number("alpha", 1.2, config::between(0.05, 20.0));
    if (d.min <= 0) {
      o.fail("min", "must be > 0 for a pareto distribution (it is the scale)");
      d.min = 1e-3;
    }
  }
  return d;
}

std::vector<CacheControlChoice> readCacheControl(Object& section) {
  std::vector<CacheControlChoice> out;
  if (!section.has("cache_control")) return CatalogConfig{}.cacheControl;
  auto items = section.objectList("cache_control");
  if (items.empty()) section.fail("cache_control", "must list at least one choice");
  for (Object& item : items) {
    CacheControlChoice c;
    c.weight = item.number("weight", 1.0, config::greaterThan(0.0));
    bool literal = item.has("value");
    bool fixedAge = item.has("max_age");
    bool range = item.has("max_age_min") || item.has("max_age_max");
    if (literal + fixedAge + range != 1) {
      item.failHere("needs exactly one of: value, max_age, or max_age_min + max_age_max");
      item.string("value", "");  // mark as read: the one error above says it all
      item.duration("max_age", config::Duration::zero(), {});
      item.duration("max_age_min", config::Duration::zero(), {});
      item.duration("max_age_max", config::Duration::zero(), {});
      continue;
    }
    auto seconds = [](config::Duration d) {
      return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
    };
    if (literal) {
      c.value = item.string("value");
      if (c.value.empty() || c.value.find_first_of("\r\n") != std::string::npos)
        item.fail("value", "must be a non-empty single-line Cache-Control value");
    } else if (fixedAge) {
      c.maxAgeMin = c.maxAgeMax = seconds(item.duration("max_age"));
    } else {
      c.maxAgeMin = seconds(item.duration("max_age_min"));
      c.maxAgeMax = seconds(item.duration("max_age_max"));
      if (c.maxAgeMax < c.maxAgeMin) item.fail("max_age_max", "must be >= max_age_min");
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::optional<std::time_t> parseUtcTimestamp(std::string_view t) {
  // Exactly YYYY-MM-DDTHH:MM:SSZ: one unambiguous form, UTC.
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
      t[19] != 'Z')
    return std::nullopt;
  auto num = [&](size_t pos, size_t len) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 ||
      s > 59)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::time_t v = timegm(&tm);
  // timegm normalises Feb 30 into March: reject dates that did not round-trip.
  std::tm back{};
  gmtime_r(&v, &back);
  if (back.tm_mday != d || back.tm_mon != mo - 1) return std::nullopt;
  return v;
}

CatalogConfig readCatalogConfig(Object& s) {
  CatalogConfig c;
  c.objects = static_cast<std::uint64_t>(s.integer("objects", static_cast<std::int64_t>(c.objects),
                                                   config::between<std::int64_t>(1, 1'000'000'000)));
  c.seed = static_cast<std::uint64_t>(s.integer("seed", 1, config::atLeast<std::int64_t>(0)));
  if (auto size = s.optionalObject("size")) c.size = readDistribution(*size, Unit::Bytes);
  // Bodies are served from memory; a cap keeps a typo ("4GiB") from exhausting it.
  if (c.size.max > double(1ull << 30)) s.fail("size", "max must be <= 1GiB");
  c.cacheControl = readCacheControl(s);
  if (auto u = s.optionalObject("uncacheable")) {
    c.uncacheableShare = u->number("share", c.uncacheableShare, config::between(0.0, 1.0));
    c.uncacheableValue = u->choice("cache_control", {"no-store", "private"}, c.uncacheableValue);
  }
  if (auto st = s.optionalObject("service_time")) c.serviceTimeMs = readDistribution(*st, Unit::Millis);
  if (c.serviceTimeMs.max > 60'000) s.fail("service_time", "max must be <= 60s");
  if (s.has("last_modified")) {
    std::string text = s.string("last_modified");
    if (auto t = parseUtcTimestamp(text)) {
      c.lastModifiedBase = *t;
    } else {
      s.fail("last_modified", "expected a UTC time like 2026-01-01T00:00:00Z, got \"" + text + "\"");
    }
  }
  c.lastModifiedSpreadS = std::chrono::duration_cast<std::chrono::seconds>(
                              s.duration("last_modified_spread", std::chrono::seconds(c.lastModifiedSpreadS),
                                         config::between<config::Duration>(std::chrono::seconds(0),
                                                                           std::chrono::hours(24 * 3650))))
                              .count();
  c.contentType = s.string("content_type", c.contentType);
  if (c.contentType.empty() || c.contentType.find_first_of("\r\n") != std::string::npos)
    s.fail("content_type", "must be a non-empty single-line media type");
  return c;
}

namespace {
CatalogConfig readRoot(Object& root) {
  // The file may hold other sections (pops:, regions: ...) for other readers.
  root.allowOtherKeys();
  Object section = root.object("catalog");
  return readCatalogConfig(section);
}
}  // namespace

config::Parsed<CatalogConfig> loadCatalogConfigFile(const std::string& path) {
  return config::loadFile(path, readRoot);
}

config::Parsed<CatalogConfig> loadCatalogConfigString(std::string_view yaml, std::string name) {
  return config::loadString(yaml, std::move(name), readRoot);
}

}  // namespace cdnlab::origin::catalog

#include "origin/catalog/catalog.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/hash.h"
#include "common/http/message.h"

namespace cdnlab::origin::catalog {
namespace {

// Independent hash streams per property: changing how one is drawn never shifts another.
enum Stream : std::uint64_t {
  kSize = 1,
  kUncacheable = 2,
  kChoice = 3,
  kMaxAge = 4,
  kEtag = 5,
  kOffset = 6,
  kLastModified = 7,
  kService = 8,
  kPattern = 9,
};

std::string hex16(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[i] = digits[v & 15];
  return s;
}

}  // namespace

bool sharedCacheMayStore(std::string_view cc) {
  return !http::listHasToken(cc, "no-store") && !http::listHasToken(cc, "private");
}

Catalog::Catalog(CatalogConfig config, std::uint64_t maxSharedWindow) : config_(std::move(config)) {
  double sum = 0;
  for (const auto& c : config_.cacheControl) {
    sum += c.weight;
    cumulativeWeight_.push_back(sum);
  }
  // The pattern: kPatternPeriod pseudo-random bytes from the seed, then repeated so that any
  // object up to the window size is one contiguous slice starting at its offset.
  std::uint64_t window = std::min<std::uint64_t>(static_cast<std::uint64_t>(config_.size.max), maxSharedWindow);
  std::string bytes(kPatternPeriod + window, '\0');
  for (std::uint64_t i = 0; i < kPatternPeriod; i += 8) {
    std::uint64_t word = hash(i / 8, kPattern);
    std::memcpy(&bytes[i], &word, 8);
  }
  for (std::uint64_t i = kPatternPeriod; i < bytes.size(); i += kPatternPeriod)
    std::memcpy(&bytes[i], bytes.data(), std::min<std::uint64_t>(kPatternPeriod, bytes.size() - i));
  pattern_ = Buffer(std::move(bytes));
}

std::uint64_t Catalog::hash(std::uint64_t id, std::uint64_t stream) const {
  std::uint64_t parts[3] = {config_.seed, id, stream};
  return XXH3_64bits(parts, sizeof parts);
}

double Catalog::uniform(std::uint64_t id, std::uint64_t stream) const {
  return static_cast<double>(hash(id, stream) >> 11) * 0x1.0p-53;  // 53 bits -> [0, 1)
}

ObjectInfo Catalog::object(std::uint64_t id) const {
  ObjectInfo o;
  o.id = id;
  o.size = static_cast<std::uint64_t>(std::llround(config_.size.sample(uniform(id, kSize))));
  if (uniform(id, kUncacheable) < config_.uncacheableShare) {
    o.cacheControl = config_.uncacheableValue;
  } else {
    double pick = uniform(id, kChoice) * cumulativeWeight_.back();
    size_t i = std::upper_bound(cumulativeWeight_.begin(), cumulativeWeight_.end(), pick) - cumulativeWeight_.begin();
    const CacheControlChoice& c = config_.cacheControl[std::min(i, cumulativeWeight_.size() - 1)];
    if (!c.value.empty()) {
      o.cacheControl = c.value;
    } else {
      std::uint64_t span = c.maxAgeMax - c.maxAgeMin + 1;
      std::uint64_t age = c.maxAgeMin + std::min<std::uint64_t>(span - 1, uniform(id, kMaxAge) * span);
      o.cacheControl = "max-age=" + std::to_string(age);
    }
  }
  o.cacheable = sharedCacheMayStore(o.cacheControl);
  // The ETag covers the size too: a config change that resizes the object changes its validator.
  o.etag = "\"" + hex16(hashCombine(hash(id, kEtag), o.size)) + "\"";
  o.lastModified = config_.lastModifiedBase -
                   static_cast<std::time_t>(uniform(id, kLastModified) * static_cast<double>(config_.lastModifiedSpreadS));
  o.patternOffset = hash(id, kOffset) % kPatternPeriod;
  return o;
}

Buffer Catalog::body(const ObjectInfo& info) const {
  if (info.patternOffset + info.size <= pattern_.size()) return pattern_.slice(info.patternOffset, info.size);
  std::string bytes(info.size, '\0');
  const char* p = pattern_.data();
  std::uint64_t k = 0;
  std::uint64_t pos = info.patternOffset;
  while (k < info.size) {
    std::uint64_t n = std::min(info.size - k, kPatternPeriod - pos);
    std::memcpy(&bytes[k], p + pos, n);
    k += n;
    pos = 0;
  }
  return Buffer(std::move(bytes));
}

unsigned char Catalog::byteAt(const ObjectInfo& info, std::uint64_t k) const {
  std::uint64_t pos = (info.patternOffset + k) % kPatternPeriod;
  std::uint64_t word = hash(pos / 8, kPattern);
  unsigned char b[8];
  std::memcpy(b, &word, 8);
  return b[pos % 8];
}

double Catalog::serviceTimeMs(std::uint64_t draw) const {
  // Ids and draws share the hash space but not the stream, so they never correlate.
  return config_.serviceTimeMs.sample(uniform(draw, kService));
}

}  // namespace cdnlab::origin::catalog

// The synthetic object catalog behind the catalog origin: object i's size, Cache-Control, ETag,
// Last-Modified and bytes are a pure function of (seed, i), so PoP tests and the load generator
// can predict what the origin serves without asking it. No per-object state is kept: metadata is
// derived on each call (a few XXH3 hashes), and bodies are windows of one shared pattern.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "common/buffer.h"
#include "origin/catalog/catalog_config.h"

namespace cdnlab::origin::catalog {

struct ObjectInfo {
  std::uint64_t id = 0;
  std::uint64_t size = 0;          // body bytes
  std::string cacheControl;        // the Cache-Control header value
  std::string etag;                // strong validator, quoted: "\"5f0c...\""
  std::time_t lastModified = 0;    // epoch seconds (whole seconds, as HTTP-dates carry)
  bool cacheable = true;           // a shared cache may store it (no no-store, no private)
  std::uint64_t patternOffset = 0;  // where its bytes start in the seed's pattern (see byteAt)
};

class Catalog {
 public:
  // The pattern period: object bytes are pattern[(patternOffset + k) % kPatternPeriod].
  static constexpr std::uint64_t kPatternPeriod = 1 << 20;
  // Objects up to this size are served as zero-copy windows of one shared buffer of
  // kPatternPeriod + min(max object size, kMaxSharedWindow) bytes; larger ones are generated
  // per request.
  static constexpr std::uint64_t kMaxSharedWindow = 64ull << 20;

  // `maxSharedWindow` is for tests (0 forces the generated-per-request path).
  explicit Catalog(CatalogConfig config, std::uint64_t maxSharedWindow = kMaxSharedWindow);

  const CatalogConfig& config() const { return config_; }
  std::uint64_t count() const { return config_.objects; }
  bool contains(std::uint64_t id) const { return id < config_.objects; }

  // Everything about object `id` (< count()). Pure: same config, same answer, any thread.
  ObjectInfo object(std::uint64_t id) const;
  // The object's body. Shares bytes with the catalog's pattern when it fits (no copy).
  Buffer body(const ObjectInfo& info) const;
  // Byte k of the object's body, computed directly (tests and body verification).
  unsigned char byteAt(const ObjectInfo& info, std::uint64_t k) const;

  // A service time in ms for the `draw`-th request (any number; e.g. a per-worker counter).
  double serviceTimeMs(std::uint64_t draw) const;
  // Bytes held by the catalog (the shared pattern buffer), for memory accounting.
  std::uint64_t memoryBytes() const { return pattern_.size(); }

 private:
  // Uniform in [0, 1) from (seed, id, stream): the only randomness in the catalog.
  double uniform(std::uint64_t id, std::uint64_t stream) const;
  std::uint64_t hash(std::uint64_t id, std::uint64_t stream) const;

  CatalogConfig config_;
  std::vector<double> cumulativeWeight_;  // for picking a CacheControlChoice by weight
  Buffer pattern_;
};

// True when a Cache-Control value lets a shared cache store the response (RFC 9111 3: neither
// no-store nor private).
bool sharedCacheMayStore(std::string_view cacheControl);

}  // namespace cdnlab::origin::catalog

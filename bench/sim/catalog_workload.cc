// The catalog workload: Zipf ranks by inverse CDF over splitmix64 draws (the same seed, the same
// trace), object metadata from origin/catalog, freshness from the PoP's RFC 9111 code.
#include "bench/sim/catalog_workload.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "edge/cache/freshness.h"

namespace cdnlab::sim {

namespace {

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

ResponseFreshness catalogFreshness(const origin::catalog::ObjectInfo& object) {
  namespace cache = edge::cache;
  cache::Headers h;
  h.add("Cache-Control", object.cacheControl);
  h.add("ETag", object.etag);
  h.add("Last-Modified", cache::formatHttpDate(object.lastModified));
  const cache::ResponseView response{200, &h};
  const cache::RequestView request;  // GET, no headers
  const cache::FreshnessConfig config;  // the PoP's defaults
  ResponseFreshness f;
  f.storable = cache::isStorable(request, response, config, 0) == cache::StoreVerdict::Store;
  const cache::CacheControl cc = cache::parseCacheControl(object.cacheControl);
  if (auto life = cache::freshnessLifetime(response, config, 0))
    f.maxAgeS = uint32_t(std::clamp<int64_t>(life->seconds, 0, ResponseFreshness::kForever - 1));
  if (cc.noCache) f.maxAgeS = 0;  // stored, but every use revalidates (RFC 9111 5.2.2.4)
  f.staleWhileRevalidateS = uint32_t(std::clamp<int64_t>(cc.staleWhileRevalidate.value_or(0), 0, UINT32_MAX));
  return f;
}

Result<Trace> catalogWorkload(const origin::catalog::CatalogConfig& catalog, const CatalogWorkloadSpec& spec) {
  const uint64_t n = spec.objects ? spec.objects : catalog.objects;
  if (n == 0 || n > catalog.objects)
    return Error{0, "catalog workload: objects must be 1.." + std::to_string(catalog.objects) + " (the catalog's)"};
  if (n > UINT32_MAX) return Error{0, "catalog workload: more than 4 billion objects are not supported"};
  if (spec.requests == 0 || spec.requests >= Request::kNever - 1)
    return Error{0, "catalog workload: requests must be 1..4 billion"};
  if (!(spec.alpha >= 0)) return Error{0, "catalog workload: alpha must be >= 0"};
  if (!(spec.rate > 0)) return Error{0, "catalog workload: rate must be > 0"};

  std::vector<double> cdf(n);
  double sum = 0;
  for (uint64_t r = 0; r < n; ++r) cdf[r] = sum += 1.0 / std::pow(double(r + 1), spec.alpha);

  const origin::catalog::Catalog cat(catalog, 0);
  Trace t;
  t.source = "catalog workload";
  // Objects are numbered in order of first request (the trace readers' convention).
  std::vector<uint32_t> number(n, UINT32_MAX);
  std::vector<ResponseFreshness> byObject;
  t.requests.reserve(spec.requests);
  t.freshness.reserve(spec.requests);
  uint64_t rng = spec.seed;
  for (uint64_t i = 0; i < spec.requests; ++i) {
    const double u = double(splitmix(rng) >> 11) * 0x1.0p-53 * sum;
    const uint64_t id = std::min<uint64_t>(uint64_t(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin()), n - 1);
    if (number[id] == UINT32_MAX) {
      const origin::catalog::ObjectInfo info = cat.object(id);
      number[id] = uint32_t(t.keys.size());
      t.keys.push_back(id);
      t.firstSize.push_back(uint32_t(std::min<uint64_t>(info.size, UINT32_MAX)));
      byObject.push_back(catalogFreshness(info));
    }
    const uint32_t obj = number[id];
    t.requests.push_back(Request{obj, t.firstSize[obj], uint32_t(double(i) / spec.rate), 0});
    t.freshness.push_back(byObject[obj]);
  }
  t.linkNextAccesses();
  return t;
}

}  // namespace cdnlab::sim

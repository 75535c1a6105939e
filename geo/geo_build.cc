#include "geo/geo_build.h"

#include "geo/city_record.h"

namespace cdnlab::geo {

MmdbWriter buildRegionDatabase(const Topology& topo, uint64_t buildEpoch) {
  MmdbWriterOptions opts;
  opts.databaseType = "cdnlab-City";
  opts.description["en"] = "cdnlab client regions from " + topo.file;
  opts.buildEpoch = buildEpoch;
  MmdbWriter w(opts);
  for (const auto& r : topo.regions) {
    // Blocks are validated IPv4 loopback networks, so insert cannot fail on an IPv6 layout.
    (void)w.insert(r.block, cityRecord(r.city, r.country, r.location, r.name));
  }
  return w;
}

Result<bool> writeRegionDatabase(const Topology& topo, const std::string& path) {
  return buildRegionDatabase(topo).writeFile(path);
}

}  // namespace cdnlab::geo

// `cdnlab geo build`: a topology's client regions as a MaxMind DB. Each region's loopback block
// maps to its city, country and coordinates (GeoIP2 City layout) plus cdnlab.region, so the
// router locates a client bound to 127.10.0.5 exactly as it would a real address.
#pragma once

#include <string>

#include "common/result.h"
#include "geo/mmdb_writer.h"
#include "geo/topology.h"

namespace cdnlab::geo {

// The writer holding every region of `topo` (IPv6 layout with IPv4 under ::/96, like GeoIP2).
MmdbWriter buildRegionDatabase(const Topology& topo, uint64_t buildEpoch = 0);

// buildRegionDatabase() written to `path`.
Result<bool> writeRegionDatabase(const Topology& topo, const std::string& path);

}  // namespace cdnlab::geo

// The workload `cdnlab load` sends to a topology, as a trace for the topology replay: GET
// /obj/<id> with ids ranked by Zipf(alpha) over the catalog (rank r is object r, the load
// generator's default popularity), each object with the size and Cache-Control the catalog
// origin gives it, `rate` requests per second of virtual time. The response freshness of each
// request is what the PoP's own code (edge/cache/freshness.h, default settings) makes of the
// object's Cache-Control: its lifetime, its stale-while-revalidate window, and whether it may
// be stored at all (no-store, private).
#pragma once

#include <cstdint>

#include "bench/sim/trace.h"
#include "common/result.h"
#include "origin/catalog/catalog.h"

namespace cdnlab::sim {

struct CatalogWorkloadSpec {
  uint64_t requests = 1'000'000;
  uint64_t objects = 0;  // ids drawn from 0 .. objects-1; 0: the catalog's object count
  double alpha = 0.9;
  uint64_t seed = 1;
  double rate = 200;  // requests per second of virtual time (Request::time)
};

Result<Trace> catalogWorkload(const origin::catalog::CatalogConfig& catalog, const CatalogWorkloadSpec& spec);

// What the PoP makes of one catalog object's response headers.
ResponseFreshness catalogFreshness(const origin::catalog::ObjectInfo& object);

}  // namespace cdnlab::sim

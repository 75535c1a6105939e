// Topology replay (`cdnlab sim --topology`): a trace's requests go through a whole CDN in
// virtual time, no sockets: each request comes from a client region (drawn by the regions'
// shares), is routed to an edge PoP by the router's own selection code (geo/pop_selector.h),
// and a miss climbs the PoP's upstream chain (shield, then origin), every tier a LeanCache
// with the PoP's policy and capacity. The latency of each request is the topology's latency
// model (geo/latency_model.h) over the hops it travelled, plus the region's last mile and the
// body's transfer time. Single-threaded and deterministic for a seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/sim/trace.h"
#include "common/result.h"
#include "geo/topology.h"

namespace cdnlab::sim {

struct ReplayOptions {
  uint64_t seed = 1;  // region draws (and the weighted router's draws)
  // The virtual clock of the TTLs: request i is at i / rate seconds when rate > 0, else at its
  // trace time (Request::time, whole seconds).
  double rate = 0;
  // How long past its stale windows an entry with a validator is kept for revalidation (the
  // PoP's --keep, default 10 minutes); after that it is dropped and refetched.
  int64_t keepS = 600;
};

// Hits are what the live PoP counts as hits: served from its cache without waiting for upstream
// (fresh, or stale within stale-while-revalidate). A revalidation is a request, not a hit.
struct TierStats {
  uint64_t requests = 0, hits = 0;
  uint64_t revalidations = 0, expired = 0;  // TTL traces only
  uint64_t upstream = 0;  // requests it sent to the tier above (misses, revalidations, refreshes)
  uint64_t bytes = 0, hitBytes = 0;
  double hitRatio() const { return requests ? double(hits) / double(requests) : 0; }
  double byteHitRatio() const { return bytes ? double(hitBytes) / double(bytes) : 0; }
};

struct PopReplay {
  std::string id;
  geo::Tier tier = geo::Tier::Edge;
  std::string policy;
  uint64_t capacityBytes = 0;
  TierStats stats;
};

struct RegionReplay {
  std::string name;
  std::vector<std::string> pops;  // the edge PoPs it was routed to (one unless weighted)
  TierStats edge;                 // at its edge PoPs
  uint64_t originRequests = 0;
  double meanMs = 0, p50Ms = 0, p90Ms = 0, p99Ms = 0;
};

struct ReplayResult {
  std::vector<PopReplay> pops;  // topology order
  std::vector<RegionReplay> regions;
  uint64_t requests = 0, bytes = 0;
  uint64_t originRequests = 0, originBytes = 0;
  double seconds = 0, cpuSeconds = 0;  // the replay loop only
  // Share of requests (bytes) the CDN answered without the origin.
  double offload() const { return requests ? 1 - double(originRequests) / double(requests) : 0; }
  double byteOffload() const { return bytes ? 1 - double(originBytes) / double(bytes) : 0; }
};

Result<ReplayResult> replayTopology(const geo::Topology& topo, const Trace& trace, const ReplayOptions& o = {});

// The terminal tables: per PoP (tier, policy, capacity, requests, hit ratio, byte hit ratio)
// and per region (PoP, requests, edge hit ratio, latency mean / p50 / p90 / p99), then offload.
std::string formatReplay(const ReplayResult& r);

}  // namespace cdnlab::sim

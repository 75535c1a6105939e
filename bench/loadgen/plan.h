// What a load run is asked to do, resolved from the topology and the command line before any
// socket opens (cli/load_command.cc builds it; plan.cc turns a topology into one). Immutable
// while the run goes on; every worker thread reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "geo/latency_model.h"

namespace cdnlab::geo {
struct Topology;
}

namespace cdnlab::loadgen {

struct Endpoint {
  std::string host;  // numeric IPv4
  int port = 0;
};

// A PoP the clients may be sent to, with what the latency model charges to reach it.
struct PopEndpoint {
  std::string id;
  Endpoint address;
};

struct RegionPlan {
  std::string name;
  double rate = 0;        // open loop: requests/s of this region over all threads
  double share = 1;       // closed loop: share of the connections
  double zipfAlpha = 0.9;
  uint32_t firstSource = 0;  // first client source address (host order); 0 = do not bind
  uint32_t sourceCount = 0;  // how many consecutive addresses the region's sockets use
  std::vector<double> rttMs;  // per LoadPlan::pops entry: RTT(region, PoP) + the region's last mile
  double bandwidthMbps = 50;  // last mile: response bodies take size / bandwidth + slow start
};

// One class of a request mix (the topology's load.mix): the path around one placeholder.
struct PathClass {
  double weight = 1;
  std::string prefix, suffix;  // the path before and after the placeholder
  int idWidth = 0;             // {id:05} -> 5 (zero-padded); 0: plain
  uint64_t objects = 0;        // ids are the ranked object id modulo this (0: plan objects)
  std::vector<std::string> values;  // {value}: values[id % size]
  bool post = false;                // POST with a JSON body (else GET)
  bool placeholderInBody = false;   // the id goes into the body; prefix is then the whole path
  std::string bodyPrefix, bodySuffix;  // the body around its placeholder (all in bodyPrefix when none)
};

// "/api/products/p00042": the path of `c` for the ranked object id.
std::string mixPath(const PathClass& c, uint64_t objectId);
// A POST's body for the ranked object id ("" for a GET).
std::string mixBody(const PathClass& c, uint64_t objectId);
// Which class a request takes: `u` uniform in [0, 1) over the classes' weights.
size_t pickClass(const std::vector<PathClass>& mix, double u);

struct LoadPlan {
  // Empty: every request is GET /obj/<id>. Otherwise each request picks a class by weight.
  std::vector<PathClass> mix;
  std::vector<RegionPlan> regions;
  std::vector<PopEndpoint> pops;
  // Either a fixed target (--target; every region talks to it) or a router to ask (`GET /`
  // -> 302 Location of the PoP, Cache-Control max-age = how long the answer holds).
  std::optional<Endpoint> target;
  std::string targetPath;         // fixed path for --target URL with a path; empty = the workload
  int targetPop = -1;             // index in pops the target stands for (latency model), -1: none
  std::optional<Endpoint> router;
  int64_t routerTtlMs = 30000;    // when the 302 carries no max-age
  std::optional<Endpoint> origin;  // scraped (/metrics) for offload, when known

  uint64_t objects = 10000;       // catalog ids 0 .. objects-1, requested as /obj/<id>
  bool perRegionRanking = false;
  bool closedLoop = false;
  int connections = 64;           // closed loop: total; open loop: most per region and thread
  int threads = 1;
  int64_t durationNs = 0;         // 0: bounded by `requests` only
  int64_t warmupNs = 0;
  uint64_t requests = 0;          // measured requests to send; 0: bounded by duration only
  uint64_t seed = 1;
  bool latencyModel = false;
  geo::LatencyParams latency;  // jitter and transfer time of the client hop
  int64_t responseTimeoutMs = 10000;
};

// Parses "http://host:port[/path]" (numeric IPv4 host or localhost).
Result<Endpoint> parseUrl(const std::string& url, std::string* path = nullptr);
// Regions, PoPs, router, origin and RTTs from a topology (rates = the region's rate scaled so
// that all regions sum to totalRate when totalRate > 0).
LoadPlan planFromTopology(const geo::Topology& topo, double totalRate);

}  // namespace cdnlab::loadgen

// How a load run is shown: the live progress line, the final tables (per PoP with a shield-tier
// row, per region, outcomes, latency per outcome per region, origin offload) and the JSON
// document (`--json`), all from a merged Results. Pure. A value that was not measured (a hit
// ratio of no requests, a percentile of no samples, offload without an origin) is shown as "-"
// and left out of the JSON, never printed as 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/loadgen/results.h"

namespace cdnlab::loadgen {

// Origin offload from the origin's own counters (scraped before and after the measurement):
// the share of client requests / bytes the origin did not have to serve.
struct Offload {
  double originRequests = 0;
  double originBytes = 0;
  uint64_t clientRequests = 0;
  uint64_t clientBytes = 0;
  double requestOffload() const {
    return clientRequests ? 1.0 - originRequests / static_cast<double>(clientRequests) : 0.0;
  }
  double byteOffload() const { return clientBytes ? 1.0 - originBytes / static_cast<double>(clientBytes) : 0.0; }
};

// The run's configuration as resolved, written into the JSON so a result file says what
// produced it.
struct RunConfig {
  std::optional<double> requestedDurationS;  // --duration (absent: bounded by --requests)
  uint64_t requests = 0;                     // --requests (0: none)
  uint64_t objects = 0;
  std::string router;  // host:port, when routed
  std::string origin;  // host:port, when known
  struct Region {
    std::string name;
    double rate = 0;
    double share = 0;
  };
  std::vector<Region> regions;
  std::vector<std::pair<std::string, std::string>> pops;  // id, host:port
};

struct RunInfo {
  uint64_t seed = 0;
  std::string mode;  // "open" or "closed"
  std::string target;  // the --target URL or the topology file
  double rate = 0;     // open loop: requests/s over all regions
  int connections = 0;
  int threads = 1;
  double durationS = 0;  // measured part actually run
  double warmupS = 0;
  bool latencyModel = false;
  std::string startedAt;  // ISO 8601 UTC, when the run started
  bool interrupted = false;  // Ctrl-C: the results are what was measured until then
  uint64_t queueFull = 0;  // open-loop arrivals dropped because the client's queue was full
  uint64_t notSent = 0;    // arrivals still waiting for a connection when the run ended
  std::vector<std::pair<std::string, uint64_t>> errorCauses;  // "connection refused" -> n
  RunConfig config;
  std::optional<Offload> offload;
  // What each tier did (bench/loadgen/tiers.h), a JSON object written as "tiers"; empty: none.
  std::string tiersJson;
};

// "  12s/30s  requests 2400  hit 61.2%  p99 183.4ms"
std::string progressLine(double elapsedS, double totalS, uint64_t requests, double hitRatio, double p99Ms);
std::string renderTables(const Results& r, const RunInfo& info);
std::string renderJson(const Results& r, const RunInfo& info);
// Now as "2026-12-01T00:16:06Z".
std::string utcTimestamp();

}  // namespace cdnlab::loadgen

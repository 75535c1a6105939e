// How a load run is shown: the live progress line, the final tables (per PoP, per region,
// overall, origin offload) and the JSON document (`--json`), all from a merged Results. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
  uint64_t dropped = 0;  // open-loop arrivals that could not be queued
  std::optional<Offload> offload;
};

// "  12s/30s  requests 2400  hit 61.2%  p99 183.4ms"
std::string progressLine(double elapsedS, double totalS, uint64_t requests, double hitRatio, double p99Ms);
std::string renderTables(const Results& r, const RunInfo& info);
std::string renderJson(const Results& r, const RunInfo& info);

}  // namespace cdnlab::loadgen

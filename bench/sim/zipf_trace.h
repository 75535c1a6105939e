// `cdnlab sim gen zipf`: synthetic traces in oracleGeneral format. Object ranks are Zipf(alpha)
// over `objects` ids, sizes log-uniform in [minSize, maxSize] per object (fixed for the object),
// one request per second of trace time per `rate` requests, next-access indexes filled in.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace cdnlab::sim {

struct ZipfTraceSpec {
  uint64_t objects = 1'000'000;
  double alpha = 1.0;
  uint64_t requests = 10'000'000;
  uint32_t minSize = 1024, maxSize = 128 * 1024;
  uint64_t seed = 1;
  uint32_t ratePerSecond = 10'000;
};

// Writes the trace to `path` (zstd-compressed when path ends in .zst).
Result<uint64_t> writeZipfTrace(const ZipfTraceSpec& spec, const std::string& path);
// The same records in memory (tests, benchmarks).
std::string zipfTraceBytes(const ZipfTraceSpec& spec);

}  // namespace cdnlab::sim

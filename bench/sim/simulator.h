// The simulator: replays a Trace through one policy at one cache size with libCacheSim's
// request semantics (policy.h's calling protocol), counting requests, misses and bytes.
// Pure and single-threaded; runMany() spreads (policy, size) pairs over threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bench/sim/trace.h"
#include "common/result.h"

namespace cdnlab::sim {

enum class SizeMode {
  Objects,  // every object counts 1; the capacity is a number of objects
  Bytes,    // objects count their size; the capacity is bytes
};

struct SimJob {
  std::string policy;  // a policy spec: "s3fifo" or "s3fifo:small=0.2"
  uint64_t capacity = 0;
  SizeMode mode = SizeMode::Objects;
  std::string sizeLabel;  // how the user asked for it ("0.01", "64MiB"): reports repeat it
};

struct SimResult {
  SimJob job;
  uint64_t requests = 0, misses = 0;
  uint64_t bytes = 0, missBytes = 0;
  double seconds = 0;     // replay wall time (not trace loading)
  double cpuSeconds = 0;  // replay CPU time of the replaying thread (steadier on a busy machine)
  double missRatio() const { return requests ? double(misses) / double(requests) : 0; }
  double byteMissRatio() const { return bytes ? double(missBytes) / double(bytes) : 0; }
};

// `progress` (optional) is bumped by the number of requests replayed, every 64Ki requests.
Result<SimResult> simulate(const Trace& trace, const SimJob& job, std::atomic<uint64_t>* progress = nullptr);

// Runs every job over `threads` threads (each job on one thread, results in job order).
std::vector<Result<SimResult>> runMany(const Trace& trace, const std::vector<SimJob>& jobs, int threads,
                                       std::atomic<uint64_t>* progress = nullptr);

}  // namespace cdnlab::sim

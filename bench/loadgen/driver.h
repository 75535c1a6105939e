// The load generator's engine: N worker threads, each with its own libuv loop (never a thread
// per connection), each running every region at rate/N (open loop) or its share of the
// connections (closed loop). The calling thread only watches: once a second it collects the
// workers' live counters for the progress line. Results are merged when the workers end.
//
// Per request (driver.cc): pick the object -> (geo mode) make sure the region has a fresh
// route from the router -> take an idle keep-alive connection to that PoP or open one, bound
// to a source address of the region's loopback block -> wait RTT(region, PoP) on a libuv timer
// (one more RTT when the connection is new: the TCP handshake) -> write pre-serialized bytes ->
// parse the response with llhttp -> record latency from the intended send time.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "bench/loadgen/plan.h"
#include "bench/loadgen/results.h"

namespace cdnlab::loadgen {

// What the progress line shows: the last whole second of the measurement.
struct SecondSnapshot {
  double elapsedS = 0;       // since the measurement started (after warm-up)
  bool warmingUp = false;
  uint64_t totalRequests = 0;  // measured so far
  uint64_t requests = 0;       // in that second
  uint64_t hits = 0;
  double p99Ms = 0;
};

// Why a request failed, as the client saw it.
enum class FailureCause { Refused, ConnectFailed, Closed, Timeout, BadResponse, ServerError };
inline constexpr size_t kFailureCauseCount = 6;
inline constexpr std::array<std::string_view, kFailureCauseCount> kFailureCauseNames = {
    "connection refused", "connect failed", "connection closed or reset", "response timeout",
    "malformed response", "status 5xx"};

struct RunOutcome {
  Results results;
  double measuredS = 0;      // from the end of warm-up to the end of the measurement as run
  uint64_t queueFull = 0;    // open-loop arrivals dropped: the client's queue was full
  uint64_t notSent = 0;      // measured arrivals still waiting for a connection at the end
  uint64_t reroutes = 0;     // router lookups after a PoP failed
  bool interrupted = false;  // the interrupt flag ended the run early
  std::array<uint64_t, kFailureCauseCount> failures{};
};

class LoadDriver {
 public:
  explicit LoadDriver(LoadPlan plan);
  ~LoadDriver();

  // Runs the plan to its end (duration and/or request count), blocking. onSecond fires on the
  // calling thread once per second; onMeasureStart fires when warm-up ends (before the first
  // measured request: used to scrape the origin's counters). Error when a worker's loop could
  // not be set up.
  Result<RunOutcome> run(const std::function<void(const SecondSnapshot&)>& onSecond,
                         const std::function<void()>& onMeasureStart);
  // When *flag becomes true (e.g. set by a SIGINT handler) the run stops sending, lets
  // in-flight requests finish for a short grace and returns what was measured so far.
  void setInterruptFlag(const std::atomic<bool>* flag) { interrupt_ = flag; }

 private:
  LoadPlan plan_;
  const std::atomic<bool>* interrupt_ = nullptr;
};

}  // namespace cdnlab::loadgen

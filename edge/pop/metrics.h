// The PoP's counters, shared by all worker threads and read by the admin listener's /metrics.
// Counters are relaxed atomics: each is independent, and a scrape that sees one counter a few
// increments ahead of another is fine for Prometheus. The per-outcome counters come from the
// outcome table in steps.h, so a new outcome is counted and exported without touching this file.
#pragma once

#include "common/http/server_metrics.h"
#include "edge/pop/behaviors.h"
#include "edge/pop/function_metrics.h"
#include "edge/pop/steps.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cdnlab::edge::pop {

// A Prometheus-style cumulative histogram with fixed bucket bounds (seconds). The bounds cover a
// loopback hit (tens of microseconds) to a slow upstream (seconds).
class LatencyHistogram {
 public:
  static constexpr std::array<double, 14> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                     0.025,  0.05,    0.1,    0.25,  0.5,    1.0,  2.5};
  void record(double seconds);
  // Appends the `_bucket`, `_sum` and `_count` series for `name` in the text format.
  void render(std::string& out, const std::string& name, const std::string& help) const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};  // last = +Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sumMicros_{0};
};

// What the cache store reports at scrape time (it owns these numbers; we do not duplicate them).
struct StoreGauges {
  uint64_t bytes = 0;
  uint64_t objects = 0;
  uint64_t capacityBytes = 0;
  uint64_t evictions = 0;
  // Entries removed, by cause: capacity (policy eviction), expired (TTL sweep or lazy expiry),
  // purge (admin purge and invalidation by unsafe methods), replaced (a newer response).
  uint64_t removedSize = 0, removedExpired = 0, removedPurge = 0, removedReplaced = 0;
};

class Metrics {
 public:
  void countOutcome(Outcome o) { outcomes_[static_cast<size_t>(o)].fetch_add(1, std::memory_order_relaxed); }
  uint64_t outcomeCount(Outcome o) const { return outcomes_[static_cast<size_t>(o)].load(std::memory_order_relaxed); }

  // Cache behaviors (behaviors.h): one counter per behavior and outcome, labelled by name. Set
  // once before the first request.
  void setBehaviors(const std::vector<Behavior>& behaviors);
  void countBehaviorOutcome(size_t behavior, Outcome o) {
    if (behavior < behaviorNames_.size())
      behaviorOutcomes_[behavior * kOutcomeCount + static_cast<size_t>(o)].fetch_add(1, std::memory_order_relaxed);
  }
  uint64_t behaviorOutcomeCount(size_t behavior, Outcome o) const {
    return behavior < behaviorNames_.size()
               ? behaviorOutcomes_[behavior * kOutcomeCount + static_cast<size_t>(o)].load(std::memory_order_relaxed)
               : 0;
  }

  std::atomic<uint64_t> upstreamRequests{0};     // every request sent upstream (fills, revalidations, passes)
  std::atomic<uint64_t> upstreamErrors{0};       // refused, reset, timed out, malformed
  std::atomic<uint64_t> revalidations{0};        // conditional requests sent upstream
  std::atomic<uint64_t> revalidated304{0};       // ... answered 304 (the entry was refreshed)
  std::atomic<uint64_t> backgroundRefreshes{0};  // stale-while-revalidate refreshes started
  std::atomic<uint64_t> collapseTimeouts{0};     // followers that gave up waiting and fetched themselves
  std::atomic<uint64_t> stored{0};               // responses inserted into the cache
  std::atomic<uint64_t> notStored{0};            // responses the storage rules or size limit refused
  std::atomic<uint64_t> purgedObjects{0};
  std::atomic<uint64_t> purgedBytes{0};
  std::atomic<uint64_t> rangePassthroughs{0};    // range misses above the range-fill cap, forwarded with their Range
  std::atomic<uint64_t> invalidated{0};          // entries removed by unsafe-method responses (RFC 9111 4.4)
  std::atomic<uint64_t> bytesToClients{0};       // response bodies delivered
  LatencyHistogram latency;                      // time in the PoP, request complete -> response ready
  LatencyHistogram upstreamLatency;              // upstream request -> response headers and body
  EdgeFunctionCounters edgeFunctions;            // Lambda@Edge triggers (function_metrics.h)
  // The listeners whose connection and accept counters /metrics also shows (set before start).
  std::vector<http::NamedServerStats> servers;

  // The Prometheus text exposition of everything above plus the store's gauges.
  std::string renderPrometheus(const std::string& popId, const StoreGauges& store) const;

 private:
  std::array<std::atomic<uint64_t>, kOutcomeCount> outcomes_{};
  std::vector<std::string> behaviorNames_;
  std::unique_ptr<std::atomic<uint64_t>[]> behaviorOutcomes_;  // [behavior * kOutcomeCount + outcome]
};

}  // namespace cdnlab::edge::pop

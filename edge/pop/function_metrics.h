// The edge-function counters of a PoP, per trigger: invocations, failures by kind, generated
// responses and the time spent. Relaxed atomics like the rest of Metrics; rendered into /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "lambda/edge/event.h"

namespace cdnlab::edge::pop {

struct EdgeFunctionCounters {
  using PerTrigger = std::array<std::atomic<uint64_t>, lambda::edge::kTriggerCount>;
  PerTrigger invocations{};  // functions started
  PerTrigger errors{};       // the function failed (threw, set_error, Lambda error): 503
  PerTrigger timeouts{};     // ran past its timeout: 503
  PerTrigger invalid{};      // returned something CloudFront would refuse: 502
  PerTrigger generated{};    // answered with a generated response (request triggers)
  PerTrigger micros{};       // time from invoke to result back on the worker, in microseconds

  static size_t index(lambda::edge::Trigger t) { return static_cast<size_t>(t); }
  void render(std::string& out) const;
};

}  // namespace cdnlab::edge::pop

// Prometheus text for the Lambda service's counters (see metrics.h).
#include "lambda/metrics.h"

#include <cstdio>

namespace cdnlab::lambda {

void FunctionMetrics::observeDuration(double ms) {
  for (size_t i = 0; i < kBucketsMs.size(); ++i)
    if (ms <= kBucketsMs[i]) ++buckets[i];
  ++durationCount;
  durationSumMs += ms;
}

std::string Metrics::render(const std::function<int(const std::string&)>& concurrent) const {
  std::string out;
  auto counter = [&](const char* name, const char* help, uint64_t FunctionMetrics::*field) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n";
    for (const auto& [fn, m] : byFunction_)
      out += std::string(name) + "{function=\"" + fn + "\"} " + std::to_string(m.*field) + "\n";
  };
  counter("cdnlab_lambda_invocations_total", "Invocations that ran (sync and async attempts).", &FunctionMetrics::invocations);
  counter("cdnlab_lambda_errors_total", "Invocations that ended in a function error, timeout or crash.", &FunctionMetrics::errors);
  counter("cdnlab_lambda_throttles_total", "Invocations refused with TooManyRequestsException.", &FunctionMetrics::throttles);
  counter("cdnlab_lambda_cold_starts_total", "Execution environments started for an invocation.", &FunctionMetrics::coldStarts);
  counter("cdnlab_lambda_timeouts_total", "Invocations stopped at the function timeout.", &FunctionMetrics::timeouts);
  counter("cdnlab_lambda_async_dropped_total", "Event invocations that failed every attempt.", &FunctionMetrics::asyncDropped);
  out += "# HELP cdnlab_lambda_concurrent_executions Invocations running now.\n# TYPE cdnlab_lambda_concurrent_executions gauge\n";
  for (const auto& [fn, m] : byFunction_)
    out += "cdnlab_lambda_concurrent_executions{function=\"" + fn + "\"} " + std::to_string(concurrent(fn)) + "\n";
  out += "# HELP cdnlab_lambda_duration_ms Invocation duration (handler time), milliseconds.\n# TYPE cdnlab_lambda_duration_ms histogram\n";
  char num[64];
  for (const auto& [fn, m] : byFunction_) {
    for (size_t i = 0; i < FunctionMetrics::kBucketsMs.size(); ++i) {
      std::snprintf(num, sizeof num, "%g", FunctionMetrics::kBucketsMs[i]);
      out += "cdnlab_lambda_duration_ms_bucket{function=\"" + fn + "\",le=\"" + num + "\"} " + std::to_string(m.buckets[i]) + "\n";
    }
    out += "cdnlab_lambda_duration_ms_bucket{function=\"" + fn + "\",le=\"+Inf\"} " + std::to_string(m.durationCount) + "\n";
    std::snprintf(num, sizeof num, "%.3f", m.durationSumMs);
    out += "cdnlab_lambda_duration_ms_sum{function=\"" + fn + "\"} " + num + "\n";
    out += "cdnlab_lambda_duration_ms_count{function=\"" + fn + "\"} " + std::to_string(m.durationCount) + "\n";
  }
  return out;
}

}  // namespace cdnlab::lambda

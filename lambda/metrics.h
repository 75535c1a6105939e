// Per-function counters of the Lambda service and their Prometheus text rendering (/metrics):
// invocations, errors, throttles, cold starts, a duration histogram, and concurrent executions
// (a gauge the caller supplies from the pools). Loop thread only.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace cdnlab::lambda {

struct FunctionMetrics {
  static constexpr std::array<double, 14> kBucketsMs = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 60000};
  uint64_t invocations = 0;
  uint64_t errors = 0;     // function errors, timeouts, crashes
  uint64_t throttles = 0;
  uint64_t coldStarts = 0;
  uint64_t timeouts = 0;
  uint64_t asyncDropped = 0;  // Event invocations that failed every attempt
  std::array<uint64_t, kBucketsMs.size()> buckets{};
  uint64_t durationCount = 0;
  double durationSumMs = 0;
  void observeDuration(double ms);
};

class Metrics {
 public:
  FunctionMetrics& of(const std::string& function) { return byFunction_[function]; }
  void drop(const std::string& function) { byFunction_.erase(function); }
  // concurrent(function) gives the gauge.
  std::string render(const std::function<int(const std::string&)>& concurrent) const;

 private:
  std::map<std::string, FunctionMetrics> byFunction_;
};

}  // namespace cdnlab::lambda

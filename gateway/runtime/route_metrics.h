// Per-route counters for /metrics (Prometheus text): requests, 4xx, 5xx, and latency and
// integration latency histograms. Updated by every worker (relaxed atomics), rendered on demand.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cdnlab::gateway {

struct LatencyHistogram {
  // Upper bounds in microseconds (Prometheus "le"), then +Inf.
  static constexpr std::array<uint64_t, 12> kBoundsUs = {50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 100000, 1000000, 10000000};
  std::array<std::atomic<uint64_t>, kBoundsUs.size() + 1> buckets{};
  std::atomic<uint64_t> sumUs{0};
  std::atomic<uint64_t> count{0};
  void record(uint64_t us);
};

struct RouteMetrics {
  std::string apiId, stage, routeKey;
  std::atomic<uint64_t> count{0};
  std::atomic<uint64_t> status4xx{0};
  std::atomic<uint64_t> status5xx{0};
  std::atomic<uint64_t> throttled{0};
  LatencyHistogram latency;
  LatencyHistogram integrationLatency;
};

// Owns every RouteMetrics by (api, stage, route key); they outlive model changes so counters keep
// counting across redeployments.
class MetricsRegistry {
 public:
  std::shared_ptr<RouteMetrics> get(const std::string& apiId, const std::string& stage, const std::string& routeKey);
  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<RouteMetrics>> byKey_;
};

}  // namespace cdnlab::gateway

// The catalog origin's counters: what it answered and how many body bytes it sent, so origin
// offload (1 - origin requests / client requests, and the same in bytes) is measurable from the
// origin's own side. Shared by all worker threads: relaxed atomics, no lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "common/http/server.h"

namespace cdnlab::origin::catalog {

class OriginMetrics {
 public:
  // One answered request (not counting /metrics itself): its status and the body bytes sent
  // (0 for HEAD and 304).
  void count(int status, std::uint64_t bodyBytes);

  std::uint64_t requests() const;            // all statuses
  std::uint64_t requests(int status) const;  // 0 for statuses outside the tracked set
  std::uint64_t bodyBytes() const { return bodyBytes_.load(std::memory_order_relaxed); }

  // Prometheus text exposition format 0.0.4. `objects` is the catalog size (a gauge).
  std::string render(std::uint64_t objects) const;
  // Also export this listener's connection and accept counters (set before the server starts).
  void exportServer(const http::ServerStats* stats) { server_ = stats; }

 private:
  // The statuses the origin produces; anything else is counted as "other".
  static constexpr std::array<int, 6> kStatuses{200, 304, 400, 404, 405, 500};
  static int slot(int status);
  std::array<std::atomic<std::uint64_t>, kStatuses.size() + 1> byStatus_{};
  std::atomic<std::uint64_t> bodyBytes_{0};
  const http::ServerStats* server_ = nullptr;
};

}  // namespace cdnlab::origin::catalog

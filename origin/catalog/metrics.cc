#include "origin/catalog/metrics.h"

#include "common/http/server_metrics.h"

namespace cdnlab::origin::catalog {

int OriginMetrics::slot(int status) {
  for (size_t i = 0; i < kStatuses.size(); ++i)
    if (kStatuses[i] == status) return static_cast<int>(i);
  return static_cast<int>(kStatuses.size());
}

void OriginMetrics::count(int status, std::uint64_t bodyBytes) {
  byStatus_[slot(status)].fetch_add(1, std::memory_order_relaxed);
  if (bodyBytes) bodyBytes_.fetch_add(bodyBytes, std::memory_order_relaxed);
}

std::uint64_t OriginMetrics::requests() const {
  std::uint64_t sum = 0;
  for (const auto& c : byStatus_) sum += c.load(std::memory_order_relaxed);
  return sum;
}

std::uint64_t OriginMetrics::requests(int status) const {
  int s = slot(status);
  if (s == static_cast<int>(kStatuses.size())) return 0;
  return byStatus_[s].load(std::memory_order_relaxed);
}

std::string OriginMetrics::render(std::uint64_t objects) const {
  std::string out;
  out += "# HELP cdnlab_origin_requests_total Requests answered by the catalog origin, by status (not /metrics).\n";
  out += "# TYPE cdnlab_origin_requests_total counter\n";
  for (size_t i = 0; i <= kStatuses.size(); ++i) {
    std::string label = i < kStatuses.size() ? std::to_string(kStatuses[i]) : "other";
    out += "cdnlab_origin_requests_total{status=\"" + label + "\"} " +
           std::to_string(byStatus_[i].load(std::memory_order_relaxed)) + "\n";
  }
  out += "# HELP cdnlab_origin_not_modified_total Conditional requests answered 304 Not Modified.\n";
  out += "# TYPE cdnlab_origin_not_modified_total counter\n";
  out += "cdnlab_origin_not_modified_total " + std::to_string(requests(304)) + "\n";
  out += "# HELP cdnlab_origin_body_bytes_total Response body bytes sent (HEAD and 304 send none).\n";
  out += "# TYPE cdnlab_origin_body_bytes_total counter\n";
  out += "cdnlab_origin_body_bytes_total " + std::to_string(bodyBytes()) + "\n";
  out += "# HELP cdnlab_origin_catalog_objects Objects in the catalog (ids 0 .. n-1).\n";
  out += "# TYPE cdnlab_origin_catalog_objects gauge\n";
  out += "cdnlab_origin_catalog_objects " + std::to_string(objects) + "\n";
  if (server_) http::appendServerMetrics(out, {{"origin", server_}});
  return out;
}

}  // namespace cdnlab::origin::catalog

// The store's /metrics (see store_metrics.h).
#include "origin/store/store_metrics.h"

#include <cmath>
#include <cstdio>

namespace cdnlab::store {

CapacityMeter& capacityMeter() {
  static thread_local CapacityMeter meter;
  return meter;
}

size_t StoreMetrics::slotOf(std::string_view target) {
  const size_t dot = target.rfind('.');
  const std::string_view op = dot == std::string_view::npos ? target : target.substr(dot + 1);
  for (size_t i = 0; i < kOperations.size(); ++i)
    if (kOperations[i] == op) return i;
  return kOperations.size();
}

void StoreMetrics::record(std::string_view target, int status, const CapacityMeter& units, uint64_t latencyUs) {
  PerOperation& m = ops_[slotOf(target)];
  m.requests.fetch_add(1, std::memory_order_relaxed);
  if (status >= 500) m.serverErrors.fetch_add(1, std::memory_order_relaxed);
  else if (status >= 400) m.clientErrors.fetch_add(1, std::memory_order_relaxed);
  m.readMilliUnits.fetch_add(static_cast<uint64_t>(std::llround(units.readUnits * 1000)), std::memory_order_relaxed);
  m.writeMilliUnits.fetch_add(static_cast<uint64_t>(std::llround(units.writeUnits * 1000)), std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBoundsUs.size() && latencyUs > kBoundsUs[b]) ++b;
  m.buckets[b].fetch_add(1, std::memory_order_relaxed);
  m.latencySumUs.fetch_add(latencyUs, std::memory_order_relaxed);
}

std::string StoreMetrics::render() const {
  std::string out;
  char line[256];
  auto name = [](size_t i) { return i < kOperations.size() ? kOperations[i] : std::string_view("other"); };
  auto load = [](const std::atomic<uint64_t>& a) { return static_cast<unsigned long long>(a.load(std::memory_order_relaxed)); };
  auto counter = [&](const char* metric, const char* help, auto&& value) {
    out += std::string("# HELP ") + metric + " " + help + "\n# TYPE " + metric + " counter\n";
    for (size_t i = 0; i < kSlots; ++i) {
      if (load(ops_[i].requests) == 0) continue;  // operations never called stay out
      std::snprintf(line, sizeof line, "%s{operation=\"%.*s\"} ", metric, static_cast<int>(name(i).size()), name(i).data());
      out += line;
      out += value(ops_[i]) + "\n";
    }
  };
  auto integer = [&](const std::atomic<uint64_t> PerOperation::*f) {
    return [&, f](const PerOperation& m) { return std::to_string(load(m.*f)); };
  };
  auto units = [&](const std::atomic<uint64_t> PerOperation::*f) {
    return [&, f](const PerOperation& m) {
      char v[32];
      std::snprintf(v, sizeof v, "%.1f", static_cast<double>(load(m.*f)) / 1000.0);
      return std::string(v);
    };
  };
  counter("cdnlab_store_requests_total", "Requests, by operation.", integer(&PerOperation::requests));
  counter("cdnlab_store_client_errors_total", "Answers with a 4xx status (validation, condition failed, throttled).",
          integer(&PerOperation::clientErrors));
  counter("cdnlab_store_server_errors_total", "Answers with a 5xx status.", integer(&PerOperation::serverErrors));
  counter("cdnlab_store_read_capacity_units_total",
          "Read capacity units consumed (4 KiB per strongly consistent read, half for eventually consistent, twice in a transaction).",
          units(&PerOperation::readMilliUnits));
  counter("cdnlab_store_write_capacity_units_total", "Write capacity units consumed (1 KiB per write, twice in a transaction).",
          units(&PerOperation::writeMilliUnits));
  out += "# HELP cdnlab_store_latency_seconds From the request to its answer (a write's once durable).\n"
         "# TYPE cdnlab_store_latency_seconds histogram\n";
  for (size_t i = 0; i < kSlots; ++i) {
    const PerOperation& m = ops_[i];
    if (load(m.requests) == 0) continue;
    const std::string op(name(i));
    unsigned long long cumulative = 0;
    for (size_t b = 0; b <= kBoundsUs.size(); ++b) {
      cumulative += load(m.buckets[b]);
      if (b < kBoundsUs.size())
        std::snprintf(line, sizeof line, "cdnlab_store_latency_seconds_bucket{operation=\"%s\",le=\"%g\"} %llu\n", op.c_str(),
                      static_cast<double>(kBoundsUs[b]) / 1e6, cumulative);
      else
        std::snprintf(line, sizeof line, "cdnlab_store_latency_seconds_bucket{operation=\"%s\",le=\"+Inf\"} %llu\n",
                      op.c_str(), cumulative);
      out += line;
    }
    std::snprintf(line, sizeof line, "cdnlab_store_latency_seconds_sum{operation=\"%s\"} %.6f\n", op.c_str(),
                  static_cast<double>(load(m.latencySumUs)) / 1e6);
    out += line;
    std::snprintf(line, sizeof line, "cdnlab_store_latency_seconds_count{operation=\"%s\"} %llu\n", op.c_str(), cumulative);
    out += line;
  }
  return out;
}

}  // namespace cdnlab::store

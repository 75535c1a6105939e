// Route metrics: histogram buckets and the Prometheus rendering (see route_metrics.h).
#include "gateway/runtime/route_metrics.h"

#include <cstdio>

namespace cdnlab::gateway {

void LatencyHistogram::record(uint64_t us) {
  size_t i = 0;
  while (i < kBoundsUs.size() && us > kBoundsUs[i]) ++i;
  buckets[i].fetch_add(1, std::memory_order_relaxed);
  sumUs.fetch_add(us, std::memory_order_relaxed);
  count.fetch_add(1, std::memory_order_relaxed);
}

std::shared_ptr<RouteMetrics> MetricsRegistry::get(const std::string& apiId, const std::string& stage,
                                                   const std::string& routeKey) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& m = byKey_[apiId + '\n' + stage + '\n' + routeKey];
  if (!m) {
    m = std::make_shared<RouteMetrics>();
    m->apiId = apiId;
    m->stage = stage;
    m->routeKey = routeKey;
  }
  return m;
}

namespace {

// Label values escape backslash, quote and newline (exposition format).
std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\\' || c == '"') o.push_back('\\');
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o.push_back(c);
  }
  return o;
}

void histogram(std::string& out, const char* name, const std::string& labels, const LatencyHistogram& h) {
  uint64_t cum = 0;
  char buf[512];
  for (size_t i = 0; i <= LatencyHistogram::kBoundsUs.size(); ++i) {
    cum += h.buckets[i].load(std::memory_order_relaxed);
    if (i < LatencyHistogram::kBoundsUs.size())
      snprintf(buf, sizeof buf, "%s_bucket{%s,le=\"%g\"} %llu\n", name, labels.c_str(),
               static_cast<double>(LatencyHistogram::kBoundsUs[i]) / 1e6, static_cast<unsigned long long>(cum));
    else
      snprintf(buf, sizeof buf, "%s_bucket{%s,le=\"+Inf\"} %llu\n", name, labels.c_str(), static_cast<unsigned long long>(cum));
    out += buf;
  }
  snprintf(buf, sizeof buf, "%s_sum{%s} %.6f\n%s_count{%s} %llu\n", name, labels.c_str(),
           static_cast<double>(h.sumUs.load(std::memory_order_relaxed)) / 1e6, name, labels.c_str(),
           static_cast<unsigned long long>(h.count.load(std::memory_order_relaxed)));
  out += buf;
}

}  // namespace

std::string MetricsRegistry::render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP cdnlab_gateway_requests_total Requests that matched a route.\n# TYPE cdnlab_gateway_requests_total counter\n";
  auto labelsOf = [](const RouteMetrics& m) {
    return "api=\"" + esc(m.apiId) + "\",stage=\"" + esc(m.stage) + "\",route=\"" + esc(m.routeKey) + "\"";
  };
  auto counter = [&](const char* name, auto field) {
    for (const auto& [k, m] : byKey_)
      out += std::string(name) + "{" + labelsOf(*m) + "} " + std::to_string((m.get()->*field).load(std::memory_order_relaxed)) + "\n";
  };
  counter("cdnlab_gateway_requests_total", &RouteMetrics::count);
  out += "# HELP cdnlab_gateway_4xx_total Answers with a 4xx status.\n# TYPE cdnlab_gateway_4xx_total counter\n";
  counter("cdnlab_gateway_4xx_total", &RouteMetrics::status4xx);
  out += "# HELP cdnlab_gateway_5xx_total Answers with a 5xx status.\n# TYPE cdnlab_gateway_5xx_total counter\n";
  counter("cdnlab_gateway_5xx_total", &RouteMetrics::status5xx);
  out += "# HELP cdnlab_gateway_throttled_total Requests refused with 429 by a route's token bucket.\n# TYPE cdnlab_gateway_throttled_total counter\n";
  counter("cdnlab_gateway_throttled_total", &RouteMetrics::throttled);
  out += "# HELP cdnlab_gateway_latency_seconds From the request's last byte to the answer.\n# TYPE cdnlab_gateway_latency_seconds histogram\n";
  for (const auto& [k, m] : byKey_) histogram(out, "cdnlab_gateway_latency_seconds", labelsOf(*m), m->latency);
  out += "# HELP cdnlab_gateway_integration_latency_seconds Time spent in the integration.\n# TYPE cdnlab_gateway_integration_latency_seconds histogram\n";
  for (const auto& [k, m] : byKey_)
    histogram(out, "cdnlab_gateway_integration_latency_seconds", labelsOf(*m), m->integrationLatency);
  return out;
}

}  // namespace cdnlab::gateway

// Prometheus text rendering of the PoP counters (see metrics.h).
#include "edge/pop/metrics.h"

#include <cinttypes>
#include <cstdio>

namespace cdnlab::edge::pop {

void LatencyHistogram::record(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sumMicros_.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void LatencyHistogram::render(std::string& out, const std::string& name, const std::string& help) const {
  char line[256];
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    std::snprintf(line, sizeof line, "%s_bucket{le=\"%g\"} %" PRIu64 "\n", name.c_str(), kBounds[i], cumulative);
    out += line;
  }
  cumulative += buckets_[kBounds.size()].load(std::memory_order_relaxed);
  std::snprintf(line, sizeof line, "%s_bucket{le=\"+Inf\"} %" PRIu64 "\n%s_sum %.6f\n%s_count %" PRIu64 "\n",
                name.c_str(), cumulative, name.c_str(),
                static_cast<double>(sumMicros_.load(std::memory_order_relaxed)) / 1e6, name.c_str(), cumulative);
  out += line;
}

namespace {
void counter(std::string& out, const char* name, const char* help, uint64_t v) {
  char line[128];
  std::snprintf(line, sizeof line, " %" PRIu64 "\n", v);
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + line;
}
void gauge(std::string& out, const char* name, const char* help, uint64_t v) {
  char line[128];
  std::snprintf(line, sizeof line, " %" PRIu64 "\n", v);
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + line;
}
uint64_t load(const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); }
}  // namespace

void Metrics::setBehaviors(const std::vector<Behavior>& behaviors) {
  behaviorNames_.clear();
  for (const auto& b : behaviors) behaviorNames_.push_back(b.name);
  behaviorOutcomes_ = std::make_unique<std::atomic<uint64_t>[]>(behaviorNames_.size() * kOutcomeCount);
}

std::string Metrics::renderPrometheus(const std::string& popId, const StoreGauges& store) const {
  std::string out;
  out.reserve(4096);
  out += "# HELP cdnlab_pop_info The PoP answering this scrape.\n# TYPE cdnlab_pop_info gauge\n";
  out += "cdnlab_pop_info{pop=\"" + popId + "\"} 1\n";
  out += "# HELP cdnlab_requests_total Client requests by outcome (the X-Cache value).\n";
  out += "# TYPE cdnlab_requests_total counter\n";
  for (size_t i = 0; i < kOutcomeCount; ++i) {
    char line[128];
    std::snprintf(line, sizeof line, "cdnlab_requests_total{outcome=\"%.*s\"} %" PRIu64 "\n",
                  static_cast<int>(kOutcomes[i].name.size()), kOutcomes[i].name.data(), load(outcomes_[i]));
    out += line;
  }
  if (!behaviorNames_.empty()) {
    out += "# HELP cdnlab_behavior_requests_total Client requests by cache behavior and outcome.\n";
    out += "# TYPE cdnlab_behavior_requests_total counter\n";
    for (size_t b = 0; b < behaviorNames_.size(); ++b)
      for (size_t i = 0; i < kOutcomeCount; ++i) {
        char line[256];
        std::snprintf(line, sizeof line, "cdnlab_behavior_requests_total{behavior=\"%s\",outcome=\"%.*s\"} %" PRIu64 "\n",
                      behaviorNames_[b].c_str(), static_cast<int>(kOutcomes[i].name.size()), kOutcomes[i].name.data(),
                      load(behaviorOutcomes_[b * kOutcomeCount + i]));
        out += line;
      }
  }
  counter(out, "cdnlab_hits_total", "Requests served from a fresh entry.", outcomeCount(Outcome::Hit));
  counter(out, "cdnlab_misses_total", "Requests that fetched from upstream.", outcomeCount(Outcome::Miss));
  counter(out, "cdnlab_stale_total", "Requests served from a stale entry.", outcomeCount(Outcome::Stale));
  counter(out, "cdnlab_collapsed_total", "Requests that waited for another request's fetch.",
          outcomeCount(Outcome::Collapsed));
  counter(out, "cdnlab_revalidations_total", "Conditional requests sent upstream.", load(revalidations));
  counter(out, "cdnlab_revalidated_total", "Revalidations answered 304.", load(revalidated304));
  counter(out, "cdnlab_background_refreshes_total", "stale-while-revalidate refreshes started.",
          load(backgroundRefreshes));
  counter(out, "cdnlab_collapse_timeouts_total", "Collapsed requests that gave up waiting.", load(collapseTimeouts));
  counter(out, "cdnlab_upstream_requests_total", "Requests sent upstream.", load(upstreamRequests));
  counter(out, "cdnlab_upstream_errors_total", "Upstream requests that failed (refused, reset, timeout).",
          load(upstreamErrors));
  counter(out, "cdnlab_stored_total", "Responses inserted into the cache.", load(stored));
  counter(out, "cdnlab_not_stored_total", "Upstream responses not stored (rules or size).", load(notStored));
  counter(out, "cdnlab_purged_objects_total", "Entries removed by purge requests.", load(purgedObjects));
  counter(out, "cdnlab_purged_bytes_total", "Bytes removed by purge requests.", load(purgedBytes));
  counter(out, "cdnlab_range_passthroughs_total", "Range misses above the range-fill cap, forwarded with their Range.",
          load(rangePassthroughs));
  counter(out, "cdnlab_invalidated_objects_total", "Entries invalidated by responses to unsafe methods.",
          load(invalidated));
  counter(out, "cdnlab_response_body_bytes_total", "Response body bytes sent to clients.", load(bytesToClients));
  counter(out, "cdnlab_evictions_total", "Entries evicted by the policy or TTL expiry.", store.evictions);
  out += "# HELP cdnlab_cache_removals_total Entries removed from the cache, by cause.\n"
         "# TYPE cdnlab_cache_removals_total counter\n";
  for (auto [cause, n] : {std::pair<const char*, uint64_t>{"size", store.removedSize}, {"expired", store.removedExpired},
                          {"purge", store.removedPurge}, {"replaced", store.removedReplaced}}) {
    char line[128];
    std::snprintf(line, sizeof line, "cdnlab_cache_removals_total{cause=\"%s\"} %" PRIu64 "\n", cause, n);
    out += line;
  }
  gauge(out, "cdnlab_cache_bytes", "Bytes held by the cache (bodies and headers).", store.bytes);
  gauge(out, "cdnlab_cache_objects", "Entries held by the cache.", store.objects);
  gauge(out, "cdnlab_cache_capacity_bytes", "Configured cache capacity.", store.capacityBytes);
  latency.render(out, "cdnlab_request_duration_seconds", "Time in the PoP per client request.");
  upstreamLatency.render(out, "cdnlab_upstream_duration_seconds", "Upstream request duration.");
  edgeFunctions.render(out);
  if (!servers.empty()) http::appendServerMetrics(out, servers);
  return out;
}

}  // namespace cdnlab::edge::pop

// What each tier of a topology did during a load run, from the components' own /metrics scraped
// when measuring starts, every second while it runs and when it ends (the differences are the
// run's share): per PoP requests and hits (edge and shield tiers), per PoP behavior, the
// gateway's requests, errors and latency, the Lambda service's invocations, errors, throttles,
// cold starts and duration, the store's reads, writes, consumed capacity and latency. Blocking
// HTTP GETs from a thread of the load command, outside the request path. A component that does
// not answer is left out, and said so.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "geo/topology.h"

namespace cdnlab::loadgen {

// The store's operations that read and that write (`operation` label of its /metrics); the rest,
// table management, count in neither. The dashboard splits the store's requests the same way.
inline constexpr std::string_view kStoreReadOperations[] = {"GetItem", "Query", "Scan", "BatchGetItem",
                                                            "TransactGetItems"};
inline constexpr std::string_view kStoreWriteOperations[] = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
                                                             "TransactWriteItems"};

// Counter name -> value, keys like "pop/fra/hits", "gateway/requests", "lambda/cold_starts",
// "store/read_capacity_units", "behavior/api/hits"; histograms (cumulative buckets by upper
// bound) as "gateway/latency_ms", "gateway/integration_latency_ms", "lambda/duration_ms",
// "store/latency_ms".
struct TierSnapshot {
  double atS = 0;  // seconds since measuring started (series points)
  std::map<std::string, double> values;
  std::map<std::string, std::map<double, double>> histograms;
  std::vector<std::string> unreachable;  // components whose /metrics did not answer
};

TierSnapshot scrapeTiers(const geo::Topology& topo);

// Scrapes every tier once a second on a thread of its own, from start() until stop() (the end
// of the measured run bounds it): the points of the per-tier series.
class TierSeriesScraper {
 public:
  TierSeriesScraper() = default;
  TierSeriesScraper(const TierSeriesScraper&) = delete;
  TierSeriesScraper& operator=(const TierSeriesScraper&) = delete;
  ~TierSeriesScraper() { stop(); }
  void start(const geo::Topology& topo);  // the topology must outlive the scraper's run
  std::vector<TierSnapshot> stop();        // the snapshots taken meanwhile, in order
  double elapsedS() const;                 // since start()

 private:
  std::chrono::steady_clock::time_point started_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<TierSnapshot> taken_;
  std::thread thread_;
};

// The run's tiers as a JSON object: {"edge": {"requests", "hits", "hit_ratio", "series"},
// "shield": {...}, "pops": {"fra": {...}}, "behaviors": {"api": {...}}, "gateway": {...,
// "latency_p50_ms", "overhead_p50_ms"}, "lambda": {..., "duration_p50_ms"}, "store": {"reads",
// "writes", "read_capacity_units", "write_capacity_units", "latency_p50_ms"}}, each tier with
// per-second "series" ({"name": [[second, value], ...]}) from `during` (snapshots taken while
// the run went on, in order). Components that did not answer are left out (the table names them).
std::string tiersJson(const TierSnapshot& before, const TierSnapshot& after, const geo::Topology& topo,
                      const std::vector<TierSnapshot>& during = {});
// Lines for the terminal, after the load's own tables.
std::string tiersTable(const TierSnapshot& before, const TierSnapshot& after, const geo::Topology& topo);

}  // namespace cdnlab::loadgen

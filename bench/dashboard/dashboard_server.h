// `cdnlab dashboard`: serves the live dashboard page (report/dashboard_page.h) and
// /api/state, a JSON snapshot of every component's counters. A scraper thread reads each
// component's Prometheus /metrics once a second (the PoPs' and the origin's admin listeners,
// the gateway's, the Lambda service's and the store's own), so the browser talks to one address
// and never to the components themselves.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/loadgen/plan.h"
#include "common/http/server.h"
#include "common/result.h"
#include "geo/topology.h"
#include "report/dashboard_page.h"

namespace cdnlab::dashboard {

// One counter the page shows: the sum of a Prometheus metric's samples, or of those whose label
// `label` has one of `values` (the store's reads are its requests with operation GetItem, Query...).
struct CounterSource {
  std::string counter;  // the name in /api/state: "requests", "hits", "reads", "rcu", ...
  std::string metric;
  std::string label = {};  // empty: every sample counts
  std::vector<std::string_view> values = {};
};

// A component and where its counters are.
struct Watched {
  report::WatchedComponent component;
  loadgen::Endpoint metrics;
  std::vector<CounterSource> counters;
};

// The sum `source` names in a /metrics text (nullopt: no such metric).
std::optional<double> counterValue(std::string_view text, const CounterSource& source);

// Every component of the topology with a metrics endpoint.
std::vector<Watched> watchedComponents(const geo::Topology& topology);

class DashboardServer {
 public:
  DashboardServer(const geo::Topology& topology, http::ServerOptions options);
  ~DashboardServer();
  Result<int> start();
  void stop();

 private:
  void handle(const http::RequestContextPtr& ctx);
  void scrapeLoop();

  std::vector<Watched> watched_;
  std::string page_;
  http::HttpServer server_;
  std::mutex mu_;
  std::string state_ = R"({"time":0,"components":[]})";
  std::atomic<bool> stopping_{false};
  std::mutex wakeMu_;
  std::condition_variable wake_;
  std::thread scraper_;
};

}  // namespace cdnlab::dashboard

// See dashboard_server.h.
#include "bench/dashboard/dashboard_server.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "bench/loadgen/prometheus_text.h"
#include "bench/loadgen/scrape.h"
#include "bench/loadgen/tiers.h"

namespace cdnlab::dashboard {
namespace {

constexpr int kScrapeTimeoutMs = 300;
constexpr auto kInterval = std::chrono::seconds(1);

std::string jsonString(std::string_view s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else o += c;
  }
  return o + "\"";
}

}  // namespace

std::optional<double> counterValue(std::string_view text, const CounterSource& source) {
  if (source.label.empty()) return loadgen::metricSum(text, source.metric);
  auto samples = loadgen::metricSamples(text, source.metric);
  if (samples.empty()) return std::nullopt;
  double sum = 0;
  for (const auto& [labels, v] : samples) {
    auto value = loadgen::labelValue(labels, source.label);
    if (value && std::find(source.values.begin(), source.values.end(), *value) != source.values.end()) sum += v;
  }
  return sum;
}

std::vector<Watched> watchedComponents(const geo::Topology& topo) {
  std::vector<Watched> out;
  for (const auto& p : topo.pops) {
    if (!p.admin) continue;  // a PoP without an admin listener has no /metrics
    Watched w;
    w.component = {p.id, p.tier == geo::Tier::Shield ? "shield" : "edge", p.city};
    w.metrics = {p.admin->host, p.admin->port};
    w.counters = {{"requests", "cdnlab_requests_total"}, {"hits", "cdnlab_hits_total"},
                  {"upstream", "cdnlab_upstream_requests_total"}};
    out.push_back(std::move(w));
  }
  // The application tier, when the topology has one: the gateway, the Lambda service and the
  // store serve /metrics on their own address.
  const std::string appCity = topo.origin.city;
  if (const auto& g = topo.app.gateway) {
    Watched w;
    w.component = {"gateway", "gateway", appCity};
    w.metrics = {g->address.host, g->address.port};
    w.counters = {{"requests", "cdnlab_gateway_requests_total"},
                  {"4xx", "cdnlab_gateway_4xx_total"},
                  {"5xx", "cdnlab_gateway_5xx_total"},
                  {"throttled", "cdnlab_gateway_throttled_total"}};
    out.push_back(std::move(w));
  }
  if (const auto& l = topo.app.lambda) {
    Watched w;
    w.component = {"lambda", "lambda", appCity};
    w.metrics = {l->address.host, l->address.port};
    w.counters = {{"requests", "cdnlab_lambda_invocations_total"},
                  {"cold_starts", "cdnlab_lambda_cold_starts_total"},
                  {"throttles", "cdnlab_lambda_throttles_total"},
                  {"errors", "cdnlab_lambda_errors_total"},
                  {"running", "cdnlab_lambda_concurrent_executions"}};
    out.push_back(std::move(w));
  }
  if (const auto& s = topo.app.store) {
    Watched w;
    w.component = {"store", "store", appCity};
    w.metrics = {s->address.host, s->address.port};
    const std::vector<std::string_view> reads(std::begin(loadgen::kStoreReadOperations),
                                              std::end(loadgen::kStoreReadOperations));
    const std::vector<std::string_view> writes(std::begin(loadgen::kStoreWriteOperations),
                                               std::end(loadgen::kStoreWriteOperations));
    w.counters = {{"requests", "cdnlab_store_requests_total"},
                  {"reads", "cdnlab_store_requests_total", "operation", reads},
                  {"writes", "cdnlab_store_requests_total", "operation", writes},
                  {"rcu", "cdnlab_store_read_capacity_units_total"},
                  {"wcu", "cdnlab_store_write_capacity_units_total"},
                  {"errors", "cdnlab_store_server_errors_total"},
                  {"rejected", "cdnlab_store_client_errors_total"}};
    out.push_back(std::move(w));
  }
  const auto& origin = topo.origin;
  Watched o;
  o.component = {"origin", "origin", origin.city};
  const config::HostPort& at = origin.admin ? *origin.admin : origin.address;
  o.metrics = {at.host, at.port};
  o.counters = {{"requests", "cdnlab_origin_requests_total"}};
  out.push_back(std::move(o));
  return out;
}

DashboardServer::DashboardServer(const geo::Topology& topology, http::ServerOptions options)
    : watched_(watchedComponents(topology)),
      server_((options.workers = 1, std::move(options)), [this](const http::RequestContextPtr& ctx) { handle(ctx); }) {
  std::vector<report::WatchedComponent> components;
  for (const auto& w : watched_) components.push_back(w.component);
  page_ = report::renderDashboardPage(topology, components);
}

DashboardServer::~DashboardServer() { stop(); }

Result<int> DashboardServer::start() {
  auto port = server_.start();
  if (!port.ok()) return port;
  scraper_ = std::thread([this] { scrapeLoop(); });
  return port;
}

void DashboardServer::stop() {
  {
    std::lock_guard<std::mutex> l(wakeMu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (scraper_.joinable()) scraper_.join();
  server_.stop(1000);
}

void DashboardServer::handle(const http::RequestContextPtr& ctx) {
  const http::Request& req = ctx->request();
  if (req.method != "GET" && req.method != "HEAD") {
    http::Response r(405, "the dashboard only answers GET\n");
    r.headers.add("Allow", "GET, HEAD");
    ctx->respond(std::move(r));
    return;
  }
  const std::string& path = req.path;
  if (path == "/" || path == "/index.html") {
    http::Response r(200, page_, "text/html; charset=utf-8");
    r.headers.add("Cache-Control", "no-store");
    ctx->respond(std::move(r));
  } else if (path == "/api/state") {
    std::string state;
    {
      std::lock_guard<std::mutex> l(mu_);
      state = state_;
    }
    http::Response r(200, state, "application/json");
    r.headers.add("Cache-Control", "no-store");
    ctx->respond(std::move(r));
  } else if (path == "/healthz") {
    ctx->respond(http::Response(200, "ok\n"));
  } else {
    ctx->respond(http::Response(404, "not found: the dashboard serves / and /api/state\n"));
  }
}

void DashboardServer::scrapeLoop() {
  while (!stopping_) {
    auto started = std::chrono::steady_clock::now();
    std::string json = "{\"time\":";
    json += std::to_string(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    json += ",\"components\":[";
    bool first = true;
    for (const auto& w : watched_) {
      if (stopping_) return;
      auto text = loadgen::fetchText(w.metrics, "/metrics", kScrapeTimeoutMs);
      json += first ? "" : ",";
      first = false;
      json += "{\"id\":" + jsonString(w.component.id) + ",\"kind\":" + jsonString(w.component.kind) +
              ",\"up\":" + (text.ok() ? "true" : "false") + ",\"counters\":{";
      bool firstCounter = true;
      if (text.ok())
        for (const auto& source : w.counters)
          if (auto v = counterValue(*text, source)) {
            char b[64];
            std::snprintf(b, sizeof b, "%.17g", *v);
            json += (firstCounter ? "" : ",") + jsonString(source.counter) + ":" + b;
            firstCounter = false;
          }
      json += "}}";
    }
    json += "]}";
    {
      std::lock_guard<std::mutex> l(mu_);
      state_ = std::move(json);
    }
    std::unique_lock<std::mutex> l(wakeMu_);
    wake_.wait_until(l, started + kInterval, [this] { return stopping_.load(); });
  }
}

}  // namespace cdnlab::dashboard

// Per-tier counters of a load run (see tiers.h).
#include "bench/loadgen/tiers.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>

#include "bench/loadgen/prometheus_text.h"
#include "bench/loadgen/scrape.h"

namespace cdnlab::loadgen {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::optional<std::string> scrape(TierSnapshot& s, const std::string& component, const config::HostPort& at) {
  auto text = fetchText(Endpoint{at.host, at.port}, "/metrics", 2000);
  if (!text.ok()) {
    s.unreachable.push_back(component);
    return std::nullopt;
  }
  return std::move(*text);
}

void counters(TierSnapshot& s, const std::string& component, const std::string& text,
              const std::vector<std::pair<std::string, std::string>>& names) {
  for (const auto& [key, metric] : names) s.values[component + "/" + key] = metricSum(text, metric).value_or(0);
}

// A histogram in milliseconds (`scale` converts its unit).
void histogram(TierSnapshot& s, const std::string& key, const std::string& text, const std::string& metric, double scale) {
  auto& h = s.histograms[key];
  for (const auto& [le, n] : histogramBuckets(text, metric)) h[le == std::numeric_limits<double>::max() ? le : le * scale] += n;
}

double delta(const TierSnapshot& b, const TierSnapshot& a, const std::string& key) {
  auto x = a.values.find(key);
  if (x == a.values.end()) return 0;
  auto y = b.values.find(key);
  const double d = x->second - (y == b.values.end() ? 0 : y->second);
  return d > 0 ? d : 0;  // a restarted component counts from 0 again
}

std::optional<double> p50(const TierSnapshot& b, const TierSnapshot& a, const std::string& key) {
  auto x = a.histograms.find(key);
  if (x == a.histograms.end()) return std::nullopt;
  auto y = b.histograms.find(key);
  return quantileBetween(y == b.histograms.end() ? std::map<double, double>{} : y->second, x->second, 0.5);
}

struct HitCount {
  double requests = 0, hits = 0;
  double ratio() const { return requests > 0 ? hits / requests : 0; }
};

HitCount tierHits(const TierSnapshot& b, const TierSnapshot& a, const geo::Topology& topo, geo::Tier tier) {
  HitCount h;
  for (const auto& p : topo.pops)
    if (p.tier == tier) {
      h.requests += delta(b, a, "pop/" + p.id + "/requests");
      h.hits += delta(b, a, "pop/" + p.id + "/hits");
    }
  return h;
}

// "series": {"name": [[second, value], ...]} over consecutive snapshots.
template <typename Value>
void writeSeries(Writer& w, const std::vector<TierSnapshot>& during, const std::vector<std::pair<const char*, Value>>& series) {
  if (during.size() < 2) return;
  w.Key("series");
  w.StartObject();
  for (const auto& [name, value] : series) {
    w.Key(name);
    w.StartArray();
    for (size_t i = 1; i < during.size(); ++i) {
      w.StartArray();
      w.Double(static_cast<double>(static_cast<long>(during[i].atS + 0.5)));
      w.Double(value(during[i - 1], during[i]));
      w.EndArray();
    }
    w.EndArray();
  }
  w.EndObject();
}

using SeriesFn = std::function<double(const TierSnapshot&, const TierSnapshot&)>;

SeriesFn counterSeries(const std::string& key) {
  return [key](const TierSnapshot& b, const TierSnapshot& a) { return delta(b, a, key); };
}

void writeTierHits(Writer& w, const HitCount& h, const geo::Topology& topo, geo::Tier tier,
                   const std::vector<TierSnapshot>& during) {
  w.StartObject();
  w.Key("requests"); w.Double(h.requests);
  w.Key("hits"); w.Double(h.hits);
  w.Key("hit_ratio"); w.Double(h.ratio());
  writeSeries<SeriesFn>(w, during, {
      {"requests", [&topo, tier](const TierSnapshot& b, const TierSnapshot& a) { return tierHits(b, a, topo, tier).requests; }},
      {"hit_ratio", [&topo, tier](const TierSnapshot& b, const TierSnapshot& a) { return tierHits(b, a, topo, tier).ratio(); }}});
  w.EndObject();
}

bool hasComponent(const TierSnapshot& s, const std::string& component) {
  auto it = s.values.lower_bound(component + "/");
  return it != s.values.end() && it->first.rfind(component + "/", 0) == 0;
}

}  // namespace

TierSnapshot scrapeTiers(const geo::Topology& topo) {
  TierSnapshot s;
  for (const auto& p : topo.pops) {
    if (!p.admin) continue;
    auto text = scrape(s, "pop/" + p.id, *p.admin);
    if (!text) continue;
    counters(s, "pop/" + p.id, *text,
             {{"requests", "cdnlab_requests_total"}, {"hits", "cdnlab_hits_total"},
              {"upstream_requests", "cdnlab_upstream_requests_total"}});
    // What the clients asked for, by behavior: the edge tier only (the shield sees fills).
    if (p.tier != geo::Tier::Edge) continue;
    for (const auto& [labels, v] : metricSamples(*text, "cdnlab_behavior_requests_total")) {
      auto behavior = labelValue(labels, "behavior");
      auto outcome = labelValue(labels, "outcome");
      if (!behavior) continue;
      s.values["behavior/" + *behavior + "/requests"] += v;
      if (outcome == "Hit" || outcome == "Stale") s.values["behavior/" + *behavior + "/hits"] += v;
    }
  }
  if (topo.app.gateway) {
    if (auto text = scrape(s, "gateway", topo.app.gateway->address)) {
      counters(s, "gateway", *text,
               {{"requests", "cdnlab_gateway_requests_total"}, {"4xx", "cdnlab_gateway_4xx_total"},
                {"5xx", "cdnlab_gateway_5xx_total"}, {"throttled", "cdnlab_gateway_throttled_total"}});
      histogram(s, "gateway/latency_ms", *text, "cdnlab_gateway_latency_seconds", 1000);
      histogram(s, "gateway/integration_latency_ms", *text, "cdnlab_gateway_integration_latency_seconds", 1000);
    }
  }
  if (topo.app.lambda) {
    if (auto text = scrape(s, "lambda", topo.app.lambda->address)) {
      counters(s, "lambda", *text,
               {{"invocations", "cdnlab_lambda_invocations_total"}, {"errors", "cdnlab_lambda_errors_total"},
                {"throttles", "cdnlab_lambda_throttles_total"}, {"cold_starts", "cdnlab_lambda_cold_starts_total"},
                {"timeouts", "cdnlab_lambda_timeouts_total"}});
      histogram(s, "lambda/duration_ms", *text, "cdnlab_lambda_duration_ms", 1);
    }
  }
  if (topo.app.store) {
    if (auto text = scrape(s, "store", topo.app.store->address)) {
      counters(s, "store", *text,
               {{"requests", "cdnlab_store_requests_total"}, {"client_errors", "cdnlab_store_client_errors_total"},
                {"server_errors", "cdnlab_store_server_errors_total"},
                {"read_capacity_units", "cdnlab_store_read_capacity_units_total"},
                {"write_capacity_units", "cdnlab_store_write_capacity_units_total"}});
      s.values["store/reads"] = 0;
      s.values["store/writes"] = 0;
      for (const auto& [labels, v] : metricSamples(*text, "cdnlab_store_requests_total")) {
        auto op = labelValue(labels, "operation");
        for (auto r : kStoreReadOperations) s.values["store/reads"] += op == r ? v : 0;
        for (auto r : kStoreWriteOperations) s.values["store/writes"] += op == r ? v : 0;
      }
      histogram(s, "store/latency_ms", *text, "cdnlab_store_latency_seconds", 1000);
    }
  }
  return s;
}

void TierSeriesScraper::start(const geo::Topology& topo) {
  if (thread_.joinable()) return;
  started_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this, &topo] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
      lock.unlock();
      TierSnapshot s = scrapeTiers(topo);
      s.atS = elapsedS();
      lock.lock();
      if (!stopping_) taken_.push_back(std::move(s));
    }
  });
}

std::vector<TierSnapshot> TierSeriesScraper::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return std::move(taken_);
}

double TierSeriesScraper::elapsedS() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

std::string tiersJson(const TierSnapshot& before, const TierSnapshot& after, const geo::Topology& topo,
                      const std::vector<TierSnapshot>& duringRun) {
  // The series run from the start snapshot through every one taken meanwhile to the end.
  std::vector<TierSnapshot> during;
  if (!duringRun.empty()) {
    during.push_back(before);
    during.insert(during.end(), duringRun.begin(), duringRun.end());
    during.push_back(after);
  }
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("pops");
  w.StartObject();
  for (const auto& p : topo.pops) {
    const std::string k = "pop/" + p.id + "/";
    if (!after.values.count(k + "requests")) continue;
    HitCount h{delta(before, after, k + "requests"), delta(before, after, k + "hits")};
    w.Key(p.id.c_str());
    w.StartObject();
    w.Key("tier"); w.String(geo::tierName(p.tier));
    w.Key("lat"); w.Double(p.location.lat);
    w.Key("lon"); w.Double(p.location.lon);
    w.Key("requests"); w.Double(h.requests);
    w.Key("hits"); w.Double(h.hits);
    w.Key("hit_ratio"); w.Double(h.ratio());
    w.Key("upstream_requests"); w.Double(delta(before, after, k + "upstream_requests"));
    w.EndObject();
  }
  w.EndObject();
  w.Key("edge");
  writeTierHits(w, tierHits(before, after, topo, geo::Tier::Edge), topo, geo::Tier::Edge, during);
  w.Key("shield");
  writeTierHits(w, tierHits(before, after, topo, geo::Tier::Shield), topo, geo::Tier::Shield, during);

  // Behaviors: the edge PoPs' counts of what clients asked for.
  std::vector<std::string> behaviors;
  for (const auto& [k, v] : after.values)
    if (k.rfind("behavior/", 0) == 0 && k.size() > 18 && k.compare(k.size() - 9, 9, "/requests") == 0)
      behaviors.push_back(k.substr(9, k.size() - 18));
  if (!behaviors.empty()) {
    w.Key("behaviors");
    w.StartObject();
    for (const auto& name : behaviors) {
      HitCount h{delta(before, after, "behavior/" + name + "/requests"), delta(before, after, "behavior/" + name + "/hits")};
      w.Key(name.c_str());
      w.StartObject();
      w.Key("requests"); w.Double(h.requests);
      w.Key("hits"); w.Double(h.hits);
      w.Key("hit_ratio"); w.Double(h.ratio());
      w.EndObject();
    }
    w.EndObject();
  }

  // The application tiers: every counter, the medians, the series.
  struct AppTier {
    const char* name;
    std::vector<std::pair<const char*, const char*>> medians;  // JSON key, histogram key
    std::vector<const char*> series;                            // counters drawn per second
  };
  const AppTier tiers[] = {
      {"gateway", {{"latency_p50_ms", "gateway/latency_ms"}, {"integration_latency_p50_ms", "gateway/integration_latency_ms"}},
       {"requests", "5xx"}},
      {"lambda", {{"duration_p50_ms", "lambda/duration_ms"}}, {"invocations", "cold_starts", "throttles"}},
      {"store", {{"latency_p50_ms", "store/latency_ms"}}, {"reads", "writes", "read_capacity_units", "write_capacity_units"}},
  };
  for (const AppTier& t : tiers) {
    const std::string prefix = std::string(t.name) + "/";
    if (!hasComponent(after, t.name)) continue;
    w.Key(t.name);
    w.StartObject();
    for (const auto& [k, v] : after.values)
      if (k.rfind(prefix, 0) == 0) {
        w.Key(k.substr(prefix.size()).c_str());
        w.Double(delta(before, after, k));
      }
    std::optional<double> medians[2];
    for (size_t i = 0; i < t.medians.size(); ++i) {
      medians[i] = p50(before, after, t.medians[i].second);
      if (!medians[i]) continue;
      w.Key(t.medians[i].first);
      w.Double(*medians[i]);
    }
    // The gateway's own share: its latency less the integration's (both medians).
    if (std::string(t.name) == "gateway" && medians[0] && medians[1]) {
      w.Key("overhead_p50_ms");
      w.Double(std::max(0.0, *medians[0] - *medians[1]));
    }
    std::vector<std::pair<const char*, SeriesFn>> series;
    for (const char* c : t.series) series.emplace_back(c, counterSeries(prefix + c));
    writeSeries(w, during, series);
    w.EndObject();
  }
  // Components that did not answer are named in the terminal table only: every member of
  // "tiers" is an object (what `cdnlab report` reads).
  w.EndObject();
  return b.GetString();
}

std::string tiersTable(const TierSnapshot& before, const TierSnapshot& after, const geo::Topology& topo) {
  const HitCount edge = tierHits(before, after, topo, geo::Tier::Edge);
  const HitCount shield = tierHits(before, after, topo, geo::Tier::Shield);
  std::string out = "\nper tier (the components' /metrics, start to end of the measured run):\n";
  char line[320];
  auto ms = [](std::optional<double> v) {
    char b[32];
    if (!v) return std::string("-");
    std::snprintf(b, sizeof b, "%.1f ms", *v);
    return std::string(b);
  };
  std::snprintf(line, sizeof line, "  edge     requests %8.0f  hit ratio %5.1f%%\n", edge.requests, 100 * edge.ratio());
  out += line;
  if (shield.requests > 0 || topo.pops.size() > topo.edgePops().size()) {
    std::snprintf(line, sizeof line, "  shield   requests %8.0f  hit ratio %5.1f%%\n", shield.requests, 100 * shield.ratio());
    out += line;
  }
  if (after.values.count("gateway/requests")) {
    std::snprintf(line, sizeof line, "  gateway  requests %8.0f  4xx %.0f  5xx %.0f  throttled %.0f  p50 %s (integration %s)\n",
                  delta(before, after, "gateway/requests"), delta(before, after, "gateway/4xx"),
                  delta(before, after, "gateway/5xx"), delta(before, after, "gateway/throttled"),
                  ms(p50(before, after, "gateway/latency_ms")).c_str(),
                  ms(p50(before, after, "gateway/integration_latency_ms")).c_str());
    out += line;
  }
  if (after.values.count("lambda/invocations")) {
    std::snprintf(line, sizeof line,
                  "  lambda   invocations %5.0f  cold starts %.0f  errors %.0f  throttles %.0f  duration p50 %s\n",
                  delta(before, after, "lambda/invocations"), delta(before, after, "lambda/cold_starts"),
                  delta(before, after, "lambda/errors"), delta(before, after, "lambda/throttles"),
                  ms(p50(before, after, "lambda/duration_ms")).c_str());
    out += line;
  }
  if (after.values.count("store/requests")) {
    std::snprintf(line, sizeof line,
                  "  store    reads %8.0f  writes %.0f  RCU %.1f  WCU %.1f  errors %.0f  p50 %s\n",
                  delta(before, after, "store/reads"), delta(before, after, "store/writes"),
                  delta(before, after, "store/read_capacity_units"), delta(before, after, "store/write_capacity_units"),
                  delta(before, after, "store/client_errors") + delta(before, after, "store/server_errors"),
                  ms(p50(before, after, "store/latency_ms")).c_str());
    out += line;
  }
  bool anyBehavior = false;
  for (const auto& [k, v] : after.values)
    if (k.rfind("behavior/", 0) == 0 && k.size() > 18 && k.compare(k.size() - 9, 9, "/requests") == 0) {
      const std::string name = k.substr(9, k.size() - 18);
      HitCount h{delta(before, after, k), delta(before, after, "behavior/" + name + "/hits")};
      if (!anyBehavior) out += "per behavior (edge PoPs):\n";
      anyBehavior = true;
      std::snprintf(line, sizeof line, "  %-12s requests %8.0f  hit ratio %5.1f%%\n", name.c_str(), h.requests, 100 * h.ratio());
      out += line;
    }
  for (const auto& u : after.unreachable) out += "  (" + u + ": /metrics did not answer)\n";
  return out;
}

}  // namespace cdnlab::loadgen

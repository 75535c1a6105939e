// Per-tier counters of a load run (see tiers.h).
#include "bench/loadgen/tiers.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

#include "bench/loadgen/prometheus_text.h"
#include "bench/loadgen/scrape.h"

namespace cdnlab::loadgen {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void scrapeInto(TierSnapshot& s, const std::string& component, const config::HostPort& at,
                const std::vector<std::pair<std::string, std::string>>& counters) {
  auto text = fetchText(Endpoint{at.host, at.port}, "/metrics", 2000);
  if (!text.ok()) {
    s.unreachable.push_back(component);
    return;
  }
  for (const auto& [key, metric] : counters)
    s.values[component + "/" + key] = metricSum(*text, metric).value_or(0);
}

double delta(const TierSnapshot& b, const TierSnapshot& a, const std::string& key) {
  auto x = a.values.find(key);
  if (x == a.values.end()) return 0;
  auto y = b.values.find(key);
  const double d = x->second - (y == b.values.end() ? 0 : y->second);
  return d > 0 ? d : 0;  // a restarted component counts from 0 again
}

struct HitCount {
  double requests = 0, hits = 0;
  double ratio() const { return requests > 0 ? hits / requests : 0; }
};

void writeHits(Writer& w, const HitCount& h) {
  w.StartObject();
  w.Key("requests"); w.Double(h.requests);
  w.Key("hits"); w.Double(h.hits);
  w.Key("hit_ratio"); w.Double(h.ratio());
  w.EndObject();
}

}  // namespace

TierSnapshot scrapeTiers(const geo::Topology& topo) {
  TierSnapshot s;
  for (const auto& p : topo.pops)
    if (p.admin)
      scrapeInto(s, "pop/" + p.id, *p.admin,
                 {{"requests", "cdnlab_requests_total"}, {"hits", "cdnlab_hits_total"},
                  {"upstream_requests", "cdnlab_upstream_requests_total"}});
  if (topo.app.gateway)
    scrapeInto(s, "gateway", topo.app.gateway->address,
               {{"requests", "cdnlab_gateway_requests_total"}, {"4xx", "cdnlab_gateway_4xx_total"},
                {"5xx", "cdnlab_gateway_5xx_total"}, {"throttled", "cdnlab_gateway_throttled_total"}});
  if (topo.app.lambda)
    scrapeInto(s, "lambda", topo.app.lambda->address,
               {{"invocations", "cdnlab_lambda_invocations_total"}, {"errors", "cdnlab_lambda_errors_total"},
                {"throttles", "cdnlab_lambda_throttles_total"}, {"cold_starts", "cdnlab_lambda_cold_starts_total"},
                {"timeouts", "cdnlab_lambda_timeouts_total"}});
  return s;
}

std::string tiersJson(const TierSnapshot& before, const TierSnapshot& after, const geo::Topology& topo) {
  HitCount edge, shield;
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("pops");
  w.StartObject();
  for (const auto& p : topo.pops) {
    const std::string k = "pop/" + p.id + "/";
    if (!after.values.count(k + "requests")) continue;
    HitCount h{delta(before, after, k + "requests"), delta(before, after, k + "hits")};
    (p.tier == geo::Tier::Edge ? edge : shield).requests += h.requests;
    (p.tier == geo::Tier::Edge ? edge : shield).hits += h.hits;
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
  w.Key("edge"); writeHits(w, edge);
  w.Key("shield"); writeHits(w, shield);
  for (const char* comp : {"gateway", "lambda"}) {
    bool any = false;
    for (const auto& [k, v] : after.values) any |= k.rfind(std::string(comp) + "/", 0) == 0;
    if (!any) continue;
    w.Key(comp);
    w.StartObject();
    for (const auto& [k, v] : after.values)
      if (k.rfind(std::string(comp) + "/", 0) == 0) {
        w.Key(k.substr(std::string(comp).size() + 1).c_str());
        w.Double(delta(before, after, k));
      }
    w.EndObject();
  }
  // Components that did not answer are named in the terminal table only: every member of
  // "tiers" is an object (what `cdnlab report` reads).
  w.EndObject();
  return b.GetString();
}

std::string tiersTable(const TierSnapshot& before, const TierSnapshot& after, const geo::Topology& topo) {
  HitCount edge, shield;
  for (const auto& p : topo.pops) {
    const std::string k = "pop/" + p.id + "/";
    HitCount& t = p.tier == geo::Tier::Edge ? edge : shield;
    t.requests += delta(before, after, k + "requests");
    t.hits += delta(before, after, k + "hits");
  }
  std::string out = "\nper tier (the components' /metrics, start to end of the measured run):\n";
  char line[256];
  std::snprintf(line, sizeof line, "  edge     requests %8.0f  hit ratio %5.1f%%\n", edge.requests, 100 * edge.ratio());
  out += line;
  if (shield.requests > 0 || topo.pops.size() > topo.edgePops().size()) {
    std::snprintf(line, sizeof line, "  shield   requests %8.0f  hit ratio %5.1f%%\n", shield.requests, 100 * shield.ratio());
    out += line;
  }
  if (after.values.count("gateway/requests")) {
    std::snprintf(line, sizeof line, "  gateway  requests %8.0f  4xx %.0f  5xx %.0f  throttled %.0f\n",
                  delta(before, after, "gateway/requests"), delta(before, after, "gateway/4xx"),
                  delta(before, after, "gateway/5xx"), delta(before, after, "gateway/throttled"));
    out += line;
  }
  if (after.values.count("lambda/invocations")) {
    std::snprintf(line, sizeof line, "  lambda   invocations %5.0f  cold starts %.0f  errors %.0f  throttles %.0f\n",
                  delta(before, after, "lambda/invocations"), delta(before, after, "lambda/cold_starts"),
                  delta(before, after, "lambda/errors"), delta(before, after, "lambda/throttles"));
    out += line;
  }
  for (const auto& u : after.unreachable) out += "  (" + u + ": /metrics did not answer)\n";
  return out;
}

}  // namespace cdnlab::loadgen

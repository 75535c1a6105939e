// The report's plots (see plots.h).
#include "report/plots.h"

#include <algorithm>
#include <cmath>

#include "geo/latency_model.h"

namespace cdnlab::report {
namespace {

std::vector<std::pair<double, double>> ratioSeries(const std::vector<SecondSample>& series) {
  std::vector<std::pair<double, double>> out;
  for (const auto& s : series)
    if (s.requests > 0) out.emplace_back(s.second, s.hits / s.requests);
  return out;
}

std::vector<std::pair<double, double>> cdfPoints(const Percentiles& p) {
  std::vector<std::pair<double, double>> out;
  for (const auto& [share, ms] : p.points) out.emplace_back(ms, share);
  return out;
}

const TierFigures* findTier(const RunData& run, std::string_view name) {
  for (const auto& t : run.tiers)
    if (t.tier == name) return &t;
  return nullptr;
}

// A chart of a per-second series over the measured run.
LineChart perSecondChart(std::string id, std::string title, std::string yLabel) {
  LineChart c;
  c.id = std::move(id);
  c.title = std::move(title);
  c.x.label = "second of the measured run";
  c.y.label = std::move(yLabel);
  return c;
}

std::optional<double> tierValue(const TierFigures* t, std::string_view key) {
  if (!t) return std::nullopt;
  for (const auto& [k, v] : t->values)
    if (k == key) return v;
  return std::nullopt;
}

}  // namespace

LineChart hitRatioOverTime(const RunData& run) {
  LineChart c = perSecondChart("hit-ratio", "Hit ratio over time per PoP (Hit and Stale count as hits)", "hit ratio");
  c.y.percent = true;
  for (const auto& p : run.pops) c.series.push_back({p.name, ratioSeries(p.series)});
  Series all{"all PoPs", ratioSeries(run.total.series)};
  all.dashed = true;
  all.color = 7;
  c.series.push_back(std::move(all));
  if (run.total.hitRatio) c.yMarks.emplace_back(*run.total.hitRatio, "run's hit ratio");
  return c;
}

LineChart latencyCdf(const RunData& run) {
  LineChart c;
  c.id = "latency-cdf";
  c.title = "Latency CDF per client region: hits (solid) and misses (dashed)";
  c.x.label = "latency ms";
  c.x.log = true;
  c.y.label = "share of requests";
  c.y.percent = true;
  c.height = std::max(300, 40 + 16 * static_cast<int>(run.regions.size() * 2));
  for (size_t i = 0; i < run.regions.size(); ++i) {
    const Tally& r = run.regions[i];
    // The region's CDF of one outcome, in the region's colour.
    auto addCdf = [&](const char* outcome, const char* suffix, bool dashed) {
      auto it = r.latencyByOutcome.find(outcome);
      if (it == r.latencyByOutcome.end()) return;
      Series s{r.name + suffix, cdfPoints(it->second)};
      s.step = true;
      s.dashed = dashed;
      s.color = i;
      c.series.push_back(std::move(s));
    };
    addCdf("Hit", " hit", false);
    addCdf("Miss", " miss", true);
  }
  return c;
}

LineChart offloadOverTime(const RunData& run) {
  LineChart c = perSecondChart("offload", "Origin offload over time: requests answered without the origin",
                               "share of client requests");
  c.y.percent = true;
  c.series.push_back({"answered at the edge", ratioSeries(run.total.series)});
  // When the run scraped the origin per second, the true offload: 1 - origin / client requests.
  if (const TierFigures* origin = findTier(run, "origin")) {
    auto it = origin->series.find("requests");
    if (it != origin->series.end()) {
      std::vector<std::pair<double, double>> pts;
      for (const auto& [second, originRequests] : it->second)
        for (const auto& s : run.total.series)
          if (s.second == second && s.requests > 0)
            pts.emplace_back(second, std::clamp(1.0 - originRequests / s.requests, 0.0, 1.0));
      c.series.push_back({"not sent to the origin", std::move(pts)});
    }
  }
  if (run.requestOffload) c.yMarks.emplace_back(*run.requestOffload, "origin offload (origin's counters)");
  return c;
}

LineChart coldStartsOverTime(const RunData& run) {
  LineChart c = perSecondChart("cold-starts", "Lambda cold starts and invocations per second", "per second");
  if (const TierFigures* lambda = findTier(run, "lambda"))
    for (const auto& [name, points] : lambda->series)
      if (name.find("cold") != std::string::npos || name.find("invocation") != std::string::npos) {
        Series s{name, points};
        s.dashed = name.find("invocation") != std::string::npos;
        c.series.push_back(std::move(s));
      }
  return c;
}

StackedBarChart tierBreakdown(const RunData& run, const geo::Topology* topology) {
  StackedBarChart c;
  c.id = "tier-breakdown";
  c.title = "Where a median request's time goes, per client region (a miss at every tier)";
  c.unit = "ms";
  const TierFigures* gateway = findTier(run, "gateway");
  const TierFigures* lambda = findTier(run, "lambda");
  const TierFigures* store = findTier(run, "store");
  for (const auto& r : run.regions) {
    auto hit = r.latencyByOutcome.find("Hit");
    auto miss = r.latencyByOutcome.find("Miss");
    if (hit == r.latencyByOutcome.end() || miss == r.latencyByOutcome.end()) continue;
    auto hitMs = hit->second.ms(0.5), missMs = miss->second.ms(0.5);
    if (!hitMs || !missMs) continue;
    StackedBar b;
    b.label = r.name;
    b.parts.emplace_back("edge (hit p50)", *hitMs);
    double upstream = std::max(0.0, *missMs - *hitMs);
    // The model says how the upstream part splits between the trip to the shield and the trip
    // on to the origin; what the model does not cover is service time and queueing.
    double toShield = 0, toOrigin = 0;
    const geo::RegionSpec* region = topology ? topology->findRegion(r.name) : nullptr;
    if (region && topology->latencyEnabled) {
      geo::LatencyModel model(topology->latency);
      // The client's PoP: the nearest edge PoP (what the router's default strategy picks).
      const geo::PopSpec* pop = nullptr;
      double best = 1e18;
      for (const geo::PopSpec* p : topology->edgePops()) {
        double km = geo::greatCircleKm(region->location, p->location);
        if (km < best) best = km, pop = p;
      }
      if (pop) {
        auto path = topology->missPath(region->location, pop->id);  // client, PoP, shields..., origin
        for (size_t i = 2; i < path.size(); ++i) {
          double leg = model.rttMs(path[i - 1], path[i]);
          (i + 1 == path.size() ? toOrigin : toShield) += leg;
        }
      }
    }
    double modelled = toShield + toOrigin;
    if (modelled > upstream && modelled > 0) {  // the measured median is below the model: scale down
      toShield *= upstream / modelled;
      toOrigin *= upstream / modelled;
      modelled = upstream;
    }
    if (toShield > 0) b.parts.emplace_back("to the shield and back", toShield);
    if (toOrigin > 0) b.parts.emplace_back("to the origin and back", toOrigin);
    double rest = upstream - modelled;
    // The application tiers' medians, measured by each component: the gateway's own time (its
    // latency less the integration's), the function's (its duration less the store's answer
    // it waited for), the store's. Disjoint parts, so they stack.
    auto storeMs = tierValue(store, "latency_p50_ms");
    auto gatewayMs = tierValue(gateway, "overhead_p50_ms");
    if (!gatewayMs) gatewayMs = tierValue(gateway, "latency_p50_ms");
    auto functionMs = tierValue(lambda, "duration_p50_ms");
    if (functionMs && storeMs) functionMs = std::max(0.0, *functionMs - *storeMs);
    for (auto [v, label] : {std::pair{gatewayMs, "gateway"}, std::pair{functionMs, "function"}, std::pair{storeMs, "store"}}) {
      if (!v || *v <= 0) continue;
      double part = std::min(*v, rest);
      b.parts.emplace_back(label, part);
      rest -= part;
    }
    b.parts.emplace_back("origin service and queueing", rest);
    c.bars.push_back(std::move(b));
  }
  return c;
}

}  // namespace cdnlab::report

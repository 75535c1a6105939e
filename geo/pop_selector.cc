#include "geo/pop_selector.h"

#include <limits>
#include <vector>

namespace cdnlab::geo {

std::optional<Strategy> parseStrategy(std::string_view name) {
  if (name == "nearest") return Strategy::Nearest;
  if (name == "latency") return Strategy::Latency;
  if (name == "weighted") return Strategy::Weighted;
  return std::nullopt;
}

const char* strategyName(Strategy s) {
  switch (s) {
    case Strategy::Nearest: return "nearest";
    case Strategy::Latency: return "latency";
    case Strategy::Weighted: return "weighted";
  }
  return "?";
}

double PopSelector::score(const PopCandidate& pop, GeoPoint client) const {
  if (strategy_ == Strategy::Latency) return model_.rttMs(client, pop.location) + pop.extraMs;
  return greatCircleKm(client, pop.location);
}

std::optional<Selection> PopSelector::select(std::span<const PopCandidate> pops, GeoPoint client,
                                             double draw) const {
  // The PoP the strategy would pick if all were healthy: tells whether we failed over.
  std::optional<size_t> bestAny, bestHealthy;
  double bestAnyScore = std::numeric_limits<double>::infinity(), bestHealthyScore = bestAnyScore;
  for (size_t i = 0; i < pops.size(); ++i) {
    const double s = score(pops[i], client);
    if (s < bestAnyScore) bestAnyScore = s, bestAny = i;
    if (pops[i].healthy && s < bestHealthyScore) bestHealthyScore = s, bestHealthy = i;
  }
  if (!bestHealthy) return std::nullopt;

  size_t chosen = *bestHealthy;
  if (strategy_ == Strategy::Weighted) {
    // Weight / RTT^2: a PoP twice as far gets a quarter of the share. RTT includes per-hop
    // processing, so a PoP in the client's own city does not get an infinite share.
    std::vector<double> shares(pops.size(), 0.0);
    double total = 0;
    for (size_t i = 0; i < pops.size(); ++i) {
      if (!pops[i].healthy || pops[i].weight <= 0) continue;
      const double rtt = model_.rttMs(client, pops[i].location);
      shares[i] = pops[i].weight / (rtt * rtt);
      total += shares[i];
    }
    if (total > 0) {
      double target = draw * total;
      for (size_t i = 0; i < pops.size(); ++i) {
        if (shares[i] <= 0) continue;
        chosen = i;  // the last positive share absorbs rounding when draw is close to 1
        if (target < shares[i]) break;
        target -= shares[i];
      }
    }
  }
  Selection sel;
  sel.index = chosen;
  sel.distanceKm = greatCircleKm(client, pops[chosen].location);
  sel.rttMs = model_.rttMs(client, pops[chosen].location);
  sel.failedOver = bestAny && !pops[*bestAny].healthy;
  return sel;
}

}  // namespace cdnlab::geo

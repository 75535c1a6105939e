// PoP selection: "which PoP should this client use?" (the GeoDNS / redirect step at the front of
// the request path). Pure: it sees only the candidates, their health as last checked and the
// client's location, so the router, the simulator and the tests run the same code.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "geo/geo_point.h"
#include "geo/latency_model.h"

namespace cdnlab::geo {

// One PoP as the selector sees it.
struct PopCandidate {
  std::string id;
  GeoPoint location;
  bool healthy = true;   // from the router's health checks; unhealthy PoPs are never chosen
  double weight = 1.0;   // for Strategy::Weighted; <= 0 takes the PoP out of weighted picks
  double extraMs = 0.0;  // for Strategy::Latency: measured cost beyond the distance (e.g. the
                         // PoP's health-check response time), added to the model's RTT
};

enum class Strategy {
  Nearest,   // smallest great-circle distance
  Latency,   // smallest modelled RTT + extraMs
  Weighted,  // random among PoPs, in proportion to weight / RTT^2 (near ones preferred, far
             // ones still get a share: how an operator spreads load across regions)
};

// "nearest", "latency", "weighted" -> Strategy; nullopt for anything else.
std::optional<Strategy> parseStrategy(std::string_view name);
const char* strategyName(Strategy s);

struct Selection {
  size_t index = 0;       // into the candidates span
  double distanceKm = 0;  // client -> chosen PoP
  double rttMs = 0;       // modelled RTT client -> chosen PoP
  bool failedOver = false;  // the PoP the strategy ranks first (health ignored) was unhealthy
};

class PopSelector {
 public:
  PopSelector(Strategy strategy, LatencyModel model) : strategy_(strategy), model_(model) {}

  // Picks a healthy PoP for a client at `client`. `draw` is a uniform random number in [0, 1)
  // used only by Strategy::Weighted (passed in, so tests and the simulator are repeatable).
  // nullopt when no candidate is healthy.
  std::optional<Selection> select(std::span<const PopCandidate> pops, GeoPoint client, double draw = 0.0) const;

  Strategy strategy() const { return strategy_; }
  const LatencyModel& model() const { return model_; }

 private:
  double score(const PopCandidate& pop, GeoPoint client) const;  // lower is better

  Strategy strategy_;
  LatencyModel model_;
};

}  // namespace cdnlab::geo

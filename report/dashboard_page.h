// The live dashboard's page, served by `cdnlab dashboard` (and by `cdnlab up`'s dashboard): the
// topology map and a table of every component, then a script that polls the server's
// /api/state once a second and updates the counters, the PoPs' hit ratios on the map and a
// chart of the last minutes. Pure: the page is a string; the server is bench/dashboard/.
#pragma once

#include <string>

#include "geo/topology.h"

namespace cdnlab::report {

// One component the dashboard watches (a PoP, the origin; later tiers add theirs).
struct WatchedComponent {
  std::string id;
  std::string kind;  // "edge", "shield", "origin", "store", "lambda", "gateway"
  std::string city;
};

std::string renderDashboardPage(const geo::Topology& topology, const std::vector<WatchedComponent>& components);

}  // namespace cdnlab::report

// The live dashboard's page, served by `cdnlab dashboard` (and by `cdnlab up`'s dashboard): a
// panel per tier (edge, shield, gateway, Lambda, store, origin), the topology map and a table of
// every component, then a script that polls the server's /api/state once a second and updates
// the counters, the PoPs' hit ratios on the map and charts of the last minutes (hit ratio per
// PoP; gateway requests, Lambda invocations, cold starts and throttles, store reads and writes;
// the store's consumed capacity). Pure: the page is a string; the server is bench/dashboard/.
#pragma once

#include <string>
#include <vector>

#include "geo/topology.h"

namespace cdnlab::report {

// One component the dashboard watches (a PoP, the origin, the gateway, the Lambda service, the store).
struct WatchedComponent {
  std::string id;
  std::string kind;  // "edge", "shield", "origin", "store", "lambda", "gateway"
  std::string city;
};

std::string renderDashboardPage(const geo::Topology& topology, const std::vector<WatchedComponent>& components);

}  // namespace cdnlab::report

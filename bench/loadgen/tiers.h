// What each tier of a topology did during a load run, from the components' own /metrics scraped
// when measuring starts and when it ends (the difference is the run's share): per PoP requests
// and hits (edge and shield tiers), the gateway's requests and errors, the Lambda service's
// invocations, errors, throttles and cold starts. Blocking HTTP GETs from the calling thread,
// outside the request path. A component that does not answer is left out, and said so.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "geo/topology.h"

namespace cdnlab::loadgen {

// Counter name -> value, keys like "pop/fra/hits", "gateway/requests", "lambda/cold_starts".
struct TierSnapshot {
  std::map<std::string, double> values;
  std::vector<std::string> unreachable;  // components whose /metrics did not answer
};

TierSnapshot scrapeTiers(const geo::Topology& topo);

// The run's tiers as a JSON object: {"edge": {"requests", "hits", "hit_ratio"}, "shield": {...},
// "pops": {"fra": {...}}, "gateway": {...}, "lambda": {...}}; components that did not answer
// are left out (the table names them).
std::string tiersJson(const TierSnapshot& before, const TierSnapshot& after, const geo::Topology& topo);
// Lines for the terminal, after the load's own tables.
std::string tiersTable(const TierSnapshot& before, const TierSnapshot& after, const geo::Topology& topo);

}  // namespace cdnlab::loadgen

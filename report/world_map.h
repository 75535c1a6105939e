// The topology on a world map: client regions, edge PoPs, the shield tier and the origin,
// placed by their coordinates on a plain equirectangular projection (longitude -> x, latitude
// -> y), with the routes requests take: each region to the edge PoP it is routed to, each PoP
// up its chain of shields to the origin. Pure; drawn as SVG like the other plots.
#pragma once

#include <string>

#include "geo/topology.h"
#include "report/run_data.h"

namespace cdnlab::report {

// `run` may be null (the live dashboard draws the map before any load ran); with a run, a
// region's marker grows with its share of the requests and a PoP's label shows its hit ratio.
std::string renderWorldMap(const geo::Topology& topology, const RunData* run);

}  // namespace cdnlab::report

// The behaviors of a topology's PoPs as the files `cdnlab pop --behaviors FILE` reads
// (docs/behaviors.md): `origins:` from the topology (the gateway with its deployed API's path,
// the catalog, the shields) and the PoP's `behaviors:` list as written in the topology file.
// `up` writes them to the run directory after the deploy step, before the PoPs start.
#pragma once

#include <map>
#include <string>

#include "common/result.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

// PoP id -> file written, for every PoP with behaviors. `topologyFile` is re-read (yaml-cpp) for
// the behaviors' text; the loader has already checked it.
Result<std::map<std::string, std::string>> writeBehaviorFiles(const geo::Topology& topo, const std::string& topologyFile,
                                                              const std::string& dir,
                                                              const std::string& gatewayPathPrefix);

}  // namespace cdnlab::bench::run

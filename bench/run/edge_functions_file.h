// The edge-function associations of a topology's PoPs as the files `cdnlab pop --edge-functions
// FILE` reads (docs/edge-functions.md): `up` writes `<run dir>/<id>.edge-functions.yaml` for every
// PoP with `edge_functions:` and starts the PoP with `--edge-functions` instead of fixed
// `--edge-function` flags, so `cdnlab up --reload` can rewrite the file and SIGHUP the PoP.
#pragma once

#include <map>
#include <string>

#include "common/result.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

// The file's text for one PoP: `edge_functions:` with its associations in topology order.
std::string edgeFunctionsYaml(const geo::PopSpec& pop, const std::string& topologyFile);

// `<dir>/<id>.edge-functions.yaml` for a PoP.
std::string edgeFunctionsPath(const std::string& dir, const std::string& popId);

// Writes the file of every PoP with edge functions (each replaced in one rename, so a PoP that
// reloads meanwhile reads the old file or the new one, never half of one). PoP id -> path.
Result<std::map<std::string, std::string>> writeEdgeFunctionFiles(const geo::Topology& topo,
                                                                  const std::string& topologyFile,
                                                                  const std::string& dir);

// Replaces `path` with `text` through a temporary file and rename(2).
Result<bool> replaceFile(const std::string& path, const std::string& text);

}  // namespace cdnlab::bench::run

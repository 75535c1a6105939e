// The topology a subcommand works on (`cdnlab geo`, `router`, `dashboard`): the file it names, or
// the embedded default (configs/shop.yaml) when it names none.
#pragma once

#include <string>

#include "bench/run/default_topology.h"
#include "geo/topology.h"

namespace cdnlab::cli {

inline config::Parsed<geo::Topology> loadTopologyArg(const std::string& file) {
  return file.empty() ? geo::loadTopologyString(bench::run::defaultTopologyYaml(), bench::run::kDefaultTopologyName)
                      : geo::loadTopologyFile(file);
}

}  // namespace cdnlab::cli

// What `cdnlab up` starts for a topology: one process per component (origin, shield PoPs, edge
// PoPs, router), the flags each gets, and the order. Pure: computed from a geo::Topology, so the
// start order and the per-hop latencies are unit-tested without starting anything.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config/units.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

enum class Kind { Origin, Pop, Router, Store, Lambda, Gateway, Dashboard };
// Also the cdnlab subcommand: "origin", "pop", "router", "store", "lambda", "gateway".
const char* kindName(Kind k);

struct Component {
  Kind kind = Kind::Pop;
  std::string name;  // "origin", the PoP id, "router"
  std::string tier;  // "origin", "shield", "edge", "router" (for the table)
  std::string city;
  config::HostPort address;
  std::optional<config::HostPort> admin;
  // Components of one wave start together; a wave starts when the previous one is ready.
  // Origin 0, then PoPs by their distance from the origin (a shield whose upstream is the origin
  // is 1, an edge behind it 2), the router last: every PoP's upstream is listening before the
  // PoP takes its first request.
  int wave = 0;
  std::vector<std::string> args;  // subcommand and flags, without argv[0]
  std::vector<std::string> env;   // "NAME=value" added to the inherited environment
  std::vector<std::string> readyNames;  // the `listening <name>` lines that mean ready
  double upstreamRttMs = 0;  // the PoP's upstream hop (0 when the model is off, or not a PoP)
};

struct PlanInputs {
  std::string topologyFile;  // a file the router can read (the embedded default is written out)
  std::string catalogFile;   // a file with a `catalog:` section for the origin
  std::string geoDb;         // the region MaxMind DB the router reads
  bool latency = true;       // false: --no-latency (or latency.enabled: false)
  std::string logDir = {};   // where PoPs with access logs write <id>.access.log
  bool accessLogs = false;   // `up --access-logs`: every PoP, whatever the topology says
  std::string dataDir = {};  // the store's, the Lambda service's and the gateway's data live under it
  // Path prefix of the deployed API on the gateway ("/_api/<apiId>[/<stage>]"), known once `up`
  // has imported it; PoPs with `upstream: gateway` fetch from http://<gateway><prefix>.
  std::string gatewayPathPrefix = {};
  // The region DB given to PoPs with edge functions (CloudFront-Viewer-Country).
  std::string geoDbForPops = {};
  // PoP id -> its behaviors file (behaviors_file.h), written once the gateway's API is deployed.
  std::map<std::string, std::string> behaviorFiles = {};
  // PoP id -> its edge-functions file (edge_functions_file.h): the PoP gets `--edge-functions
  // FILE` (reloadable on SIGHUP) instead of `--edge-function` flags. A PoP with edge functions
  // but no file here gets the flags.
  std::map<std::string, std::string> edgeFunctionFiles = {};
};

// The last wave of the application tier (store 0, Lambda 1, gateway 2; 0 without one): `up`
// deploys tables, functions and APIs after it, before the PoPs start.
int applicationWaves(const geo::Topology& topo);

// RTT of a PoP's upstream hop (PoP -> shield, or PoP -> origin) from the latency model.
double upstreamRttMs(const geo::Topology& topo, const geo::PopSpec& pop);

// Every component, sorted by wave (stable: file order within a wave).
std::vector<Component> planComponents(const geo::Topology& topo, const PlanInputs& in);

// "84.213ms": a duration flag value cdnlab pop parses (common/config/units.h).
std::string formatMs(double ms);

}  // namespace cdnlab::bench::run

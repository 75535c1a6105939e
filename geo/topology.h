// The topology: every PoP, the shield tier, the origin, the simulated client regions, the
// latency model and the router, as one immutable value loaded from YAML (configs/shop.yaml
// is the default; docs/topology.md documents every field). `cdnlab up` starts processes from
// it, `cdnlab geo build` turns its regions into a MaxMind DB, the router and the load generator
// read it. Loading is parse -> read (common/config) -> validate; every problem is reported with
// file, line and field, and nothing half-valid is ever returned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/error.h"
#include "common/config/reader.h"
#include "common/config/units.h"
#include "geo/geo_point.h"
#include "geo/ip_network.h"
#include "geo/latency_model.h"
#include "geo/pop_selector.h"
#include "geo/topology_app.h"

namespace cdnlab::geo {

enum class Tier { Edge, Shield };
const char* tierName(Tier t);

// The upstream name that means "the origin" rather than a shield PoP.
inline constexpr std::string_view kOriginUpstream = "origin";
// The upstream name that means "the topology's API Gateway" (its first API, docs/topology.md).
inline constexpr std::string_view kGatewayUpstream = "gateway";

// A Lambda@Edge association of a PoP: `cdnlab pop --edge-function TRIGGER=FUNCTION@PATH`.
struct EdgeFunctionSpec {
  std::string trigger;   // viewer-request | origin-request | origin-response | viewer-response
  std::string function;  // builtin:NAME | native:NAME | lambda:NAME
  std::string path = "*";  // CloudFront path pattern
};

struct PopSpec {
  std::string id;    // unique; also the X-Served-By / X-Cdnlab-Pop value
  std::string city;  // for humans (tables, reports)
  GeoPoint location;
  config::HostPort address;                 // where it serves HTTP: a 127.0.0.0/8 address
  std::optional<config::HostPort> admin;    // purge + /metrics listener
  std::uint64_t capacityBytes = 0;
  std::string policy = "lru";
  int workers = 1;
  Tier tier = Tier::Edge;
  std::string upstream;  // a shield PoP's id, "origin" or "gateway"
  double weight = 1.0;   // for the router's weighted strategy
  bool accessLog = false;  // `cdnlab up` gives it --access-log <run dir>/<id>.access.log
  std::vector<EdgeFunctionSpec> edgeFunctions;  // in file order (the first match per trigger runs)
  // CloudFront-style behaviors (docs/behaviors.md), checked by the PoP's own reader at load; `up`
  // writes them with their origins to `<run dir>/<id>.behaviors.yaml` for `cdnlab pop --behaviors`.
  // Their names, in order (metrics label behavior="..."); empty: the PoP has none.
  std::vector<std::string> behaviorNames;
};


struct OriginSpec {
  std::string city;
  GeoPoint location;
  config::HostPort address;
  std::optional<config::HostPort> admin;
  // Where the catalog is: empty = the `catalog:` section of this same file; otherwise a YAML
  // file with a `catalog:` section, resolved relative to the topology file's folder.
  std::string catalogFile;
};

struct RegionSpec {
  std::string name;  // unique; also written to the MaxMind DB as cdnlab.region
  std::string city;
  std::string country;  // ISO 3166-1 alpha-2, may be empty
  GeoPoint location;
  IpNetwork block;      // client source addresses, inside 127.0.0.0/8, disjoint from others
  double share = 1;     // of the topology's clients, normalised so all regions sum to 1
  double rate = 0;      // requests/s this region sends (load.rate x share unless given)
  double zipfAlpha = 0.9;
  double lastMileMs = 0;       // access-network RTT added to every client round trip (default by area)
  double bandwidthMbps = 50;   // the clients' last-mile bandwidth (default latency.client_bandwidth_mbps)
};

struct HealthCheckSpec {
  // Http: GET <path> answered with a status < 500; Tcp: a TCP connect succeeds. Sent to the
  // PoP's admin listener when it has one (its /healthz answers without touching the cache, so
  // checks never show up as client traffic or origin fetches), else to its main address.
  enum class Mode { Http, Tcp } mode = Mode::Http;
  std::string path = "/healthz";
  config::Duration interval = std::chrono::seconds(1);
  config::Duration timeout = std::chrono::milliseconds(500);
  int unhealthyAfter = 1;  // consecutive failures before a PoP is taken out
  int healthyAfter = 1;    // consecutive successes before it is put back
};

struct RouterSpec {
  config::HostPort address{"127.0.1.1", 8000};
  config::Duration ttl = std::chrono::seconds(30);  // Cache-Control max-age of the 302
  Strategy strategy = Strategy::Nearest;
  HealthCheckSpec healthCheck;
  std::vector<IpNetwork> trustedForwarders;  // X-Forwarded-For honoured only from these
  std::string fallbackPop;  // for clients the geo DB does not know; empty = first edge PoP
};

// One class of request in a load mix: `path` with one placeholder, `{id}` (or `{id:05}`,
// zero-padded to 5 digits) = a Zipf-ranked id below `objects`, or `{value}` = one of `values`
// picked by the same ranked id.
struct LoadMixClass {
  double weight = 1;
  std::string method = "GET";  // GET or POST
  std::string path;
  std::string body;  // POST: sent as application/json; the placeholder may stand here instead of in the path
  std::uint64_t objects = 0;  // 0: the catalog's object count
  std::vector<std::string> values;
};

struct LoadSpec {
  std::vector<LoadMixClass> mix;  // empty: GET /obj/<id> over the catalog
  double rate = 200;  // requests/s over all regions
  config::Duration duration = std::chrono::seconds(30);
  config::Duration warmup = std::chrono::seconds(5);
  double zipfAlpha = 0.9;
  bool perRegionRanking = false;  // each region its own popularity order (regional preferences)
};

struct Topology {
  std::string file;  // as loaded (for messages and relative paths)
  LatencyParams latency = calibratedLatencyParams();
  bool latencyEnabled = true;
  RouterSpec router;
  OriginSpec origin;
  std::vector<PopSpec> pops;  // in file order
  std::vector<RegionSpec> regions;
  LoadSpec load;
  AppSpec app;  // store, Lambda service and functions, API Gateway (all optional)

  const PopSpec* findPop(std::string_view id) const;
  const RegionSpec* findRegion(std::string_view name) const;
  // Edge-tier PoPs (the ones clients are routed to), in file order.
  std::vector<const PopSpec*> edgePops() const;
  // The chain of upstreams from a PoP to the origin (ids; the origin is not included).
  std::vector<std::string> upstreamChain(std::string_view popId) const;
  // The locations a miss at `popId` travels through: client, the PoP, its shields, the origin
  // (feed to LatencyModel::pathMs; a prefix of it is a hit at that tier).
  std::vector<GeoPoint> missPath(GeoPoint client, std::string_view popId) const;
  // Where `hop` (a PoP id, "origin" or "gateway") is. The application tier (store, Lambda,
  // gateway) sits with the origin.
  std::optional<GeoPoint> locationOf(std::string_view hop) const;
};

// Reads a topology from a document root (sections latency, router, origin, pops, regions,
// load; a `catalog:` section is left to the origin's reader). Errors go to the document.
Topology readTopology(config::Object& root, const std::string& file);

config::Parsed<Topology> loadTopologyFile(const std::string& path);
// The origins a PoP's behaviors may name: "gateway" (its first API), "catalog" (the origin) and
// the shield PoPs other than itself, as http URLs. The gateway's URL lacks the API's path until
// `up` has deployed it (`gatewayPathPrefix`).
std::vector<std::pair<std::string, std::string>> behaviorOrigins(const Topology& t, std::string_view popId,
                                                                 const std::string& gatewayPathPrefix = "");
config::Parsed<Topology> loadTopologyString(std::string_view yaml, std::string name = "<embedded>");

}  // namespace cdnlab::geo

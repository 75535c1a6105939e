// The geo router as an HTTP service: `GET /<anything>` -> 302 to the chosen edge PoP, same
// path; `GET /pops` -> the PoPs and their health as JSON. One worker thread: the handler and the
// health checker share its loop and RouterCore (no locks; routing is one DB lookup and a scan
// of a handful of PoPs, far below what one thread serves).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/config/units.h"
#include "common/http/server.h"
#include "common/result.h"
#include "geo/geo_db.h"
#include "geo/health_checker.h"
#include "geo/router_core.h"
#include "geo/topology.h"

namespace cdnlab::geo {

class RouterServer {
 public:
  // Keeps `topo` (by value) and the databases. `listen` overrides topo.router.address.
  static Result<std::unique_ptr<RouterServer>> create(Topology topo, std::vector<std::unique_ptr<GeoDb>> dbs,
                                                      std::optional<config::HostPort> listen = std::nullopt);
  ~RouterServer();

  // Binds and starts serving and checking; returns the bound port.
  Result<int> start();
  void stop(uint64_t graceMs = 2000);

  // The handler's answer to one request (exposed for tests of the HTTP shape).
  http::Response handle(const http::Request& req);

  const std::string& listenHost() const { return listen_.host; }
  const RouterCore& core() const { return core_; }

 private:
  RouterServer(Topology topo, std::vector<std::unique_ptr<GeoDb>> dbs, config::HostPort listen);

  Topology topo_;  // RouterCore keeps a reference: declared before it
  config::HostPort listen_;
  RouterCore core_;
  std::unique_ptr<http::HttpServer> server_;
  std::unique_ptr<HealthChecker> checker_;  // created and destroyed on the worker's loop thread
  uint64_t rng_ = 0x9E3779B97F4A7C15ull;    // for the weighted strategy's draws
};

// The address part of a peer "ip:port" / "[v6]:port".
std::string peerHost(std::string_view peer);

}  // namespace cdnlab::geo

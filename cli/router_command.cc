// `cdnlab router --topology topo.yaml --geo geo.mmdb --listen 127.0.0.1:0`: the geo router.
// Answers every GET with a 302 to the nearest healthy edge PoP of the topology (client located
// through libmaxminddb), `GET /pops` with the PoPs' health. Without --geo it builds the
// topology's region database itself (what `cdnlab geo build` would write).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/topology_arg.h"
#include "common/config/units.h"
#include "common/signals.h"
#include "geo/geo_build.h"
#include "geo/geo_db.h"
#include "geo/router_server.h"
#include "geo/topology.h"

namespace cdnlab::cli {
namespace {

struct RouterArgs {
  std::string topology;  // empty: the embedded shop, configs/shop.yaml, as `cdnlab up` uses
  std::vector<std::string> geo;
  std::string listen;
};

int runRouter(const RouterArgs& a) {
  blockStopSignals();
  auto topo = loadTopologyArg(a.topology);
  if (!topo) {
    std::fputs(config::formatErrors(topo.errors()).c_str(), stderr);
    return 2;
  }
  std::optional<config::HostPort> listen;
  if (!a.listen.empty()) {
    std::string why;
    listen = config::parseHostPort(a.listen, &why);
    if (!listen) {
      std::fprintf(stderr, "cdnlab router: --listen: %s\n", why.c_str());
      return 2;
    }
  }

  std::vector<std::unique_ptr<geo::GeoDb>> dbs;
  if (a.geo.empty()) {
    // Build the regions' DB into a private temp file; once libmaxminddb has mapped it, the
    // name can go (the mapping keeps the data).
    char tmpl[] = "/tmp/cdnlab-router-XXXXXX.mmdb";
    const int fd = mkstemps(tmpl, 5);
    if (fd < 0) {
      std::perror("cdnlab router: temp file");
      return 1;
    }
    ::close(fd);
    auto built = geo::writeRegionDatabase(*topo, tmpl);
    auto db = built.ok() ? geo::GeoDb::open(tmpl) : Result<std::unique_ptr<geo::GeoDb>>(built.error());
    ::unlink(tmpl);
    if (!db.ok()) {
      std::fprintf(stderr, "cdnlab router: %s\n", db.error().message.c_str());
      return 1;
    }
    dbs.push_back(std::move(*db));
  }
  for (const auto& path : a.geo) {
    auto db = geo::GeoDb::open(path);
    if (!db.ok()) {
      std::fprintf(stderr, "cdnlab router: %s\n", db.error().message.c_str());
      return 1;
    }
    dbs.push_back(std::move(*db));
  }

  auto server = geo::RouterServer::create(std::move(*topo), std::move(dbs), listen);
  if (!server.ok()) {
    std::fprintf(stderr, "cdnlab router: %s\n", server.error().message.c_str());
    return 1;
  }
  auto port = (*server)->start();
  if (!port.ok()) {
    std::fprintf(stderr, "cdnlab router: %s\n", port.error().message.c_str());
    return 1;
  }
  announceListening("http", listen ? listen->host : (*server)->listenHost(), *port);
  return runUntilStopSignal([&] { (*server)->stop(2000); });
}

}  // namespace

CDNLAB_COMMAND("router", "Run the geo router: 302 each client to its nearest healthy edge PoP", [](CLI::App& sub) {
  auto a = std::make_shared<RouterArgs>();
  sub.add_option("--topology", a->topology, "Topology YAML (default: the embedded shop, configs/shop.yaml)");
  sub.add_option("--geo", a->geo,
                 "MaxMind DB(s), consulted in order (default: built from the topology's regions)");
  sub.add_option("--listen", a->listen, "host:port to listen on (default: router.address of the topology)");
  return [a]() { return runRouter(*a); };
});

}  // namespace cdnlab::cli

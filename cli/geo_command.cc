// `cdnlab geo build topo.yaml -o geo.mmdb`: writes the MaxMind DB of a topology's client regions.
// `cdnlab geo lookup --geo geo.mmdb 127.10.0.5 ...`: what a MaxMind DB says about addresses
// (through libmaxminddb, like the router).
#include <cstdio>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/topology_arg.h"
#include "geo/geo_build.h"
#include "geo/geo_db.h"
#include "geo/topology.h"

namespace cdnlab::cli {
namespace {

struct GeoArgs {
  std::string topology;  // empty: the embedded shop, configs/shop.yaml, as `cdnlab up` uses
  std::string output = "geo.mmdb";
  std::string db = "geo.mmdb";
  std::vector<std::string> addresses;
};

int runBuild(const GeoArgs& a) {
  auto topo = loadTopologyArg(a.topology);
  if (!topo) {
    std::fputs(config::formatErrors(topo.errors()).c_str(), stderr);
    return 2;
  }
  auto ok = geo::writeRegionDatabase(*topo, a.output);
  if (!ok) {
    std::fprintf(stderr, "cdnlab geo build: %s\n", ok.error().message.c_str());
    return 1;
  }
  std::printf("wrote %s: %zu regions\n", a.output.c_str(), topo->regions.size());
  for (const auto& r : topo->regions)
    std::printf("  %-18s -> %s (%s) %.4f,%.4f  region %s\n", r.block.str().c_str(), r.city.c_str(),
                r.country.empty() ? "-" : r.country.c_str(), r.location.lat, r.location.lon, r.name.c_str());
  return 0;
}

int runLookup(const GeoArgs& a) {
  auto db = geo::GeoDb::open(a.db);
  if (!db) {
    std::fprintf(stderr, "cdnlab geo lookup: %s\n", db.error().message.c_str());
    return 1;
  }
  int rc = 0;
  for (const auto& ip : a.addresses) {
    auto r = (*db)->lookup(ip);
    if (!r) {
      std::fprintf(stderr, "%s: %s\n", ip.c_str(), r.error().message.c_str());
      rc = 1;
    } else if (!r->has_value()) {
      std::printf("%s: not found\n", ip.c_str());
    } else {
      const auto& g = **r;
      std::printf("%s: city=%s country=%s", ip.c_str(), g.city.empty() ? "-" : g.city.c_str(),
                  g.countryIso.empty() ? "-" : g.countryIso.c_str());
      if (g.location) std::printf(" lat=%.4f lon=%.4f", g.location->lat, g.location->lon);
      if (!g.region.empty()) std::printf(" region=%s", g.region.c_str());
      std::printf(" prefix=/%d\n", g.prefixLen);
    }
  }
  return rc;
}

std::function<int()> setupGeo(CLI::App& sub) {
  auto args = std::make_shared<GeoArgs>();
  sub.require_subcommand(1);
  CLI::App* build = sub.add_subcommand("build", "Write a MaxMind DB mapping each region's loopback block to its city");
  build->add_option("topology", args->topology, "Topology YAML (default: the embedded shop, configs/shop.yaml)");
  build->add_option("-o,--output", args->output, "MaxMind DB file to write")->capture_default_str();
  CLI::App* lookup = sub.add_subcommand("lookup", "Look addresses up in a MaxMind DB (libmaxminddb)");
  lookup->add_option("--geo", args->db, "MaxMind DB file")->capture_default_str();
  lookup->add_option("addresses", args->addresses, "IP addresses")->required();
  return [args, build, lookup]() -> int {
    if (build->parsed()) return runBuild(*args);
    if (lookup->parsed()) return runLookup(*args);
    return 2;
  };
}

}  // namespace

CDNLAB_COMMAND("geo", "Build and query MaxMind DB files of a topology's client regions", setupGeo);

}  // namespace cdnlab::cli

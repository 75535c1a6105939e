// `cdnlab dashboard [topo.yaml] --listen 127.0.0.1:0`: the live dashboard of a running topology
// (map, counters, hit ratio per second), polling the components' /metrics. `cdnlab up` starts
// one and prints its address. Logic: bench/dashboard/ and report/dashboard_page.*.
#include <cstdio>
#include <memory>
#include <string>

#include "bench/dashboard/dashboard_server.h"
#include "cli/command.h"
#include "cli/topology_arg.h"
#include "common/signals.h"
#include "geo/topology.h"

namespace cdnlab::cli {
namespace {

struct DashboardArgs {
  std::string topology;  // empty: the embedded default
  std::string listen = "127.0.1.2:8090";
};

int runDashboard(const DashboardArgs& a) {
  blockStopSignals();
  auto topo = loadTopologyArg(a.topology);
  if (!topo) {
    std::fputs(config::formatErrors(topo.errors()).c_str(), stderr);
    return 2;
  }
  http::ServerOptions options;
  if (auto ok = options.setListen(a.listen); !ok.ok()) {
    std::fprintf(stderr, "cdnlab dashboard: --listen: %s\n", ok.error().message.c_str());
    return 2;
  }
  dashboard::DashboardServer server(*topo, options);
  auto port = server.start();
  if (!port.ok()) {
    std::fprintf(stderr, "cdnlab dashboard: %s\n", port.error().message.c_str());
    return 1;
  }
  announceListening("http", options.host, *port);
  return runUntilStopSignal([&] { server.stop(); });
}

}  // namespace

CDNLAB_COMMAND("dashboard", "Serve a live dashboard (map, counters, hit ratio) of a running topology", [](CLI::App& sub) {
  auto a = std::make_shared<DashboardArgs>();
  sub.add_option("topology", a->topology, "Topology YAML (default: the embedded shop, configs/shop.yaml)");
  sub.add_option("--listen", a->listen, "host:port to serve the page on")->capture_default_str();
  return std::function<int()>([a] { return runDashboard(*a); });
});

}  // namespace cdnlab::cli

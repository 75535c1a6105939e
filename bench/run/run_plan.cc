// The start plan of `cdnlab up` (see run_plan.h).
#include "bench/run/run_plan.h"

#include <algorithm>
#include <cstdio>

namespace cdnlab::bench::run {

const char* kindName(Kind k) {
  switch (k) {
    case Kind::Origin: return "origin";
    case Kind::Pop: return "pop";
    case Kind::Router: return "router";
    case Kind::Store: return "store";
    case Kind::Lambda: return "lambda";
    case Kind::Gateway: return "gateway";
    case Kind::Dashboard: return "dashboard";
  }
  return "?";
}

double upstreamRttMs(const geo::Topology& topo, const geo::PopSpec& pop) {
  auto from = topo.locationOf(pop.id);
  auto to = topo.locationOf(pop.upstream);
  if (!from || !to) return 0;  // validated topologies always have both
  return geo::LatencyModel(topo.latency).rttMs(*from, *to);
}

std::string formatMs(double ms) {
  char buf[64];
  // Microsecond resolution is below what a libuv timer (1 ms ticks) can honour anyway.
  std::snprintf(buf, sizeof buf, "%.3fms", ms < 0 ? 0.0 : ms);
  return buf;
}

namespace {

Component planOrigin(const geo::Topology& topo, const PlanInputs& in) {
  Component c;
  c.kind = Kind::Origin;
  c.name = "origin";
  c.tier = "origin";
  c.city = topo.origin.city;
  c.address = topo.origin.address;
  c.wave = 0;
  // One worker: the origin's service time is a timer, so one loop serves a demo's load.
  c.args = {"origin", "--listen", c.address.str(), "--catalog", in.catalogFile, "--workers", "1"};
  c.readyNames = {"http"};
  return c;
}

Component planAppComponent(Kind kind, const config::HostPort& address, const geo::Topology& topo, int wave) {
  Component c;
  c.kind = kind;
  c.name = kindName(kind);
  c.tier = "app";
  c.city = topo.origin.city;  // the application tier sits with the origin
  c.address = address;
  c.wave = wave;
  c.readyNames = {"http"};
  return c;
}

Component planPop(const geo::Topology& topo, const geo::PopSpec& p, const PlanInputs& in) {
  Component c;
  c.kind = Kind::Pop;
  c.name = p.id;
  c.tier = geo::tierName(p.tier);
  c.city = p.city;
  c.address = p.address;
  c.admin = p.admin;
  c.wave = 1 + applicationWaves(topo) + static_cast<int>(topo.upstreamChain(p.id).size());
  std::string upstream;
  if (p.upstream == geo::kOriginUpstream) upstream = "http://" + topo.origin.address.str();
  else if (p.upstream == geo::kGatewayUpstream) upstream = "http://" + topo.app.gateway->address.str() + in.gatewayPathPrefix;
  else upstream = "http://" + topo.findPop(p.upstream)->address.str();
  c.args = {"pop",        "--id",     p.id,      "--listen",   c.address.str(),
            "--upstream", upstream,   "--capacity", config::formatByteSize(p.capacityBytes),
            "--policy",   p.policy,   "--workers", std::to_string(p.workers)};
  if (auto f = in.behaviorFiles.find(p.id); f != in.behaviorFiles.end())
    c.args.insert(c.args.end(), {"--behaviors", f->second});
  bool needsLambda = false;
  const auto file = in.edgeFunctionFiles.find(p.id);
  if (file != in.edgeFunctionFiles.end()) {
    // From a file, the associations can change on a reload: any may become a `lambda:` one.
    c.args.insert(c.args.end(), {"--edge-functions", file->second});
    needsLambda = true;
  } else {
    for (const auto& f : p.edgeFunctions) {
      std::string assoc = f.trigger + "=" + f.function;
      if (f.path != "*") assoc += "@" + f.path;
      c.args.insert(c.args.end(), {"--edge-function", assoc});
      needsLambda |= f.function.rfind("lambda:", 0) == 0;
    }
  }
  // The client's country (CloudFront-Viewer-Country) comes from the topology's region DB.
  if (!p.edgeFunctions.empty() && !in.geoDbForPops.empty())
    c.args.insert(c.args.end(), {"--geo-db", in.geoDbForPops});
  if (needsLambda && topo.app.lambda)
    c.args.insert(c.args.end(), {"--lambda-endpoint", "http://" + topo.app.lambda->address.str()});
  c.readyNames = {"http"};
  if (p.admin) {
    c.args.insert(c.args.end(), {"--admin", p.admin->str()});
    c.readyNames.push_back("admin");
  }
  if ((p.accessLog || in.accessLogs) && !in.logDir.empty())
    c.args.insert(c.args.end(), {"--access-log", in.logDir + "/" + p.id + ".access.log"});
  if (in.latency) {
    c.upstreamRttMs = upstreamRttMs(topo, p);
    c.args.insert(c.args.end(), {"--upstream-rtt", formatMs(c.upstreamRttMs)});
    char bw[32];
    std::snprintf(bw, sizeof bw, "%g", topo.latency.backboneBandwidthMbps);
    c.args.insert(c.args.end(), {"--upstream-bandwidth-mbps", bw});
  }
  return c;
}

Component planRouter(const geo::Topology& topo, const PlanInputs& in, int wave) {
  Component c;
  c.kind = Kind::Router;
  c.name = "router";
  c.tier = "router";
  c.city = "-";
  c.address = topo.router.address;
  c.wave = wave;
  c.args = {"router", "--topology", in.topologyFile, "--geo", in.geoDb, "--listen", c.address.str()};
  c.readyNames = {"http"};
  return c;
}

// The live dashboard (`cdnlab dashboard`): on the router's host, one port above it, so every
// topology gets one without a setting and two topologies never share it.
std::optional<Component> planDashboard(const geo::Topology& topo, const PlanInputs& in, int wave) {
  if (topo.router.address.port == 0 || topo.router.address.port == 65535) return std::nullopt;
  Component c;
  c.kind = Kind::Dashboard;
  c.name = "dashboard";
  c.tier = "dashboard";
  c.city = "-";
  c.address = {topo.router.address.host, static_cast<std::uint16_t>(topo.router.address.port + 1)};
  c.wave = wave;
  c.args = {"dashboard", in.topologyFile, "--listen", c.address.str()};
  c.readyNames = {"http"};
  return c;
}

}  // namespace

int applicationWaves(const geo::Topology& topo) {
  if (topo.app.gateway) return 2;
  if (topo.app.lambda) return 1;
  return 0;
}

std::vector<Component> planComponents(const geo::Topology& topo, const PlanInputs& in) {
  std::vector<Component> out;
  const std::string data = in.dataDir.empty() ? "." : in.dataDir;
  // The application tier, in dependency order: the store, the Lambda service (its functions
  // reach the store), the gateway (its integrations reach the Lambda service).
  if (const auto& s = topo.app.store) {
    Component c = planAppComponent(Kind::Store, s->address, topo, 0);
    c.args = {"store", "--listen", s->address.str(), "--data", data + "/store", "--sync", s->sync, "--workers", "1"};
    out.push_back(std::move(c));
  }
  if (const auto& l = topo.app.lambda) {
    Component c = planAppComponent(Kind::Lambda, l->address, topo, 1);
    // Functions are deployed by `up` at every start: nothing to keep between runs.
    c.args = {"lambda", "--listen", l->address.str(), "--in-memory", "--max-concurrency", std::to_string(l->maxConcurrency),
              "--idle-timeout-ms", std::to_string(l->idleTimeout.count())};
    if (topo.app.store) {
      const std::string store = "http://" + topo.app.store->address.str();
      c.args.insert(c.args.end(), {"--store-endpoint", store});
      // Native functions run inside the service's process and read the endpoint from there.
      c.env.push_back("AWS_ENDPOINT_URL_DYNAMODB=" + store);
    }
    out.push_back(std::move(c));
  }
  if (const auto& g = topo.app.gateway) {
    Component c = planAppComponent(Kind::Gateway, g->address, topo, 2);
    c.args = {"gateway", "--listen", g->address.str(), "--data", data + "/gateway", "--workers", std::to_string(g->workers)};
    if (topo.app.lambda) c.args.insert(c.args.end(), {"--lambda-endpoint", "http://" + topo.app.lambda->address.str()});
    if (topo.app.store) c.args.insert(c.args.end(), {"--store-endpoint", "http://" + topo.app.store->address.str()});
    out.push_back(std::move(c));
  }
  out.push_back(planOrigin(topo, in));
  int last = 0;
  for (const auto& p : topo.pops) {
    out.push_back(planPop(topo, p, in));
    last = std::max(last, out.back().wave);
  }
  out.push_back(planRouter(topo, in, last + 1));
  if (auto d = planDashboard(topo, in, last + 1)) out.push_back(std::move(*d));
  std::stable_sort(out.begin(), out.end(), [](const Component& a, const Component& b) { return a.wave < b.wave; });
  return out;
}

}  // namespace cdnlab::bench::run

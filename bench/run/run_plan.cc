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

Component planPop(const geo::Topology& topo, const geo::PopSpec& p, const PlanInputs& in) {
  Component c;
  c.kind = Kind::Pop;
  c.name = p.id;
  c.tier = geo::tierName(p.tier);
  c.city = p.city;
  c.address = p.address;
  c.admin = p.admin;
  c.wave = 1 + static_cast<int>(topo.upstreamChain(p.id).size());
  const config::HostPort& up =
      p.upstream == geo::kOriginUpstream ? topo.origin.address : topo.findPop(p.upstream)->address;
  c.args = {"pop",        "--id",       p.id,     "--listen",  c.address.str(),
            "--upstream", "http://" + up.str(),   "--capacity", config::formatByteSize(p.capacityBytes),
            "--policy",   p.policy,     "--workers", std::to_string(p.workers)};
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

}  // namespace

std::vector<Component> planComponents(const geo::Topology& topo, const PlanInputs& in) {
  std::vector<Component> out;
  out.push_back(planOrigin(topo, in));
  int last = 0;
  for (const auto& p : topo.pops) {
    out.push_back(planPop(topo, p, in));
    last = std::max(last, out.back().wave);
  }
  out.push_back(planRouter(topo, in, last + 1));
  std::stable_sort(out.begin(), out.end(), [](const Component& a, const Component& b) { return a.wave < b.wave; });
  return out;
}

}  // namespace cdnlab::bench::run

#include "geo/router_server.h"

#include <chrono>
#include <cstdio>


namespace cdnlab::geo {

std::string peerHost(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    const size_t close = peer.find(']');
    return std::string(peer.substr(1, close == std::string_view::npos ? peer.size() - 1 : close - 1));
  }
  const size_t colon = peer.rfind(':');
  if (colon != std::string_view::npos && peer.find(':') == colon) return std::string(peer.substr(0, colon));
  return std::string(peer);
}

Result<std::unique_ptr<RouterServer>> RouterServer::create(Topology topo, std::vector<std::unique_ptr<GeoDb>> dbs,
                                                           std::optional<config::HostPort> listen) {
  if (topo.edgePops().empty()) return Error{0, "the topology has no edge PoP to route to"};
  const config::HostPort addr = listen ? *listen : topo.router.address;
  return std::unique_ptr<RouterServer>(new RouterServer(std::move(topo), std::move(dbs), addr));
}

RouterServer::RouterServer(Topology topo, std::vector<std::unique_ptr<GeoDb>> dbs, config::HostPort listen)
    : topo_(std::move(topo)), listen_(std::move(listen)), core_(topo_, std::move(dbs)) {}

RouterServer::~RouterServer() { stop(0); }

Result<int> RouterServer::start() {
  http::ServerOptions opts;
  opts.host = listen_.host;
  opts.port = listen_.port;
  opts.workers = 1;
  opts.serverName = "cdnlab-router";
  server_ = std::make_unique<http::HttpServer>(opts, [this](const http::RequestContextPtr& ctx) {
    ctx->respond(handle(ctx->request()));
  });
  server_->onWorkerStart([this](const http::WorkerInfo& w) {
    checker_ = std::make_unique<HealthChecker>(w.loop, core_, [this](size_t i) {
      const PopState& p = core_.pops()[i];
      std::fprintf(stderr, "router: PoP %s is now %s%s%s\n", p.spec.id.c_str(), p.healthy ? "healthy" : "unhealthy",
                   p.lastError.empty() ? "" : ": ", p.lastError.c_str());
    });
    checker_->start();
  });
  // Destroyed on its loop while the loop still runs, so the timer's and the HTTP client's
  // handles finish closing before the worker's loop ends.
  server_->onWorkerStop([this](const http::WorkerInfo&) { checker_.reset(); });
  auto port = server_->start();
  if (!port.ok()) server_.reset();
  return port;
}

void RouterServer::stop(uint64_t graceMs) {
  if (server_) server_->stop(graceMs);
  server_.reset();
}

http::Response RouterServer::handle(const http::Request& req) {
  if (req.method != "GET" && req.method != "HEAD") {
    http::Response r(405, "the router answers GET and HEAD\n");
    r.headers.add("Allow", "GET, HEAD");
    return r;
  }
  if (req.path == "/pops") {
    http::Response r(200, core_.popsJson(), "application/json");
    r.headers.add("Cache-Control", "no-store");
    return r;
  }
  rng_ ^= rng_ << 13, rng_ ^= rng_ >> 7, rng_ ^= rng_ << 17;  // xorshift64
  const double draw = static_cast<double>(rng_ >> 11) / static_cast<double>(1ull << 53);
  const RouteDecision d = core_.route(peerHost(req.peer), req.headers.get("X-Forwarded-For"), req.target, draw);

  http::Response r;
  if (d.status != 302) {
    r = http::Response(503, "no healthy PoP\n");
    r.headers.add("Retry-After", "1");
    r.headers.add("Cache-Control", "no-store");
  } else {
    r = http::Response(302, "Found: " + d.location + "\n");
    r.headers.add("Location", d.location);
    const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(topo_.router.ttl).count();
    r.headers.add("Cache-Control", "max-age=" + std::to_string(ttl));
    r.headers.add("X-Cdnlab-Pop", d.pop->spec.id);
    if (d.selection->failedOver) r.headers.add("X-Cdnlab-Failover", "1");
  }
  // Teaching headers: how the router saw the client.
  r.headers.add("X-Cdnlab-Client", d.client.address + (d.client.fromForwardedFor ? " (x-forwarded-for)" : " (peer)"));
  if (d.client.record) {
    const GeoRecord& g = *d.client.record;
    std::string where = g.city.empty() ? (g.countryIso.empty() ? "?" : g.countryIso) : g.city;
    if (!g.region.empty()) where += "; region=" + g.region;
    r.headers.add("X-Cdnlab-Location", where);
  } else {
    r.headers.add("X-Cdnlab-Location", "unknown; routed via fallback");
  }
  return r;
}

}  // namespace cdnlab::geo

#include "geo/topology.h"

#include "edge/cache/policy.h"
#include "edge/pop/behaviors.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace cdnlab::geo {
namespace {

using config::Object;

const IpNetwork& loopbackNet() {
  static const IpNetwork net = *parseNetwork("127.0.0.0/8");
  return net;
}

// Every listener and client block lives on 127.0.0.0/8: Linux routes all of it to `lo`, so
// each component gets its own address without root, and nothing leaves the machine.
bool isLoopback(const std::string& host) {
  auto a = parseAddress(host);
  return a && a->within(loopbackNet());
}

GeoPoint readLocation(Object& o) {
  return {o.number("lat", config::between(-90.0, 90.0)), o.number("lon", config::between(-180.0, 180.0))};
}

config::HostPort readLoopbackAddress(Object& o, std::string_view key) {
  config::HostPort hp = o.address(key);
  if (!hp.host.empty() && !isLoopback(hp.host))
    o.fail(key, "must be an IPv4 address in 127.0.0.0/8 (got \"" + hp.host + "\")");
  return hp;
}

std::optional<config::HostPort> readOptionalLoopbackAddress(Object& o, std::string_view key) {
  if (!o.has(key)) return std::nullopt;
  return readLoopbackAddress(o, key);
}

// An id/name used in URLs, headers and process tables: short, no spaces or separators.
void checkIdentifier(Object& o, std::string_view key, const std::string& value) {
  const bool ok = !value.empty() && value.size() <= 64 && std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
  if (!ok) o.fail(key, "must be 1-64 characters of letters, digits, '-', '_' or '.' (got \"" + value + "\")");
}


PopSpec readPop(Object& o, bool accessLogs) {
  PopSpec p;
  p.id = o.string("id");
  checkIdentifier(o, "id", p.id);
  p.city = o.string("city");
  p.location = readLocation(o);
  p.address = readLoopbackAddress(o, "address");
  p.admin = readOptionalLoopbackAddress(o, "admin");
  p.capacityBytes = o.bytes("capacity", config::atLeast<std::uint64_t>(1));
  // The policy registry is the one list of names (and their parameters: `s3fifo:small=0.2`).
  p.policy = o.string("policy", "lru");
  if (auto spec = edge::cache::checkPolicySpec(p.policy, /*online=*/true); !spec) o.fail("policy", spec.error().message);
  p.workers = static_cast<int>(o.integer("workers", 1, config::between<std::int64_t>(1, 64)));
  p.tier = o.choice("tier", {"edge", "shield"}, "edge") == "shield" ? Tier::Shield : Tier::Edge;
  p.upstream = o.string("upstream");
  p.weight = o.number("weight", 1.0, config::atLeast(0.0));
  p.accessLog = o.boolean("access_log", accessLogs);
  for (Object& fo : o.objectList("edge_functions", config::Presence::Optional)) {
    EdgeFunctionSpec f;
    f.trigger = fo.choice("trigger", {"viewer-request", "origin-request", "origin-response", "viewer-response"});
    f.function = fo.string("function");
    const auto colon = f.function.find(':');
    const std::string kind = colon == std::string::npos ? "" : f.function.substr(0, colon);
    if (!f.function.empty() && (kind != "builtin" && kind != "native" && kind != "lambda"))
      fo.fail("function", "must be builtin:NAME, native:NAME or lambda:NAME (got \"" + f.function + "\")");
    else if (colon != std::string::npos && colon + 1 == f.function.size())
      fo.fail("function", "names no function after \"" + kind + ":\"");
    f.path = fo.string("path", "*");
    if (f.path.empty() || f.path.find_first_of(" \t\r\n@") != std::string::npos)
      fo.fail("path", "a CloudFront path pattern without spaces or '@' (got \"" + f.path + "\")");
    p.edgeFunctions.push_back(std::move(f));
  }
  return p;
}

RegionSpec readRegion(Object& o, const LoadSpec& load, const LatencyParams& latency) {
  RegionSpec r;
  r.name = o.string("name");
  checkIdentifier(o, "name", r.name);
  r.city = o.string("city");
  r.country = o.string("country", "");
  if (!r.country.empty() &&
      (r.country.size() != 2 || !std::isupper(static_cast<unsigned char>(r.country[0])) ||
       !std::isupper(static_cast<unsigned char>(r.country[1]))))
    o.fail("country", "must be an ISO 3166-1 alpha-2 code such as \"DE\" (got \"" + r.country + "\")");
  r.location = readLocation(o);
  const std::string block = o.string("block");
  std::string why;
  if (auto net = parseNetwork(block, &why)) {
    r.block = *net;
    if (!r.block.v4 || !r.block.within(loopbackNet()))
      o.fail("block", "must be a network inside 127.0.0.0/8 (got \"" + block + "\")");
    else if (r.block.prefix < 9)
      o.fail("block", "must be narrower than 127.0.0.0/8 (/9 or longer), so PoPs keep addresses of their own");
  } else if (!block.empty()) {
    o.fail("block", why);
  }
  r.share = o.number("share", config::greaterThan(0.0));
  r.rate = o.number("rate", 0.0, config::atLeast(0.0));
  r.zipfAlpha = o.number("zipf_alpha", load.zipfAlpha, config::between(0.0, 5.0));
  using namespace std::chrono_literals;
  const auto lastMile = o.duration("last_mile",
                                   std::chrono::duration_cast<config::Duration>(
                                       std::chrono::duration<double, std::milli>(defaultLastMileMs(areaOf(r.location)))),
                                   config::between<config::Duration>(0s, 10s));
  r.lastMileMs = std::chrono::duration<double, std::milli>(lastMile).count();
  r.bandwidthMbps = o.number("bandwidth_mbps", latency.clientBandwidthMbps, config::between(0.01, 1e6));
  return r;
}

HealthCheckSpec readHealthCheck(Object& o) {
  HealthCheckSpec h;
  h.mode = o.choice("mode", {"http", "tcp"}, "http") == "tcp" ? HealthCheckSpec::Mode::Tcp : HealthCheckSpec::Mode::Http;
  h.path = o.string("path", h.path);
  if (h.path.empty() || h.path[0] != '/' || h.path.find_first_of(" \r\n") != std::string::npos)
    o.fail("path", "must start with '/' and contain no spaces (got \"" + h.path + "\")");
  using namespace std::chrono_literals;
  h.interval = o.duration("interval", h.interval, config::between<config::Duration>(10ms, 1h));
  h.timeout = o.duration("timeout", h.timeout, config::between<config::Duration>(1ms, 1min));
  if (h.timeout > h.interval) o.fail("timeout", "must not exceed interval");
  h.unhealthyAfter = static_cast<int>(o.integer("unhealthy_after", h.unhealthyAfter, config::between<std::int64_t>(1, 100)));
  h.healthyAfter = static_cast<int>(o.integer("healthy_after", h.healthyAfter, config::between<std::int64_t>(1, 100)));
  return h;
}

RouterSpec readRouter(Object& o) {
  RouterSpec r;
  if (o.has("address")) r.address = readLoopbackAddress(o, "address");
  using namespace std::chrono_literals;
  r.ttl = o.duration("ttl", r.ttl, config::between<config::Duration>(0s, 24h));
  r.strategy = *parseStrategy(o.choice("strategy", {"nearest", "latency", "weighted"}, "nearest"));
  if (auto hc = o.optionalObject("health_check")) r.healthCheck = readHealthCheck(*hc);
  for (const auto& s : o.stringList("trusted_forwarders", config::Presence::Optional)) {
    std::string why;
    if (auto net = parseNetwork(s, &why))
      r.trustedForwarders.push_back(*net);
    else
      o.fail("trusted_forwarders", "\"" + s + "\": " + why);
  }
  r.fallbackPop = o.string("fallback_pop", "");
  return r;
}

// Cross-field rules the reader cannot see field by field.
void validate(Topology& t, Object& root, std::vector<Object>& popObjs, std::vector<Object>& regionObjs,
              std::optional<Object>& routerObj) {
  std::map<std::string, size_t> popIndex;
  for (size_t i = 0; i < t.pops.size(); ++i) {
    // These name other components (upstream values, log files in the run directory).
    for (const char* reserved : {"origin", "gateway", "store", "lambda", "router"})
      if (t.pops[i].id == reserved) popObjs[i].fail("id", std::string("\"") + reserved + "\" is reserved for a component");
    auto [it, added] = popIndex.emplace(t.pops[i].id, i);
    if (!added) popObjs[i].fail("id", "duplicate PoP id \"" + t.pops[i].id + "\" (also pops[" + std::to_string(it->second) + "])");
  }

  // Upstreams: "origin" or a shield PoP; following them must reach the origin (no cycle).
  for (size_t i = 0; i < t.pops.size(); ++i) {
    const PopSpec& p = t.pops[i];
    if (p.upstream.empty() || p.upstream == kOriginUpstream) continue;
    if (p.upstream == kGatewayUpstream) {
      if (!t.app.gateway || t.app.gateway->apis.empty())
        popObjs[i].fail("upstream", "\"gateway\" needs a `gateway:` section with at least one API");
      continue;
    }
    auto it = popIndex.find(p.upstream);
    if (it == popIndex.end()) {
      popObjs[i].fail("upstream", "no PoP with id \"" + p.upstream +
                                      "\" (upstream must be a shield PoP's id, \"origin\" or \"gateway\")");
    } else if (it->second == i) {
      popObjs[i].fail("upstream", "a PoP cannot be its own upstream");
    } else if (t.pops[it->second].tier != Tier::Shield) {
      popObjs[i].fail("upstream", "\"" + p.upstream + "\" is an edge PoP; an upstream must be a shield PoP, \"origin\" or \"gateway\"");
    }
  }
  for (size_t i = 0; i < t.pops.size(); ++i) {
    std::vector<size_t> path{i};
    size_t cur = i;
    while (true) {
      auto it = popIndex.find(t.pops[cur].upstream);
      if (it == popIndex.end() || it->second == cur) break;  // origin, or reported above
      cur = it->second;
      auto seen = std::find(path.begin(), path.end(), cur);
      if (seen != path.end()) {
        if (seen == path.begin()) {  // report each cycle once, at each member whose walk closes it
          std::string chain;
          for (size_t k : path) chain += t.pops[k].id + " -> ";
          popObjs[i].fail("upstream", "cycle of upstreams: " + chain + t.pops[i].id);
        }
        break;
      }
      path.push_back(cur);
    }
  }

  // Addresses: one listener per host:port across the whole topology.
  std::map<std::string, std::string> listeners;
  auto claim = [&](const config::HostPort& hp, const std::string& who, Object& o, std::string_view key) {
    if (hp.host.empty() || hp.port == 0) return;  // port 0 = ephemeral: cannot collide
    auto [it, added] = listeners.emplace(hp.str(), who);
    if (!added) o.fail(key, "address " + hp.str() + " is already used by " + it->second);
  };
  claim(t.origin.address, "the origin", root, "origin");
  for (size_t i = 0; i < t.pops.size(); ++i) {
    claim(t.pops[i].address, "PoP " + t.pops[i].id, popObjs[i], "address");
    if (t.pops[i].admin) claim(*t.pops[i].admin, "PoP " + t.pops[i].id + " (admin)", popObjs[i], "admin");
  }
  if (routerObj) claim(t.router.address, "the router", *routerObj, "address");
  if (t.app.store) claim(t.app.store->address, "the store", root, "store");
  if (t.app.lambda) claim(t.app.lambda->address, "the Lambda service", root, "lambda");
  if (t.app.gateway) claim(t.app.gateway->address, "the gateway", root, "gateway");
  // Lambda edge functions are called through the topology's Lambda service.
  for (size_t i = 0; i < t.pops.size(); ++i)
    for (const auto& f : t.pops[i].edgeFunctions)
      if (f.function.rfind("lambda:", 0) == 0 && !t.app.lambda)
        popObjs[i].fail("edge_functions", "\"" + f.function + "\" needs a `lambda:` section (the Lambda service it calls)");

  if (std::none_of(t.pops.begin(), t.pops.end(), [](const PopSpec& p) { return p.tier == Tier::Edge; }))
    root.fail("pops", "at least one PoP must be of tier edge (clients are routed to edge PoPs)");

  // Regions: unique names, disjoint blocks, none over a listener's address.
  std::map<std::string, size_t> regionIndex;
  for (size_t i = 0; i < t.regions.size(); ++i) {
    const RegionSpec& r = t.regions[i];
    if (!regionIndex.emplace(r.name, i).second) regionObjs[i].fail("name", "duplicate region name \"" + r.name + "\"");
    if (r.block.prefix == 0) continue;  // unparsed; already reported
    for (size_t j = 0; j < i; ++j)
      if (t.regions[j].block.prefix != 0 && r.block.overlaps(t.regions[j].block))
        regionObjs[i].fail("block", r.block.str() + " overlaps regions[" + std::to_string(j) + "] (" + t.regions[j].name +
                                        ", " + t.regions[j].block.str() + ")");
    for (const auto& [addr, who] : listeners) {
      auto host = parseAddress(addr.substr(0, addr.rfind(':')));
      if (host && host->within(r.block))
        regionObjs[i].fail("block", r.block.str() + " contains the address of " + who + " (" + addr + ")");
    }
  }

  // Shares are relative weights; rates default to the load's total rate split by share.
  double shareSum = 0;
  for (const auto& r : t.regions) shareSum += r.share;
  for (auto& r : t.regions) {
    if (shareSum > 0) r.share /= shareSum;
    if (r.rate == 0) r.rate = t.load.rate * r.share;
  }

  if (!t.router.fallbackPop.empty()) {
    const PopSpec* p = t.findPop(t.router.fallbackPop);
    if (!p && routerObj) routerObj->fail("fallback_pop", "no PoP with id \"" + t.router.fallbackPop + "\"");
    else if (p && p->tier != Tier::Edge && routerObj) routerObj->fail("fallback_pop", "must be an edge PoP");
  }
}

}  // namespace

const char* tierName(Tier t) { return t == Tier::Shield ? "shield" : "edge"; }

std::vector<std::pair<std::string, std::string>> behaviorOrigins(const Topology& t, std::string_view popId,
                                                                 const std::string& gatewayPathPrefix) {
  std::vector<std::pair<std::string, std::string>> out;
  if (t.app.gateway) out.emplace_back("gateway", "http://" + t.app.gateway->address.str() + gatewayPathPrefix);
  out.emplace_back("catalog", "http://" + t.origin.address.str());
  for (const auto& p : t.pops)
    if (p.tier == Tier::Shield && p.id != popId) out.emplace_back(p.id, "http://" + p.address.str());
  return out;
}

const PopSpec* Topology::findPop(std::string_view id) const {
  for (const auto& p : pops)
    if (p.id == id) return &p;
  return nullptr;
}

const RegionSpec* Topology::findRegion(std::string_view name) const {
  for (const auto& r : regions)
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<const PopSpec*> Topology::edgePops() const {
  std::vector<const PopSpec*> out;
  for (const auto& p : pops)
    if (p.tier == Tier::Edge) out.push_back(&p);
  return out;
}

std::vector<std::string> Topology::upstreamChain(std::string_view popId) const {
  std::vector<std::string> chain;
  const PopSpec* p = findPop(popId);
  while (p && p->upstream != kOriginUpstream && p->upstream != kGatewayUpstream && chain.size() <= pops.size()) {
    chain.push_back(p->upstream);
    p = findPop(p->upstream);
  }
  return chain;
}

std::vector<GeoPoint> Topology::missPath(GeoPoint client, std::string_view popId) const {
  std::vector<GeoPoint> path{client};
  if (const PopSpec* p = findPop(popId)) path.push_back(p->location);
  for (const auto& hop : upstreamChain(popId))
    if (auto at = locationOf(hop)) path.push_back(*at);
  path.push_back(origin.location);
  return path;
}

std::optional<GeoPoint> Topology::locationOf(std::string_view hop) const {
  if (hop == kOriginUpstream || hop == kGatewayUpstream) return origin.location;
  if (const PopSpec* p = findPop(hop)) return p->location;
  return std::nullopt;
}

Topology readTopology(Object& root, const std::string& file) {
  Topology t;
  t.file = file;
  // The origin's catalog lives in this file too; its reader (origin/catalog) checks it.
  if (auto catalog = root.optionalObject("catalog")) catalog->allowOtherKeys();

  if (auto lat = root.optionalObject("latency")) {
    t.latencyEnabled = lat->boolean("enabled", true);
    // One route_inflation given: that factor for every path (the calibrated per-area table is
    // off); route_inflation_table entries below still apply on top of it.
    if (lat->has("route_inflation")) t.latency.inflationTable.clear();
    t.latency.routeInflation = lat->number("route_inflation", t.latency.routeInflation, config::between(1.0, 10.0));
    using namespace std::chrono_literals;
    const auto perHop = lat->duration(
        "per_hop_processing",
        std::chrono::duration_cast<config::Duration>(std::chrono::duration<double, std::milli>(t.latency.perHopProcessingMs)),
        config::between<config::Duration>(0s, 1s));
    t.latency.perHopProcessingMs = std::chrono::duration<double, std::milli>(perHop).count();
    t.latency.fiberKmPerMs = lat->number("fiber_km_per_ms", t.latency.fiberKmPerMs, config::between(1.0, 300.0));
    t.latency.jitterFraction = lat->number("jitter", t.latency.jitterFraction, config::between(0.0, 1.0));
    t.latency.clientBandwidthMbps =
        lat->number("client_bandwidth_mbps", t.latency.clientBandwidthMbps, config::between(0.01, 1e6));
    t.latency.backboneBandwidthMbps =
        lat->number("backbone_bandwidth_mbps", t.latency.backboneBandwidthMbps, config::between(0.01, 1e6));
    // Entries replace the built-in calibrated value for their pair of areas, or add one.
    for (Object& rule : lat->objectList("route_inflation_table", config::Presence::Optional)) {
      Area a{}, b{};
      const std::string from = rule.string("from"), to = rule.string("to");
      bool ok = true;
      for (const auto& [name, out, key] : {std::tuple{from, &a, "from"}, std::tuple{to, &b, "to"}})
        if (!name.empty() && !parseArea(name, out)) {
          rule.fail(key, "must be one of europe, north-america, south-america, east-asia, south-asia, oceania, "
                         "africa (got \"" + name + "\")");
          ok = false;
        }
      const double f = rule.number("inflation", config::between(1.0, 10.0));
      if (!ok) continue;
      bool replaced = false;
      for (auto& r : t.latency.inflationTable)
        if ((r.a == a && r.b == b) || (r.a == b && r.b == a)) {
          r.inflation = f;
          replaced = true;
        }
      if (!replaced) t.latency.inflationTable.push_back({a, b, f});
    }
  }

  if (auto load = root.optionalObject("load")) {
    using namespace std::chrono_literals;
    t.load.rate = load->number("rate", t.load.rate, config::greaterThan(0.0));
    t.load.duration = load->duration("duration", t.load.duration, config::between<config::Duration>(1ms, 24h));
    t.load.warmup = load->duration("warmup", t.load.warmup, config::between<config::Duration>(0s, 24h));
    t.load.zipfAlpha = load->number("zipf_alpha", t.load.zipfAlpha, config::between(0.0, 5.0));
    t.load.perRegionRanking = load->boolean("per_region_ranking", false);
    for (Object& m : load->objectList("mix", config::Presence::Optional)) {
      LoadMixClass c;
      c.weight = m.number("weight", 1.0, config::greaterThan(0.0));
      c.method = m.string("method", "GET");
      c.path = m.string("path");
      c.body = m.string("body", "");
      c.objects = static_cast<std::uint64_t>(m.integer("objects", 0, config::between<std::int64_t>(0, std::int64_t{1} << 40)));
      c.values = m.stringList("values", config::Presence::Optional);
      if (c.method != "GET" && c.method != "POST") m.fail("method", "GET or POST");
      if (c.method == "GET" && !c.body.empty()) m.fail("body", "only with method: POST");
      if (c.body.size() > 256 || c.body.find_first_of("\r\n") != std::string::npos)
        m.fail("body", "one line of at most 256 characters");
      // The placeholder stands in the path, or (a POST) in the body when the path has none.
      const bool inBody = c.path.find('{') == std::string::npos && c.body.find('{') != std::string::npos;
      const std::string& holder = inBody ? c.body : c.path;
      const size_t open = inBody ? holder.find("{id") : holder.find('{');
      const size_t close = open == std::string::npos ? std::string::npos : holder.find('}', open);
      const std::string ph = open == std::string::npos || close == std::string::npos
                                 ? "" : holder.substr(open, close - open + 1);
      // {id:05}: "{id:0", one or two digits of width, "}".
      const bool idForm = ph == "{id}" || ((ph.size() == 7 || ph.size() == 8) && ph.compare(0, 5, "{id:0") == 0 &&
                                           std::all_of(ph.begin() + 5, ph.end() - 1, [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }));
      if (c.path.empty() || c.path[0] != '/' || c.path.size() > 512 || c.path.find_first_of(" \t\r\n") != std::string::npos)
        m.fail("path", "must start with '/', without spaces, at most 512 characters");
      else if (!(idForm || ph == "{value}") || (!inBody && c.path.find('{', close) != std::string::npos))
        m.fail(inBody ? "body" : "path", "needs exactly one placeholder: {id}, {id:0N} (N = 01..20 digits) or {value}");
      else if (idForm && ph.size() > 4 && std::stoi(ph.substr(5, ph.size() - 6)) > 20)
        m.fail("path", "{id:0N}: at most 20 digits");
      else if (ph == "{value}" && c.values.empty())
        m.fail("values", "{value} needs a list of values");
      else if (ph != "{value}" && !c.values.empty())
        m.fail("values", "only with a {value} placeholder");
      for (const auto& v : c.values)
        if (v.empty() || v.size() > 256 || v.find_first_of(" \t\r\n") != std::string::npos)
          m.fail("values", "\"" + v + "\": values are 1-256 characters without spaces");
      t.load.mix.push_back(std::move(c));
    }
  }

  t.app = readApp(root);

  std::optional<Object> routerObj = root.optionalObject("router");
  if (routerObj) t.router = readRouter(*routerObj);

  Object origin = root.object("origin");
  t.origin.city = origin.string("city");
  t.origin.location = readLocation(origin);
  t.origin.address = readLoopbackAddress(origin, "address");
  t.origin.admin = readOptionalLoopbackAddress(origin, "admin");
  t.origin.catalogFile = origin.string("catalog", "");
  if (t.origin.catalogFile.empty() && !root.has("catalog"))
    origin.fail("catalog", "no catalog: add a top-level `catalog:` section or name a file here");

  // access_logs: true turns every PoP's access log on (a PoP's own access_log wins).
  const bool accessLogs = root.boolean("access_logs", false);
  std::vector<Object> popObjs = root.objectList("pops");
  for (auto& o : popObjs) t.pops.push_back(readPop(o, accessLogs));
  if (popObjs.empty() && root.has("pops")) root.fail("pops", "at least one PoP is required");

  // Behaviors last: the origins they may name are every service and shield of the topology.
  for (size_t i = 0; i < popObjs.size(); ++i) {
    if (!popObjs[i].has("behaviors")) continue;
    for (const auto& b : edge::pop::readBehaviors(popObjs[i], behaviorOrigins(t, t.pops[i].id)))
      t.pops[i].behaviorNames.push_back(b.name);
  }

  std::vector<Object> regionObjs = root.objectList("regions");
  for (auto& o : regionObjs) t.regions.push_back(readRegion(o, t.load, t.latency));
  if (regionObjs.empty() && root.has("regions")) root.fail("regions", "at least one client region is required");

  validate(t, root, popObjs, regionObjs, routerObj);
  return t;
}

config::Parsed<Topology> loadTopologyFile(const std::string& path) {
  return config::loadFile(path, [&](Object& root) { return readTopology(root, path); });
}

config::Parsed<Topology> loadTopologyString(std::string_view yaml, std::string name) {
  const std::string file = name;
  return config::loadString(yaml, std::move(name), [&](Object& root) { return readTopology(root, file); });
}

}  // namespace cdnlab::geo

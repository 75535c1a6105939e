#include "geo/router_core.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cdnlab::geo {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

RouterCore::RouterCore(const Topology& topo, std::vector<std::unique_ptr<GeoDb>> dbs)
    : topo_(topo), dbs_(std::move(dbs)), selector_(topo.router.strategy, LatencyModel(topo.latency)) {
  for (const PopSpec* p : topo.edgePops()) {
    if (p->id == topo.router.fallbackPop) fallback_ = pops_.size();
    PopState state;
    state.spec = *p;
    pops_.push_back(std::move(state));
  }
}

bool RouterCore::isTrusted(std::string_view ip) const {
  auto addr = parseAddress(ip);
  if (!addr) return false;
  for (const auto& net : topo_.router.trustedForwarders)
    if (addr->within(net)) return true;
  return false;
}

std::string RouterCore::clientAddress(std::string_view peerIp, std::optional<std::string_view> forwardedFor) const {
  if (!forwardedFor || !isTrusted(peerIp)) return std::string(peerIp);
  // Right to left: the rightmost entry was added by our trusted peer; keep walking while the
  // entries are trusted forwarders themselves; the first untrusted one is the client.
  std::string_view list = *forwardedFor;
  std::string candidate(peerIp);
  while (!list.empty()) {
    const size_t comma = list.rfind(',');
    std::string_view entry = trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
    if (entry.empty()) continue;
    if (!parseAddress(entry)) break;  // garbage (or a port/obfuscated form): stop at the last good hop
    candidate = std::string(entry);
    if (!isTrusted(entry)) break;
  }
  return candidate;
}

ClientInfo RouterCore::locate(std::string_view peerIp, std::optional<std::string_view> forwardedFor) const {
  ClientInfo c;
  c.address = clientAddress(peerIp, forwardedFor);
  c.fromForwardedFor = c.address != peerIp;
  for (const auto& db : dbs_) {
    auto r = db->lookup(c.address);
    if (r.ok() && r->has_value() && (*r)->location) {
      c.record = std::move(**r);
      break;
    }
  }
  return c;
}

RouteDecision RouterCore::route(std::string_view peerIp, std::optional<std::string_view> forwardedFor,
                                std::string_view target, double draw) {
  RouteDecision d;
  d.client = locate(peerIp, forwardedFor);
  GeoPoint where;
  if (d.client.record) {
    where = *d.client.record->location;
  } else {
    // Unknown client: route it as if it stood at the fallback PoP (that PoP if healthy, else
    // the healthy one nearest to it).
    d.usedFallback = true;
    if (!pops_.empty()) where = pops_[fallback_].spec.location;
  }
  std::vector<PopCandidate> candidates;
  candidates.reserve(pops_.size());
  for (const auto& p : pops_)
    candidates.push_back({p.spec.id, p.spec.location, p.healthy, p.spec.weight, p.lastCheckMs > 0 ? p.lastCheckMs : 0});
  d.selection = selector_.select(candidates, where, draw);
  if (!d.selection) {
    d.status = 503;
    return d;
  }
  PopState& chosen = pops_[d.selection->index];
  ++chosen.routed;
  d.pop = &chosen;
  std::string path(target.empty() ? std::string_view("/") : target);
  if (path[0] != '/') path.insert(0, "/");  // absolute-form targets are not redirected as-is
  d.location = "http://" + chosen.spec.address.str() + path;
  return d;
}

bool RouterCore::recordCheck(size_t i, bool ok, double durationMs, std::string error) {
  PopState& p = pops_.at(i);
  const auto& hc = topo_.router.healthCheck;
  ++p.checks;
  p.lastCheckMs = durationMs;
  const bool was = p.healthy;
  if (ok) {
    p.consecutiveFailures = 0;
    ++p.consecutiveSuccesses;
    p.lastError.clear();
    if (!p.healthy && p.consecutiveSuccesses >= hc.healthyAfter) p.healthy = true;
  } else {
    ++p.failedChecks;
    p.consecutiveSuccesses = 0;
    ++p.consecutiveFailures;
    p.lastError = std::move(error);
    if (p.healthy && p.consecutiveFailures >= hc.unhealthyAfter) p.healthy = false;
  }
  return was != p.healthy;
}

std::string RouterCore::popsJson() const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("strategy");
  w.String(strategyName(topo_.router.strategy));
  w.Key("pops");
  w.StartArray();
  for (const auto& p : pops_) {
    w.StartObject();
    w.Key("id"), w.String(p.spec.id.c_str());
    w.Key("city"), w.String(p.spec.city.c_str());
    w.Key("address"), w.String(p.spec.address.str().c_str());
    w.Key("lat"), w.Double(p.spec.location.lat);
    w.Key("lon"), w.Double(p.spec.location.lon);
    w.Key("healthy"), w.Bool(p.healthy);
    w.Key("checks"), w.Uint64(p.checks);
    w.Key("failed_checks"), w.Uint64(p.failedChecks);
    w.Key("routed"), w.Uint64(p.routed);
    w.Key("last_check_ms");
    if (p.lastCheckMs < 0)
      w.Null();
    else
      w.Double(p.lastCheckMs);
    w.Key("last_error"), w.String(p.lastError.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

}  // namespace cdnlab::geo

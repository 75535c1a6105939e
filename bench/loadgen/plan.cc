#include "bench/loadgen/plan.h"

#include <arpa/inet.h>

#include <cstdlib>

#include "geo/latency_model.h"
#include "geo/topology.h"

namespace cdnlab::loadgen {

Result<Endpoint> parseUrl(const std::string& url, std::string* path) {
  std::string rest = url;
  if (rest.rfind("http://", 0) == 0) rest = rest.substr(7);
  else if (rest.find("://") != std::string::npos) return Error{1, "only http:// URLs: " + url};
  std::string p = "/";
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    p = rest.substr(slash);
    rest = rest.substr(0, slash);
  }
  size_t colon = rest.rfind(':');
  Endpoint e;
  e.host = rest.substr(0, colon);
  e.port = 80;
  if (colon != std::string::npos) {
    char* end = nullptr;
    long port = std::strtol(rest.c_str() + colon + 1, &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535) return Error{1, "bad port in " + url};
    e.port = static_cast<int>(port);
  }
  if (e.host == "localhost") e.host = "127.0.0.1";
  in_addr a;
  if (inet_pton(AF_INET, e.host.c_str(), &a) != 1) return Error{1, "host must be a numeric IPv4 address: " + url};
  if (path) *path = p;
  return e;
}

LoadPlan planFromTopology(const geo::Topology& topo, double totalRate) {
  LoadPlan plan;
  geo::LatencyModel model(topo.latency);
  std::vector<const geo::PopSpec*> edges = topo.edgePops();
  for (const geo::PopSpec* p : edges) plan.pops.push_back({p->id, {p->address.host, p->address.port}});
  double sumRate = 0;
  for (const auto& r : topo.regions) sumRate += r.rate;
  for (const auto& r : topo.regions) {
    RegionPlan rp;
    rp.name = r.name;
    rp.rate = totalRate > 0 && sumRate > 0 ? totalRate * r.rate / sumRate : r.rate;
    rp.share = r.share;
    rp.zipfAlpha = r.zipfAlpha;
    if (r.block.v4) {
      uint32_t base = (uint32_t{r.block.bytes[12]} << 24) | (uint32_t{r.block.bytes[13]} << 16) |
                      (uint32_t{r.block.bytes[14]} << 8) | r.block.bytes[15];
      uint64_t size = uint64_t{1} << (32 - r.block.prefix);
      // Skip the network address; a few hundred sources is plenty (each one holds its own
      // ephemeral ports, so thousands of connections per region are possible).
      rp.firstSource = base + 1;
      rp.sourceCount = static_cast<uint32_t>(size > 2 ? std::min<uint64_t>(size - 2, 250) : 1);
    }
    for (const geo::PopSpec* p : edges) rp.rttMs.push_back(model.rttMs(r.location, p->location) + r.lastMileMs);
    rp.bandwidthMbps = r.bandwidthMbps;
    plan.regions.push_back(std::move(rp));
  }
  plan.router = Endpoint{topo.router.address.host, topo.router.address.port};
  plan.routerTtlMs = std::chrono::duration_cast<std::chrono::milliseconds>(topo.router.ttl).count();
  plan.origin = Endpoint{topo.origin.address.host, topo.origin.address.port};
  plan.latencyModel = topo.latencyEnabled;
  plan.latency = topo.latency;
  plan.durationNs = topo.load.duration.count();
  plan.warmupNs = topo.load.warmup.count();
  for (const auto& m : topo.load.mix) {
    PathClass c;
    c.weight = m.weight;
    c.objects = m.objects;
    c.values = m.values;
    c.post = m.method == "POST";
    // The topology's reader checked one placeholder, in the path or else in a POST's body.
    c.placeholderInBody = m.path.find('{') == std::string::npos;
    const std::string& holder = c.placeholderInBody ? m.body : m.path;
    const size_t open = c.placeholderInBody ? holder.find("{id") : holder.find('{');
    const size_t close = holder.find('}', open);
    if (c.placeholderInBody) {
      c.prefix = m.path;
      c.bodyPrefix = holder.substr(0, open);
      c.bodySuffix = holder.substr(close + 1);
    } else {
      c.prefix = m.path.substr(0, open);
      c.suffix = m.path.substr(close + 1);
      c.bodyPrefix = m.body;
    }
    const std::string ph = holder.substr(open, close - open + 1);
    if (ph.size() > 6 && ph.compare(0, 5, "{id:0") == 0) c.idWidth = std::stoi(ph.substr(5, ph.size() - 6));
    plan.mix.push_back(std::move(c));
  }
  return plan;
}

namespace {

// What the placeholder becomes for the ranked object id.
std::string placeholderText(const PathClass& c, uint64_t objectId) {
  const uint64_t id = c.objects ? objectId % c.objects : objectId;
  if (!c.values.empty()) return c.values[id % c.values.size()];
  std::string digits = std::to_string(id);
  if (static_cast<int>(digits.size()) < c.idWidth) digits.insert(0, static_cast<size_t>(c.idWidth) - digits.size(), '0');
  return digits;
}

}  // namespace

std::string mixPath(const PathClass& c, uint64_t objectId) {
  if (c.placeholderInBody) return c.prefix;
  return c.prefix + placeholderText(c, objectId) + c.suffix;
}

std::string mixBody(const PathClass& c, uint64_t objectId) {
  if (!c.post) return "";
  if (!c.placeholderInBody) return c.bodyPrefix;
  return c.bodyPrefix + placeholderText(c, objectId) + c.bodySuffix;
}

size_t pickClass(const std::vector<PathClass>& mix, double u) {
  double total = 0;
  for (const auto& c : mix) total += c.weight;
  double at = u * total;
  for (size_t i = 0; i < mix.size(); ++i) {
    if (at < mix[i].weight) return i;
    at -= mix[i].weight;
  }
  return mix.empty() ? 0 : mix.size() - 1;
}

}  // namespace cdnlab::loadgen

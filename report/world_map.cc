// Drawing the topology map (see world_map.h).
#include "report/world_map.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "geo/pop_selector.h"
#include "report/svg.h"

namespace cdnlab::report {
namespace {

constexpr int kW = 960, kH = 480;

double px(double lon) { return (lon + 180.0) / 360.0 * kW; }
double py(double lat) { return (90.0 - lat) / 180.0 * kH; }

std::string f1(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

std::string line(geo::GeoPoint a, geo::GeoPoint b, const char* cls, const std::string& title) {
  return "<line class=\"" + std::string(cls) + "\" x1=\"" + f1(px(a.lon)) + "\" y1=\"" + f1(py(a.lat)) + "\" x2=\"" +
         f1(px(b.lon)) + "\" y2=\"" + f1(py(b.lat)) + "\"><title>" + escapeXml(title) + "</title></line>\n";
}

std::string marker(const char* kind, const std::string& id, geo::GeoPoint at, double r, const char* color,
                   const std::string& title) {
  std::string attrs = " class=\"pt " + std::string(kind) + "\" data-kind=\"" + kind + "\" data-id=\"" + escapeXml(id) +
                      "\" data-x=\"" + f1(at.lon) + "\" data-y=\"" + f1(at.lat) + "\" fill=\"" + color + "\"";
  std::string shape;
  if (std::string_view(kind) == "shield" || std::string_view(kind) == "origin") {
    shape = "<rect" + attrs + " x=\"" + f1(px(at.lon) - r) + "\" y=\"" + f1(py(at.lat) - r) + "\" width=\"" + f1(2 * r) +
            "\" height=\"" + f1(2 * r) + "\">";
    return shape + "<title>" + escapeXml(title) + "</title></rect>\n";
  }
  shape = "<circle" + attrs + " cx=\"" + f1(px(at.lon)) + "\" cy=\"" + f1(py(at.lat)) + "\" r=\"" + f1(r) + "\">";
  return shape + "<title>" + escapeXml(title) + "</title></circle>\n";
}

std::string label(geo::GeoPoint at, const std::string& text, double dy) {
  return "<text class=\"maplabel\" x=\"" + f1(px(at.lon) + 7) + "\" y=\"" + f1(py(at.lat) + dy) + "\">" + escapeXml(text) +
         "</text>\n";
}

}  // namespace

std::string renderWorldMap(const geo::Topology& topo, const RunData* run) {
  size_t points = topo.pops.size() + topo.regions.size() + 1;
  std::string o = "<figure class=\"plot map\" id=\"plot-map\" data-plot=\"map\" data-points=\"" + std::to_string(points) +
                  "\"><figcaption>The topology: client regions (orange, sized by their requests), edge PoPs "
                  "(blue), shields and the origin (squares), and the routes requests take</figcaption>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                  std::to_string(kW) + " " + std::to_string(kH) + "\" role=\"img\" aria-label=\"world map of the topology\">\n";
  o += "<rect class=\"ocean\" x=\"0\" y=\"0\" width=\"" + std::to_string(kW) + "\" height=\"" + std::to_string(kH) + "\"/>\n";
  // Graticule every 30 degrees; the equator and the prime meridian a little stronger.
  for (int lon = -180; lon <= 180; lon += 30)
    o += "<line class=\"" + std::string(lon == 0 ? "graticule main" : "graticule") + "\" x1=\"" + f1(px(lon)) + "\" y1=\"0\" x2=\"" +
         f1(px(lon)) + "\" y2=\"" + std::to_string(kH) + "\"/>";
  for (int lat = -60; lat <= 60; lat += 30)
    o += "<line class=\"" + std::string(lat == 0 ? "graticule main" : "graticule") + "\" x1=\"0\" y1=\"" + f1(py(lat)) + "\" x2=\"" +
         std::to_string(kW) + "\" y2=\"" + f1(py(lat)) + "\"/>";
  o += "\n";

  // Routes: each region to the edge PoP the router's strategy picks (every PoP healthy), each
  // PoP along its upstream chain to the origin.
  std::vector<geo::PopCandidate> candidates;
  std::vector<const geo::PopSpec*> edges = topo.edgePops();
  for (const geo::PopSpec* p : edges) candidates.push_back({p->id, p->location, true, p->weight, 0.0});
  geo::PopSelector selector(topo.router.strategy, geo::LatencyModel(topo.latency));
  for (const auto& r : topo.regions) {
    auto sel = selector.select(candidates, r.location);
    if (!sel) continue;
    const geo::PopSpec* pop = edges[sel->index];
    o += line(r.location, pop->location, "route client",
              r.name + " -> " + pop->id + " (" + shortNumber(sel->rttMs) + " ms modelled RTT)");
  }
  for (const auto& p : topo.pops) {
    geo::GeoPoint from = p.location;
    for (const std::string& hop : topo.upstreamChain(p.id)) {
      auto at = topo.locationOf(hop);
      if (!at) continue;
      o += line(from, *at, "route upstream", p.id + " -> " + hop);
      from = *at;
    }
    if (p.upstream == geo::kOriginUpstream || topo.upstreamChain(p.id).empty())
      o += line(from, topo.origin.location, "route upstream", p.id + " -> origin");
  }

  double maxRequests = 0;
  if (run)
    for (const auto& r : run->regions) maxRequests = std::max(maxRequests, r.requests);
  for (const auto& r : topo.regions) {
    double radius = 5;
    std::string title = "client region " + r.name + " (" + r.city + ")";
    if (run && maxRequests > 0)
      for (const auto& t : run->regions)
        if (t.name == r.name) {
          radius = 4 + 6 * std::sqrt(t.requests / maxRequests);
          title += ": " + shortNumber(t.requests) + " requests";
          if (t.hitRatio) title += ", hit ratio " + shortNumber(100 * *t.hitRatio) + " %";
        }
    o += marker("region", r.name, r.location, radius, "#E69F00", title);
    o += label(r.location, r.name, 14);
  }
  for (const auto& p : topo.pops) {
    bool shield = p.tier == geo::Tier::Shield;
    std::string title = std::string(shield ? "shield " : "edge PoP ") + p.id + " (" + p.city + ")";
    std::string text = p.id;
    if (run)
      if (const Tally* t = run->findPop(p.id); t && t->hitRatio) {
        title += ", hit ratio " + shortNumber(100 * *t->hitRatio) + " %";
        text += " " + shortNumber(100 * *t->hitRatio) + "%";
      }
    o += marker(shield ? "shield" : "pop", p.id, p.location, shield ? 6 : 6, shield ? "#CC79A7" : "#0072B2", title);
    o += label(p.location, text, -6);
  }
  o += marker("origin", "origin", topo.origin.location, 7, "#D55E00", "origin (" + topo.origin.city + ")");
  o += label(topo.origin.location, "origin", -8);
  o += "</svg></figure>\n";
  return o;
}

}  // namespace cdnlab::report

// The distance -> latency model: what one hop of the request path costs, so that a laptop
// shows what a planet would. A teaching model (docs/latency-model.md): simple enough to
// compute by hand, calibrated so that every default path is within 20 % of published
// inter-city round-trip times. Pure arithmetic; the PoP and the load generator apply the
// result with libuv timers, and PoP selection ranks PoPs by it.
//
//   RTT(a, b)  = 2 x greatCircle(a, b) x inflation(area(a), area(b)) / (200 km per ms)
//                + perHopProcessing
//   client hop = RTT(client, PoP) + lastMile(region)        (+ jitter, drawn per exchange)
//   transfer   = size / bandwidth + extra round trips of TCP slow start (initial window 10
//                segments, doubling per RTT until the window covers the bandwidth-delay product)
//
// Light in fiber travels at about 2/3 c, ~200 km per ms. Real routes are longer than the great
// circle (cables follow coasts, traffic detours through exchanges): the inflation factor (>= 1)
// stands for that and depends on which two areas of the world a path joins (Europe - East Asia
// detours a lot, Europe - North America hardly at all); pairs not in the table use the single
// routeInflation.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "geo/geo_point.h"

namespace cdnlab::geo {

// Coarse areas of the world by latitude/longitude boxes (areaOf), enough to pick a route
// inflation: the big submarine-cable systems join these.
enum class Area { Europe, NorthAmerica, SouthAmerica, EastAsia, SouthAsia, Oceania, Africa };
inline constexpr size_t kAreaCount = 7;
std::string_view areaName(Area a);  // "europe", "north-america", ...
bool parseArea(std::string_view name, Area* out);
Area areaOf(GeoPoint p);

// One entry of the route inflation table: paths between areas a and b (either order).
struct InflationRule {
  Area a;
  Area b;
  double inflation;
};

// The calibrated defaults (docs/latency-model.md lists the measurements behind them).
std::vector<InflationRule> defaultInflationTable();
// Typical access-network (last-mile) round trip of a client in that area, ms.
double defaultLastMileMs(Area a);

struct LatencyParams {
  double routeInflation = 1.5;   // route length / great-circle length for pairs not in the table
  double perHopProcessingMs = 0.5;  // switching, queueing and kernel time added once per round trip
  double fiberKmPerMs = 200.0;   // propagation speed in fiber
  std::vector<InflationRule> inflationTable = {};  // empty: routeInflation everywhere
  double jitterFraction = 0;     // mean extra delay per exchange, as a share of its RTT
  double clientBandwidthMbps = 50;    // last mile (per region override in the topology)
  double backboneBandwidthMbps = 1000;  // PoP - shield - origin
  int initialWindowSegments = 10;  // RFC 6928
  int mssBytes = 1460;
};

// What the topology uses unless it says otherwise: the calibrated table, 1 ms per hop, 5 %
// jitter.
LatencyParams calibratedLatencyParams();

class LatencyModel {
 public:
  explicit LatencyModel(LatencyParams params = {}) : p_(std::move(params)) {}

  const LatencyParams& params() const { return p_; }

  // One round trip between a and b, in ms (no last mile, no jitter).
  double rttMs(GeoPoint a, GeoPoint b) const;
  // The same from a distance already known, at the table's inflation for that pair of areas.
  double rttForDistanceMs(double km) const { return rttForDistanceMs(km, p_.routeInflation); }
  double rttForDistanceMs(double km, double inflation) const;
  // The inflation the model applies between a and b.
  double inflation(GeoPoint a, GeoPoint b) const;

  // What one request/response exchange over a hop costs: one RTT, plus one more for the TCP
  // handshake when the connection is new (a kept-alive connection pays none).
  double exchangeMs(GeoPoint a, GeoPoint b, bool newConnection) const {
    return rttMs(a, b) * (newConnection ? 2 : 1);
  }

  // A request relayed along hops[0] -> hops[1] -> ... -> hops[n-1] and answered back: the sum
  // of each hop's exchange. E.g. {client, PoP} is a hit; {client, PoP, shield, origin} a miss
  // at both tiers (add the origin's service time). newConnections: every hop pays a handshake.
  double pathMs(std::span<const GeoPoint> hops, bool newConnections = false) const;

  // Jitter of one exchange over a hop of rttMs: exponentially distributed with mean
  // jitterFraction x rttMs; u is a uniform draw in [0, 1) from the caller's seeded generator.
  double jitterMs(double rttMs, double u) const;

  // Time to deliver `bytes` of response body over a hop of rttMs and bandwidthMbps beyond the
  // exchange's own round trip: serialisation (bytes / bandwidth) plus, with slowStart, one RTT
  // per further congestion window (the first window rides on the request's round trip). The
  // window starts at initialWindowSegments x MSS and doubles each RTT until it covers the
  // bandwidth-delay product. slowStart false: a warm, busy connection (PoP to shield).
  double transferMs(uint64_t bytes, double rttMs, double bandwidthMbps, bool slowStart = true) const;

 private:
  LatencyParams p_;
};

}  // namespace cdnlab::geo

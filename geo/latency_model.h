// The distance -> latency model (DESIGN.md section 3): what one hop of the request path costs,
// so that a laptop shows what a planet would. Pure arithmetic; the PoP and the load generator
// apply the result with libuv timers, and PoP selection ranks PoPs by it.
//
//   RTT(a, b) = 2 x greatCircle(a, b) x routeInflation / (200 km per ms) + perHopProcessing
//
// Light in fiber travels at about 2/3 c, ~200 km per ms. Real routes are longer than the great
// circle (cables follow coasts, traffic detours through exchanges): routeInflation (>= 1)
// stands for that; measured internet paths give roughly 1.5-2.5.
#pragma once

#include <span>

#include "geo/geo_point.h"

namespace cdnlab::geo {

struct LatencyParams {
  double routeInflation = 1.5;   // route length / great-circle length, >= 1
  double perHopProcessingMs = 0.5;  // switching, queueing and kernel time added once per round trip
  double fiberKmPerMs = 200.0;   // propagation speed in fiber
};

class LatencyModel {
 public:
  explicit LatencyModel(LatencyParams params = {}) : p_(params) {}

  const LatencyParams& params() const { return p_; }

  // One round trip between a and b, in ms.
  double rttMs(GeoPoint a, GeoPoint b) const;
  // The same from a distance already known.
  double rttForDistanceMs(double km) const;

  // What one request/response exchange over a hop costs: one RTT, plus one more for the TCP
  // handshake when the connection is new (a kept-alive connection pays none).
  double exchangeMs(GeoPoint a, GeoPoint b, bool newConnection) const {
    return rttMs(a, b) * (newConnection ? 2 : 1);
  }

  // A request relayed along hops[0] -> hops[1] -> ... -> hops[n-1] and answered back: the sum
  // of each hop's exchange. E.g. {client, PoP} is a hit; {client, PoP, shield, origin} a miss
  // at both tiers (add the origin's service time). newConnections: every hop pays a handshake.
  double pathMs(std::span<const GeoPoint> hops, bool newConnections = false) const;

 private:
  LatencyParams p_;
};

}  // namespace cdnlab::geo

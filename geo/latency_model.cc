#include "geo/latency_model.h"

namespace cdnlab::geo {

double LatencyModel::rttForDistanceMs(double km) const {
  return 2.0 * km * p_.routeInflation / p_.fiberKmPerMs + p_.perHopProcessingMs;
}

double LatencyModel::pathMs(std::span<const GeoPoint> hops, bool newConnections) const {
  double total = 0;
  for (size_t i = 1; i < hops.size(); ++i) total += exchangeMs(hops[i - 1], hops[i], newConnections);
  return total;
}

double LatencyModel::rttMs(GeoPoint a, GeoPoint b) const { return rttForDistanceMs(greatCircleKm(a, b)); }

}  // namespace cdnlab::geo

#include "geo/latency_model.h"

namespace cdnlab::geo {

double LatencyModel::rttForDistanceMs(double km) const {
  return 2.0 * km * p_.routeInflation / p_.fiberKmPerMs + p_.perHopProcessingMs;
}

double LatencyModel::rttMs(GeoPoint a, GeoPoint b) const { return rttForDistanceMs(greatCircleKm(a, b)); }

}  // namespace cdnlab::geo

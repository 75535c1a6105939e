#include "geo/geo_point.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cdnlab::geo {

double greatCircleKm(GeoPoint a, GeoPoint b) {
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dLat = (b.lat - a.lat) * kRad;
  const double dLon = (b.lon - a.lon) * kRad;
  const double s = std::sin(dLat / 2) * std::sin(dLat / 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dLon / 2) * std::sin(dLon / 2);
  // Clamp: rounding can push s a hair above 1 for antipodal points, and asin would give NaN.
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::clamp(s, 0.0, 1.0)));
}

}  // namespace cdnlab::geo

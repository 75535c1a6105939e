// A point on the planet and the great-circle distance between two points. Everything in geo/
// that reasons about "near" and "far" (PoP selection, the latency model) starts here.
#pragma once

namespace cdnlab::geo {

struct GeoPoint {
  double lat = 0;  // degrees, -90..90 (north positive)
  double lon = 0;  // degrees, -180..180 (east positive)
};

// Mean Earth radius (IUGG), the usual choice for haversine; the error against the WGS84
// ellipsoid is below 0.5%, far under the spread of real fiber routes.
inline constexpr double kEarthRadiusKm = 6371.0088;

// Great-circle distance in km by the haversine formula (numerically stable for small
// distances, unlike the spherical law of cosines).
double greatCircleKm(GeoPoint a, GeoPoint b);

}  // namespace cdnlab::geo

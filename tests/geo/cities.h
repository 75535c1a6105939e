// Coordinates of the cities the geo tests use (city centres, degrees).
#pragma once

#include "geo/geo_point.h"

namespace cdnlab::geo::testcities {
inline constexpr GeoPoint kFrankfurt{50.1109, 8.6821};
inline constexpr GeoPoint kLondon{51.5074, -0.1278};
inline constexpr GeoPoint kParis{48.8566, 2.3522};
inline constexpr GeoPoint kBerlin{52.5200, 13.4050};
inline constexpr GeoPoint kAshburn{39.0438, -77.4874};
inline constexpr GeoPoint kNewYork{40.7128, -74.0060};
inline constexpr GeoPoint kSaoPaulo{-23.5505, -46.6333};
inline constexpr GeoPoint kSingapore{1.3521, 103.8198};
inline constexpr GeoPoint kSydney{-33.8688, 151.2093};
inline constexpr GeoPoint kTokyo{35.6762, 139.6503};
inline constexpr GeoPoint kMumbai{19.0760, 72.8777};
}  // namespace cdnlab::geo::testcities

#include "geo/latency_model.h"

#include <gtest/gtest.h>

#include <numbers>

#include "tests/geo/cities.h"

namespace cdnlab::geo {
namespace {
using namespace testcities;

// Reference great-circle distances (published airport/city-centre figures, +-1%).
TEST(GreatCircle, KnownCityPairs) {
  EXPECT_NEAR(greatCircleKm(kFrankfurt, kSydney), 16480, 165);
  EXPECT_NEAR(greatCircleKm(kLondon, kNewYork), 5570, 56);
  EXPECT_NEAR(greatCircleKm(kParis, kLondon), 344, 4);
  EXPECT_NEAR(greatCircleKm(kSingapore, kSydney), 6300, 63);
}

TEST(GreatCircle, SymmetricZeroAndAntipodal) {
  EXPECT_DOUBLE_EQ(greatCircleKm(kTokyo, kMumbai), greatCircleKm(kMumbai, kTokyo));
  EXPECT_DOUBLE_EQ(greatCircleKm(kTokyo, kTokyo), 0.0);
  // Half the circumference, and no NaN from rounding at the antipode.
  EXPECT_NEAR(greatCircleKm({0, 0}, {0, 180}), std::numbers::pi * kEarthRadiusKm, 1e-6);
  EXPECT_NEAR(greatCircleKm({90, 0}, {-90, 0}), std::numbers::pi * kEarthRadiusKm, 1e-6);
}

TEST(LatencyModel, RttFormula) {
  LatencyModel m({.routeInflation = 1.5, .perHopProcessingMs = 0.5, .fiberKmPerMs = 200});
  // 2 x 1000 km x 1.5 / 200 km/ms = 15 ms, + 0.5 ms processing.
  EXPECT_DOUBLE_EQ(m.rttForDistanceMs(1000), 15.5);
  EXPECT_DOUBLE_EQ(m.rttForDistanceMs(0), 0.5);
}

TEST(LatencyModel, Magnitudes) {
  LatencyModel m({.routeInflation = 1.5, .perHopProcessingMs = 0.5});
  // Frankfurt-Sydney: ~16,480 km -> ~247 ms (real-world pings: 250-300 ms).
  EXPECT_NEAR(m.rttMs(kFrankfurt, kSydney), 247.7, 3);
  // Berlin-Frankfurt: ~424 km -> ~6.9 ms.
  EXPECT_NEAR(m.rttMs(kBerlin, kFrankfurt), 6.9, 0.3);
  // A client near its PoP costs far less than across the planet.
  EXPECT_LT(m.rttMs(kBerlin, kFrankfurt) * 20, m.rttMs(kBerlin, kSydney));
}

TEST(LatencyModel, NewConnectionPaysTheHandshake) {
  LatencyModel m;
  const double rtt = m.rttMs(kLondon, kNewYork);
  EXPECT_DOUBLE_EQ(m.exchangeMs(kLondon, kNewYork, /*newConnection=*/false), rtt);
  EXPECT_DOUBLE_EQ(m.exchangeMs(kLondon, kNewYork, /*newConnection=*/true), 2 * rtt);
}

TEST(LatencyModel, InflationScalesPropagationOnly) {
  LatencyModel a({.routeInflation = 1.0, .perHopProcessingMs = 2});
  LatencyModel b({.routeInflation = 2.0, .perHopProcessingMs = 2});
  EXPECT_NEAR((b.rttMs(kParis, kTokyo) - 2) / (a.rttMs(kParis, kTokyo) - 2), 2.0, 1e-9);
}

TEST(LatencyModel, PathSumsHops) {
  LatencyModel m;
  const GeoPoint hit[] = {kBerlin, kFrankfurt};
  const GeoPoint miss[] = {kBerlin, kFrankfurt, kNewYork, kAshburn};
  EXPECT_DOUBLE_EQ(m.pathMs(hit), m.rttMs(kBerlin, kFrankfurt));
  const double missMs = m.rttMs(kBerlin, kFrankfurt) + m.rttMs(kFrankfurt, kNewYork) + m.rttMs(kNewYork, kAshburn);
  EXPECT_DOUBLE_EQ(m.pathMs(miss), missMs);
  EXPECT_DOUBLE_EQ(m.pathMs(miss, /*newConnections=*/true), 2 * missMs);
  // A miss through the shield costs far more than a hit; a shield hit sits in between.
  const GeoPoint shieldHit[] = {kBerlin, kFrankfurt, kNewYork};
  EXPECT_LT(m.pathMs(hit) * 5, m.pathMs(shieldHit));
  EXPECT_LT(m.pathMs(shieldHit), m.pathMs(miss));
  EXPECT_DOUBLE_EQ(m.pathMs(std::span<const GeoPoint>{}), 0.0);
}

}  // namespace
}  // namespace cdnlab::geo

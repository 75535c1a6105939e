// The latency model's arithmetic and its calibrated defaults (see latency_model.h and
// docs/latency-model.md for the measurements the table is fitted to).
#include "geo/latency_model.h"

#include <array>
#include <cmath>

namespace cdnlab::geo {

namespace {
constexpr std::array<std::string_view, kAreaCount> kAreaNames = {
    "europe", "north-america", "south-america", "east-asia", "south-asia", "oceania", "africa"};
}  // namespace

std::string_view areaName(Area a) { return kAreaNames[static_cast<size_t>(a)]; }

bool parseArea(std::string_view name, Area* out) {
  for (size_t i = 0; i < kAreaCount; ++i)
    if (kAreaNames[i] == name) {
      *out = static_cast<Area>(i);
      return true;
    }
  return false;
}

Area areaOf(GeoPoint p) {
  if (p.lat < -10 && p.lon >= 110) return Area::Oceania;
  if (p.lon >= -170 && p.lon <= -30) return p.lat > 12 ? Area::NorthAmerica : Area::SouthAmerica;
  if (p.lat >= 35 && p.lon >= -25 && p.lon <= 45) return Area::Europe;
  if (p.lon >= -20 && p.lon <= 52 && p.lat < 35) return Area::Africa;
  if (p.lon >= 100 && p.lat >= 20) return Area::EastAsia;  // Tokyo, Seoul, Shanghai, Hong Kong
  return Area::SouthAsia;  // Mumbai, Singapore, Jakarta, the Gulf
}

std::vector<InflationRule> defaultInflationTable() {
  using A = Area;
  // Fitted per pair of areas to the reference RTTs in docs/latency-model.md with 1 ms per hop.
  return {
      {A::Europe, A::Europe, 2.2},          {A::NorthAmerica, A::NorthAmerica, 1.67},
      {A::SouthAmerica, A::SouthAmerica, 2.2}, {A::EastAsia, A::EastAsia, 1.6},
      {A::SouthAsia, A::SouthAsia, 1.5},    {A::EastAsia, A::SouthAsia, 1.3},
      {A::Europe, A::NorthAmerica, 1.3},    {A::Europe, A::SouthAmerica, 1.95},
      {A::Europe, A::EastAsia, 2.4},        {A::Europe, A::SouthAsia, 1.6},
      {A::Europe, A::Oceania, 1.7},         {A::NorthAmerica, A::SouthAmerica, 1.52},
      {A::NorthAmerica, A::EastAsia, 1.38}, {A::NorthAmerica, A::SouthAsia, 1.5},
      {A::NorthAmerica, A::Oceania, 1.22},  {A::EastAsia, A::Oceania, 1.4},
      {A::SouthAsia, A::Oceania, 1.45},     {A::Oceania, A::Oceania, 1.8},
      {A::Europe, A::Africa, 1.8},
  };
}

double defaultLastMileMs(Area a) {
  switch (a) {
    case Area::Europe: return 8;
    case Area::NorthAmerica: return 10;
    case Area::EastAsia: return 6;
    case Area::SouthAsia: return 12;
    case Area::SouthAmerica: return 15;
    case Area::Oceania: return 10;
    case Area::Africa: return 20;
  }
  return 10;
}

LatencyParams calibratedLatencyParams() {
  LatencyParams p;
  p.routeInflation = 1.8;
  p.perHopProcessingMs = 1.0;
  p.inflationTable = defaultInflationTable();
  p.jitterFraction = 0.05;
  return p;
}

double LatencyModel::inflation(GeoPoint a, GeoPoint b) const {
  if (p_.inflationTable.empty()) return p_.routeInflation;
  const Area x = areaOf(a), y = areaOf(b);
  for (const auto& r : p_.inflationTable)
    if ((r.a == x && r.b == y) || (r.a == y && r.b == x)) return r.inflation;
  return p_.routeInflation;
}

double LatencyModel::rttForDistanceMs(double km, double inflation) const {
  return 2.0 * km * inflation / p_.fiberKmPerMs + p_.perHopProcessingMs;
}

double LatencyModel::pathMs(std::span<const GeoPoint> hops, bool newConnections) const {
  double total = 0;
  for (size_t i = 1; i < hops.size(); ++i) total += exchangeMs(hops[i - 1], hops[i], newConnections);
  return total;
}

double LatencyModel::rttMs(GeoPoint a, GeoPoint b) const {
  return rttForDistanceMs(greatCircleKm(a, b), inflation(a, b));
}

double LatencyModel::jitterMs(double rttMs, double u) const {
  if (p_.jitterFraction <= 0 || rttMs <= 0) return 0;
  if (!(u >= 0) || u >= 1) u = 0;
  // Exponential: many exchanges see little extra delay, a few see a lot (queues building up).
  return -std::log1p(-u) * p_.jitterFraction * rttMs;
}

double LatencyModel::transferMs(uint64_t bytes, double rttMs, double bandwidthMbps, bool slowStart) const {
  if (bytes == 0 || !(bandwidthMbps > 0)) return 0;
  const double bytesPerMs = bandwidthMbps * 1e6 / 8 / 1000;
  double ms = static_cast<double>(bytes) / bytesPerMs;
  if (!slowStart || rttMs <= 0) return ms;
  const double bdp = bytesPerMs * rttMs;  // what the path holds in one round trip
  double window = static_cast<double>(p_.initialWindowSegments) * p_.mssBytes;
  double sent = window;  // the first window goes out with the exchange's own round trip
  const double total = static_cast<double>(bytes);
  int rounds = 0;
  while (sent < total && window < bdp && rounds < 64) {
    window *= 2;
    sent += window;
    ++rounds;
  }
  return ms + rounds * rttMs;
}

}  // namespace cdnlab::geo

#include "geo/pop_selector.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "tests/geo/cities.h"

namespace cdnlab::geo {
namespace {
using namespace testcities;

std::vector<PopCandidate> sixPops() {
  return {{"fra", kFrankfurt}, {"lon", kLondon},    {"iad", kAshburn},
          {"gru", kSaoPaulo},  {"sin", kSingapore}, {"syd", kSydney}};
}

std::string pick(const PopSelector& s, const std::vector<PopCandidate>& pops, GeoPoint client, double draw = 0) {
  auto sel = s.select(pops, client, draw);
  return sel ? pops[sel->index].id : "<none>";
}

TEST(PopSelector, NearestByGreatCircle) {
  PopSelector s(Strategy::Nearest, LatencyModel{});
  auto pops = sixPops();
  EXPECT_EQ(pick(s, pops, kBerlin), "fra");
  EXPECT_EQ(pick(s, pops, kParis), "lon");
  EXPECT_EQ(pick(s, pops, kNewYork), "iad");
  EXPECT_EQ(pick(s, pops, kTokyo), "sin");
  EXPECT_EQ(pick(s, pops, kMumbai), "sin");
  EXPECT_EQ(pick(s, pops, {-22.9068, -43.1729}), "gru");  // Rio
  EXPECT_EQ(pick(s, pops, {-37.8136, 144.9631}), "syd");  // Melbourne
}

TEST(PopSelector, ReportsDistanceAndRtt) {
  PopSelector s(Strategy::Nearest, LatencyModel{});
  auto pops = sixPops();
  auto sel = s.select(pops, kBerlin);
  ASSERT_TRUE(sel);
  EXPECT_NEAR(sel->distanceKm, greatCircleKm(kBerlin, kFrankfurt), 1e-9);
  EXPECT_NEAR(sel->rttMs, LatencyModel{}.rttMs(kBerlin, kFrankfurt), 1e-9);
  EXPECT_FALSE(sel->failedOver);
}

TEST(PopSelector, FailsOverToNextNearestHealthy) {
  PopSelector s(Strategy::Nearest, LatencyModel{});
  auto pops = sixPops();
  pops[0].healthy = false;  // Frankfurt down
  auto sel = s.select(pops, kBerlin);
  ASSERT_TRUE(sel);
  EXPECT_EQ(pops[sel->index].id, "lon");
  EXPECT_TRUE(sel->failedOver);
  pops[1].healthy = false;  // and London: Berlin goes across the Atlantic
  EXPECT_EQ(pick(s, pops, kBerlin), "iad");
  // A client whose PoP is healthy is not moved.
  EXPECT_EQ(pick(s, pops, kSydney), "syd");
}

TEST(PopSelector, NoHealthyPop) {
  PopSelector s(Strategy::Latency, LatencyModel{});
  auto pops = sixPops();
  for (auto& p : pops) p.healthy = false;
  EXPECT_FALSE(s.select(pops, kBerlin));
  EXPECT_FALSE(s.select(std::vector<PopCandidate>{}, kBerlin));
}

TEST(PopSelector, LatencyStrategyAddsMeasuredCost) {
  PopSelector s(Strategy::Latency, LatencyModel{});
  auto pops = sixPops();
  EXPECT_EQ(pick(s, pops, kBerlin), "fra");
  // Frankfurt answers its health checks 20 ms slower than the model: London (~14 ms from Berlin
  // vs ~7 ms to Frankfurt) becomes cheaper.
  pops[0].extraMs = 20;
  EXPECT_EQ(pick(s, pops, kBerlin), "lon");
}

TEST(PopSelector, WeightedPrefersNearButSpreads) {
  PopSelector s(Strategy::Weighted, LatencyModel{});
  auto pops = sixPops();
  std::map<std::string, int> counts;
  const int n = 1000;
  for (int i = 0; i < n; ++i) counts[pick(s, pops, kBerlin, (i + 0.5) / n)]++;
  EXPECT_GT(counts["fra"], counts["lon"]);
  EXPECT_GT(counts["lon"], counts["iad"]);
  EXPECT_GT(counts["fra"], n / 2);
  EXPECT_GT(counts["lon"], 0);
  // draw at the top edge still lands on a PoP.
  EXPECT_NE(pick(s, pops, kBerlin, 0.999999999), "<none>");
}

TEST(PopSelector, WeightedHonoursWeightsAndHealth) {
  PopSelector s(Strategy::Weighted, LatencyModel{});
  auto pops = sixPops();
  for (auto& p : pops) p.weight = 0;
  pops[5].weight = 1;  // only Sydney takes weighted traffic
  for (double d : {0.0, 0.3, 0.9}) EXPECT_EQ(pick(s, pops, kBerlin, d), "syd");
  pops[5].healthy = false;  // no weighted PoP left: the nearest healthy one serves
  EXPECT_EQ(pick(s, pops, kBerlin, 0.5), "fra");
}

TEST(PopSelector, StrategyNames) {
  for (auto st : {Strategy::Nearest, Strategy::Latency, Strategy::Weighted})
    EXPECT_EQ(parseStrategy(strategyName(st)), st);
  EXPECT_FALSE(parseStrategy("closest"));
}

}  // namespace
}  // namespace cdnlab::geo

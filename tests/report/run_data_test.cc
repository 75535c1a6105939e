// Reading load JSON back: what the report draws comes out of the document, and a broken
// document is refused with a message naming the place.
#include "report/run_data.h"

#include <gtest/gtest.h>

namespace cdnlab::report {
namespace {

const char* kRun = R"({
  "run": {"started_at": "2026-12-01T03:48:03Z", "mode": "open", "target": "topo.yaml", "duration_s": 8,
          "warmup_s": 5, "rate": 200, "seed": 7, "latency_model": true, "interrupted": false,
          "config": {"objects": 10000, "regions": [{"name": "berlin", "share": 0.5}]}},
  "total": {"requests": 100, "hits": 40, "errors": 1, "hit_ratio": 0.4,
            "outcomes": {"Hit": 40, "Miss": 59},
            "latency_ms": {"min": 1, "p50": 20, "p99": 90, "mean": 30, "max": 120},
            "latency_ms_by_outcome": {"Hit": {"min": 1, "p1": 1.5, "p50": 5, "p99.9": 9, "max": 10},
                                      "Miss": {"min": 50, "p50": 80, "max": 120}}},
  "shield": {"requests": 0, "hits": 0},
  "pops": {"fra": {"requests": 60, "hits": 30, "hit_ratio": 0.5,
                   "series": [{"second": 0, "requests": 20, "hits": 5}, {"second": 1, "requests": 40, "hits": 25, "mean_ms": 12.5}]}},
  "regions": {"berlin": {"requests": 100, "hits": 40}},
  "offload": {"request_offload": 0.62, "origin_requests": 38},
  "series": [{"second": 0, "requests": 50, "hits": 10}],
  "tiers": {"lambda": {"invocations": 12, "cold_starts": 2, "series": {"cold_starts": [[0, 2], [1, 0]]}}}
})";

TEST(RunData, ReadsWhatTheReportDraws) {
  auto r = parseRunData(kRun);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->mode, "open");
  EXPECT_EQ(r->target, "topo.yaml");
  EXPECT_DOUBLE_EQ(r->durationS, 8);
  EXPECT_TRUE(r->latencyModel);
  EXPECT_DOUBLE_EQ(r->total.requests, 100);
  ASSERT_TRUE(r->total.hitRatio);
  EXPECT_DOUBLE_EQ(*r->total.hitRatio, 0.4);
  // Percentiles come back as ascending (share, ms) points from min to max.
  const Percentiles& hit = r->total.latencyByOutcome.at("Hit");
  ASSERT_EQ(hit.points.size(), 5u);
  EXPECT_EQ(hit.points.front(), (std::pair<double, double>{0.0, 1.0}));
  EXPECT_EQ(hit.points[1], (std::pair<double, double>{0.01, 1.5}));
  EXPECT_DOUBLE_EQ(hit.points[3].first, 0.999);
  EXPECT_EQ(hit.points.back(), (std::pair<double, double>{1.0, 10.0}));
  EXPECT_EQ(hit.ms(0.5), 5.0);
  EXPECT_FALSE(hit.ms(0.9).has_value());  // not kept: not invented
  // A shield with no request is "no shield", not a zero row.
  EXPECT_FALSE(r->shield.has_value());
  ASSERT_EQ(r->pops.size(), 1u);
  ASSERT_EQ(r->pops[0].series.size(), 2u);
  EXPECT_EQ(r->pops[0].series[1].meanMs, 12.5);
  EXPECT_FALSE(r->pops[0].series[0].meanMs.has_value());
  ASSERT_NE(r->findPop("fra"), nullptr);
  EXPECT_EQ(r->findPop("lon"), nullptr);
  EXPECT_EQ(r->requestOffload, 0.62);
  EXPECT_FALSE(r->byteOffload.has_value());
  ASSERT_EQ(r->total.series.size(), 1u);
  ASSERT_EQ(r->tiers.size(), 1u);
  EXPECT_EQ(r->tiers[0].tier, "lambda");
  EXPECT_EQ(r->tiers[0].series.at("cold_starts").size(), 2u);
  bool sawObjects = false;
  for (const auto& [k, v] : r->config) sawObjects |= k == "config.objects" && v == "10000";
  EXPECT_TRUE(sawObjects);
}

TEST(RunData, RefusesWhatIsNotALoadResult) {
  auto notJson = parseRunData("{\"run\": ");
  ASSERT_FALSE(notJson.ok());
  EXPECT_NE(notJson.error().message.find("not JSON"), std::string::npos);
  auto other = parseRunData(R"({"TableNames": []})");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("cdnlab load --json"), std::string::npos);
}

TEST(RunData, NamesTheBrokenPlace) {
  auto r = parseRunData(R"({"run": {}, "total": {}, "pops": {"fra": {"series": [{"second": 0}, 7]}}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "pops.fra.series[1]: not an object");
  auto t = parseRunData(R"({"run": {}, "total": {}, "tiers": {"lambda": {"series": {"cold": [[1]]}}}})");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "tiers.lambda.series.cold[0]: not a [second, value] pair");
}

}  // namespace
}  // namespace cdnlab::report

// The report page: self-contained (nothing fetched, no script), every plot present with its
// points, the map from the topology's coordinates, and the tables.
#include "report/html_report.h"

#include <gtest/gtest.h>

#include <string>

#include "geo/topology.h"
#include "report/plots.h"

namespace cdnlab::report {
namespace {

const char* kRun = R"({
  "run": {"mode": "open", "duration_s": 3, "warmup_s": 1, "latency_model": true},
  "total": {"requests": 90, "hits": 30, "hit_ratio": 0.333,
            "latency_ms": {"min": 10, "p50": 100, "p99": 300, "max": 320},
            "latency_ms_by_outcome": {"Hit": {"min": 10, "p50": 20, "max": 40}, "Miss": {"min": 90, "p50": 150, "max": 320}}},
  "shield": {"requests": 60, "hits": 20, "hit_ratio": 0.333},
  "pops": {"fra": {"requests": 50, "hits": 20, "hit_ratio": 0.4,
                   "series": [{"second": 0, "requests": 20, "hits": 5}, {"second": 1, "requests": 30, "hits": 15}]},
           "syd": {"requests": 40, "hits": 10, "hit_ratio": 0.25,
                   "series": [{"second": 0, "requests": 20, "hits": 4}, {"second": 1, "requests": 20, "hits": 6}]}},
  "regions": {"berlin": {"requests": 50, "hits": 20, "hit_ratio": 0.4,
                         "latency_ms_by_outcome": {"Hit": {"min": 10, "p50": 12, "max": 20}, "Miss": {"min": 40, "p50": 60, "max": 90}}},
              "sydney": {"requests": 40, "hits": 10,
                         "latency_ms_by_outcome": {"Hit": {"min": 9, "p50": 11, "max": 15}, "Miss": {"min": 200, "p50": 260, "max": 320}}}},
  "offload": {"request_offload": 0.7},
  "series": [{"second": 0, "requests": 40, "hits": 9}, {"second": 1, "requests": 50, "hits": 21}]
})";

geo::Topology defaultTopology() {
  auto t = geo::loadTopologyFile(std::string(CDNLAB_SOURCE_DIR) + "/configs/catalog.yaml");
  EXPECT_TRUE(t.ok());
  return *t;
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, SelfContainedWithEveryPlot) {
  auto run = parseRunData(kRun);
  ASSERT_TRUE(run.ok()) << run.error().message;
  geo::Topology topo = defaultTopology();
  std::string html = renderHtmlReport(*run, &topo);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Nothing to fetch and nothing to run: it opens offline, from a file.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(html.find("<link"), std::string::npos);
  for (const char* id : {"map", "hit-ratio", "latency-cdf", "tier-breakdown", "offload", "cold-starts"})
    EXPECT_NE(html.find(std::string("data-plot=\"") + id + "\""), std::string::npos) << id;
  // Hit ratio: 2 seconds x (2 PoPs + all).
  EXPECT_NE(html.find("data-plot=\"hit-ratio\" data-points=\"6\""), std::string::npos);
  EXPECT_NE(html.find("data-series=\"fra\" data-x=\"1\" data-y=\"0.5\""), std::string::npos);
  // CDF: 2 regions x hit/miss x 3 points.
  EXPECT_NE(html.find("data-plot=\"latency-cdf\" data-points=\"12\""), std::string::npos);
  EXPECT_NE(html.find("data-series=\"sydney miss\" data-x=\"260\" data-y=\"0.5\""), std::string::npos);
  // No Lambda in this run: said, not drawn as zeros.
  EXPECT_NE(html.find("data-plot=\"cold-starts\" data-points=\"0\""), std::string::npos);
  // The map has every PoP of the topology and the origin, by their coordinates.
  for (const auto& p : topo.pops) EXPECT_NE(html.find("data-id=\"" + p.id + "\""), std::string::npos) << p.id;
  EXPECT_NE(html.find("data-kind=\"origin\""), std::string::npos);
  EXPECT_NE(html.find("data-kind=\"shield\""), std::string::npos);
  EXPECT_GE(count(html, "class=\"route client\""), topo.regions.size());
  EXPECT_NE(html.find("id=\"table-pops\""), std::string::npos);
  EXPECT_NE(html.find("70.0 %"), std::string::npos);  // the offload figure
}

TEST(HtmlReport, WithoutATopologyThereIsNoMapButAPage) {
  auto run = parseRunData(kRun);
  ASSERT_TRUE(run.ok());
  std::string html = renderHtmlReport(*run, nullptr);
  EXPECT_EQ(html.find("data-plot=\"map\""), std::string::npos);
  EXPECT_NE(html.find("--topology"), std::string::npos);
  EXPECT_NE(html.find("data-plot=\"hit-ratio\""), std::string::npos);
}

TEST(Plots, TierBreakdownSplitsAMissByTheModel) {
  auto run = parseRunData(kRun);
  ASSERT_TRUE(run.ok());
  geo::Topology topo = defaultTopology();
  StackedBarChart c = tierBreakdown(*run, &topo);
  ASSERT_EQ(c.bars.size(), 2u);
  for (const StackedBar& b : c.bars) {
    double sum = 0;
    for (const auto& [name, v] : b.parts) sum += v;
    // The parts add up to the region's median miss: nothing is invented or lost.
    double miss = b.label == "berlin" ? 60 : 260;
    EXPECT_NEAR(sum, miss, 1e-9) << b.label;
    EXPECT_EQ(b.parts.front().first, "edge (hit p50)");
  }
  // Sydney's miss travels far (to a shield and the origin in Europe or America): the model
  // puts most of its upstream time on the road.
  const StackedBar& syd = c.bars[1];
  double road = 0;
  for (const auto& [name, v] : syd.parts)
    if (name.rfind("to the", 0) == 0) road += v;
  EXPECT_GT(road, 100.0);
}

}  // namespace
}  // namespace cdnlab::report

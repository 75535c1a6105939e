// Histograms read out of Prometheus text: buckets summed over label sets, the median of what
// was observed between two scrapes, label values with escapes.
#include <gtest/gtest.h>

#include <limits>

#include "bench/loadgen/prometheus_text.h"

namespace cdnlab::loadgen {
namespace {

TEST(PrometheusHistogram, MedianBetweenTwoScrapesInterpolatesInsideItsBucket) {
  const std::string before =
      "# TYPE x_seconds histogram\n"
      "x_seconds_bucket{op=\"a\",le=\"0.001\"} 10\nx_seconds_bucket{op=\"a\",le=\"0.01\"} 10\n"
      "x_seconds_bucket{op=\"a\",le=\"+Inf\"} 10\n";
  // Between the scrapes: 20 observations in (1 ms, 10 ms] over two label sets, none elsewhere.
  const std::string after =
      "x_seconds_bucket{op=\"a\",le=\"0.001\"} 10\nx_seconds_bucket{op=\"a\",le=\"0.01\"} 20\n"
      "x_seconds_bucket{op=\"a\",le=\"+Inf\"} 20\n"
      "x_seconds_bucket{op=\"b\",le=\"0.001\"} 0\nx_seconds_bucket{op=\"b\",le=\"0.01\"} 10\n"
      "x_seconds_bucket{op=\"b\",le=\"+Inf\"} 10\nx_seconds_sum{op=\"b\"} 0.05\n";
  auto b = histogramBuckets(before, "x_seconds");
  auto a = histogramBuckets(after, "x_seconds");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_DOUBLE_EQ(a.begin()->second, 10);
  auto median = quantileBetween(b, a, 0.5);
  ASSERT_TRUE(median.has_value());
  EXPECT_NEAR(*median, 0.0055, 1e-9);  // halfway through the (0.001, 0.01] bucket
  EXPECT_FALSE(quantileBetween(a, a, 0.5).has_value()) << "nothing observed: no median";
}

TEST(PrometheusHistogram, ObservationsAboveTheLastBoundGiveThatBound) {
  std::map<double, double> none;
  std::map<double, double> a = {{1, 0}, {5, 0}, {std::numeric_limits<double>::max(), 4}};
  EXPECT_EQ(quantileBetween(none, a, 0.5), 5);
}

TEST(PrometheusHistogram, LabelValuesAndSamples) {
  EXPECT_EQ(labelValue(R"(api="x",route="GET /a/{id}",le="0.5")", "route"), "GET /a/{id}");
  EXPECT_EQ(labelValue(R"(a="q\"uote")", "a"), "q\"uote");
  EXPECT_FALSE(labelValue(R"(a="1")", "b").has_value());
  EXPECT_FALSE(labelValue(R"(broken)", "a").has_value());
  auto s = metricSamples("m{a=\"1\"} 2\nm_total 5\nm 3\n# m 9\nm{a=\"2\"} x\n", "m");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].first, "a=\"1\"");
  EXPECT_EQ(s[1], (std::pair<std::string, double>{"", 3}));
}

}  // namespace
}  // namespace cdnlab::loadgen

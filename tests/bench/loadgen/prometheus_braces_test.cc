// metricSum over label values that hold braces, as the gateway's route labels do.
#include <gtest/gtest.h>

#include "bench/loadgen/prometheus_text.h"

namespace cdnlab::loadgen {
namespace {

TEST(PrometheusText, LabelValuesWithBraces) {
  const char* text =
      "# TYPE cdnlab_gateway_requests_total counter\n"
      "cdnlab_gateway_requests_total{api=\"a\",stage=\"$default\",route=\"GET /api/products/{id}\"} 7\n"
      "cdnlab_gateway_requests_total{api=\"a\",stage=\"$default\",route=\"-\"} 2\n"
      "cdnlab_gateway_requests_total_other 100\n";
  EXPECT_EQ(metricSum(text, "cdnlab_gateway_requests_total"), 9.0);
}

}  // namespace
}  // namespace cdnlab::loadgen

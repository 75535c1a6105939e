// The store's /metrics text: per-operation counters, capacity units, latency histogram.
#include "origin/store/store_metrics.h"

#include <gtest/gtest.h>

#include "origin/store/request_util.h"

namespace cdnlab::store {
namespace {

TEST(StoreMetrics, CountsPerOperationWithCapacityAndLatency) {
  StoreMetrics m;
  m.record("DynamoDB_20120810.GetItem", 200, {0.5, 0}, 300);
  m.record("DynamoDB_20120810.GetItem", 400, {0, 0}, 90);
  m.record("DynamoDB_20120810.TransactWriteItems", 200, {2, 4}, 2000);
  m.record("DynamoDB_20120810.NoSuchThing", 500, {0, 0}, 10);
  const std::string t = m.render();
  EXPECT_NE(t.find("cdnlab_store_requests_total{operation=\"GetItem\"} 2\n"), std::string::npos) << t;
  EXPECT_NE(t.find("cdnlab_store_client_errors_total{operation=\"GetItem\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("cdnlab_store_read_capacity_units_total{operation=\"GetItem\"} 0.5\n"), std::string::npos) << t;
  EXPECT_NE(t.find("cdnlab_store_write_capacity_units_total{operation=\"TransactWriteItems\"} 4.0\n"), std::string::npos) << t;
  EXPECT_NE(t.find("cdnlab_store_server_errors_total{operation=\"other\"} 1\n"), std::string::npos) << t;
  // Cumulative buckets: 90 us and 300 us are both <= 500 us, only 90 us <= 100 us.
  EXPECT_NE(t.find("cdnlab_store_latency_seconds_bucket{operation=\"GetItem\",le=\"0.0001\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("cdnlab_store_latency_seconds_bucket{operation=\"GetItem\",le=\"0.0005\"} 2\n"), std::string::npos) << t;
  EXPECT_NE(t.find("cdnlab_store_latency_seconds_count{operation=\"GetItem\"} 2\n"), std::string::npos) << t;
  EXPECT_EQ(t.find("operation=\"Scan\""), std::string::npos) << "operations never called stay out";
}

TEST(StoreMetrics, CapacityArithmeticFeedsTheThreadsMeter) {
  capacityMeter() = {};
  EXPECT_EQ(readUnits(5000, true), 2);    // 4 KiB units, rounded up
  EXPECT_EQ(readUnits(100, false), 0.5);  // eventually consistent: half
  EXPECT_EQ(writeUnits(1500), 2);         // 1 KiB units
  EXPECT_DOUBLE_EQ(capacityMeter().readUnits, 2.5);
  EXPECT_DOUBLE_EQ(capacityMeter().writeUnits, 2);
}

}  // namespace
}  // namespace cdnlab::store

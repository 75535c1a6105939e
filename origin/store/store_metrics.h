// The store's Prometheus /metrics: per operation, the requests, the errors (client / server),
// the read and write capacity units consumed (whether or not the client asked for
// ReturnConsumedCapacity) and the latency from the request to its answer (a write's answer
// leaves once its WAL record is durable). HttpBinding records one sample per request; the
// operations meter their capacity units on the request's own thread (CapacityMeter), which the
// binding reads after the call. Relaxed atomics: a scrape may see one request half counted.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace cdnlab::store {

// Capacity units the operation running on this thread consumed so far (readUnits/writeUnits add
// to it). The binding resets it before each request.
struct CapacityMeter {
  double readUnits = 0;
  double writeUnits = 0;
};
CapacityMeter& capacityMeter();

class StoreMetrics {
 public:
  // target: the X-Amz-Target header ("DynamoDB_20120810.GetItem"); status: the HTTP status sent.
  void record(std::string_view target, int status, const CapacityMeter& units, uint64_t latencyUs);
  std::string render() const;

  // Operations with their own label; anything else counts as "other".
  static constexpr std::array<std::string_view, 29> kOperations = {
      "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
      "TransactGetItems", "TransactWriteItems", "CreateTable", "DeleteTable", "DescribeTable", "ListTables",
      "UpdateTable", "DescribeTimeToLive", "UpdateTimeToLive", "TagResource", "UntagResource",
      "ListTagsOfResource", "DescribeLimits", "DescribeEndpoints", "CreateBackup", "DescribeContinuousBackups",
      "ExecuteStatement", "ListStreams", "DescribeStream", "GetShardIterator", "GetRecords"};
  static constexpr size_t kSlots = kOperations.size() + 1;  // + "other"
  // Latency bucket upper bounds, microseconds (Prometheus `le` in seconds).
  static constexpr std::array<uint64_t, 12> kBoundsUs = {100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
                                                         100000, 250000, 1000000};

 private:
  struct PerOperation {
    std::atomic<uint64_t> requests{0}, clientErrors{0}, serverErrors{0};
    std::atomic<uint64_t> readMilliUnits{0}, writeMilliUnits{0};  // thousandths: half units stay exact
    std::array<std::atomic<uint64_t>, kBoundsUs.size() + 1> buckets{};
    std::atomic<uint64_t> latencySumUs{0};
  };
  static size_t slotOf(std::string_view target);
  std::array<PerOperation, kSlots> ops_;
};

}  // namespace cdnlab::store

// Provisioned throughput as DynamoDB enforces it: a token bucket per table and kind (reads,
// writes) that refills at the table's ReadCapacityUnits / WriteCapacityUnits per second and keeps
// up to `burstSeconds` of unused capacity (DynamoDB retains up to 300 seconds: "burst capacity").
// A request is admitted when the bucket holds what it is estimated to cost (or the bucket is
// full, so that an item larger than the burst is not refused forever) and then pays what it
// really used, which may leave the bucket in debt; later requests wait for the refill. A
// throttled request is a ProvisionedThroughputExceededException; BatchWriteItem / BatchGetItem
// hand the throttled part back as UnprocessedItems / UnprocessedKeys.
// Only enforced with `cdnlab store --enforce-throughput` (DynamoDB Local and dynalite never
// throttle, and a laboratory's load test should not be throttled unless it asks to be).
#pragma once

#include <cstdint>
#include <mutex>
#include <string_view>

#include "origin/store/api_error.h"

namespace cdnlab::store {

class CapacityBucket {
 public:
  // Refills the bucket for the time since the last call (rate units per second, at most
  // rate * max(burstSeconds, 1) kept), then, if it holds `units` or is full, takes `units`
  // (possibly into debt) and returns true. A bucket starts full.
  bool admit(double ratePerSecond, double burstSeconds, int64_t nowNs, double units);
  // Adds `units` to what was taken (negative: gives some back), after a request learned its
  // real cost (a DeleteItem of a large item, a Query's bytes).
  void charge(double units);
  // What the bucket holds now (tests, DescribeTable-like introspection).
  double available(double ratePerSecond, double burstSeconds, int64_t nowNs);

 private:
  void refill(double ratePerSecond, double burstSeconds, int64_t nowNs);

  std::mutex mu_;
  double tokens_ = 0;
  int64_t lastNs_ = -1;  // -1: never used, starts full
};

// DynamoDB's ProvisionedThroughputExceededException (HTTP 400; SDKs retry it with back-off).
inline ApiError throughputExceeded() {
  return dynamoError("ProvisionedThroughputExceededException",
                     "The level of configured provisioned throughput for the table was exceeded. Consider increasing "
                     "your provisioning level with the UpdateTable API.");
}

// The list of ThrottlingReason a throttling exception carries: the limit (`reason`, e.g.
// TableWriteProvisionedThroughputExceeded) and the resource's ARN (Developer Guide, "Diagnosing
// throttling"). The API model names the member "ThrottlingReasons" on
// ProvisionedThroughputExceededException and "throttlingReasons" on ThrottlingException.
void addThrottlingReason(ApiError& e, std::string_view member, std::string_view reason, std::string_view resourceArn);

// DynamoDB's answer to a request beyond an on-demand table's or index's maximum throughput: a
// ThrottlingException ("Rate of requests exceeds the allowed throughput.", Developer Guide, "Error
// handling with DynamoDB") with its reason (e.g. TableWriteMaxOnDemandThroughputExceeded). SDKs
// retry it.
ApiError onDemandMaximumExceeded(std::string_view reason, std::string_view resourceArn);

}  // namespace cdnlab::store

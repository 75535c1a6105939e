// Token buckets for provisioned throughput (see throughput.h).
#include "origin/store/throughput.h"

#include <algorithm>
#include <string>

namespace cdnlab::store {

namespace {
double bucketSize(double ratePerSecond, double burstSeconds) { return ratePerSecond * std::max(burstSeconds, 1.0); }
}  // namespace

void CapacityBucket::refill(double ratePerSecond, double burstSeconds, int64_t nowNs) {
  const double cap = bucketSize(ratePerSecond, burstSeconds);
  if (lastNs_ < 0) {
    tokens_ = cap;
  } else if (nowNs > lastNs_) {
    tokens_ += ratePerSecond * static_cast<double>(nowNs - lastNs_) / 1e9;
  }
  // A lowered capacity (UpdateTable) also lowers what is kept.
  tokens_ = std::min(tokens_, cap);
  lastNs_ = std::max(lastNs_, nowNs);
}

bool CapacityBucket::admit(double ratePerSecond, double burstSeconds, int64_t nowNs, double units) {
  std::lock_guard<std::mutex> l(mu_);
  refill(ratePerSecond, burstSeconds, nowNs);
  if (tokens_ < units && tokens_ < bucketSize(ratePerSecond, burstSeconds)) return false;
  tokens_ -= units;
  return true;
}

void CapacityBucket::charge(double units) {
  std::lock_guard<std::mutex> l(mu_);
  tokens_ -= units;
}

double CapacityBucket::available(double ratePerSecond, double burstSeconds, int64_t nowNs) {
  std::lock_guard<std::mutex> l(mu_);
  refill(ratePerSecond, burstSeconds, nowNs);
  return tokens_;
}

void addThrottlingReason(ApiError& e, std::string_view member, std::string_view reason, std::string_view resourceArn) {
  // The reason is ours and the ARN is built from a validated name and the store's region.
  e.extraJson = "\"" + std::string(member) + R"(":[{"reason":")" + std::string(reason) + R"(","resource":")" +
                std::string(resourceArn) + R"("}])";
}

ApiError onDemandMaximumExceeded(std::string_view reason, std::string_view resourceArn) {
  ApiError e{"com.amazon.coral.availability#ThrottlingException", "Rate of requests exceeds the allowed throughput.", 400, {}};
  addThrottlingReason(e, "throttlingReasons", reason, resourceArn);
  return e;
}

}  // namespace cdnlab::store

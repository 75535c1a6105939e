// TokenBucket: API Gateway's throttle (rate = steady requests per second, burst = bucket size).
// Pure: time comes in as a parameter (monotonic ns). One bucket may be shared by every worker
// thread (a route's limit is for the whole gateway), so take() holds a small lock.
#pragma once

#include <cstdint>
#include <mutex>

namespace cdnlab::gateway {

class TokenBucket {
 public:
  // burst < 1 with rate > 0 still admits one request per 1/rate s (API Gateway treats burst 0 as
  // "no requests"; we follow that: burst 0 refuses everything).
  TokenBucket(double ratePerSecond, int64_t burst, int64_t nowNs)
      : rate_(ratePerSecond), burst_(static_cast<double>(burst)), tokens_(static_cast<double>(burst)), lastNs_(nowNs) {}
  // True (and one token spent) when the request may pass.
  bool take(int64_t nowNs);
  double rate() const { return rate_; }
  double burst() const { return burst_; }

 private:
  std::mutex mu_;
  double rate_;
  double burst_;
  double tokens_;
  int64_t lastNs_;
};

}  // namespace cdnlab::gateway

// Token bucket refill and take (see token_bucket.h).
#include "gateway/runtime/token_bucket.h"

#include <algorithm>

namespace cdnlab::gateway {

bool TokenBucket::take(int64_t nowNs) {
  std::lock_guard<std::mutex> lock(mu_);
  if (nowNs > lastNs_) {
    tokens_ = std::min(burst_, tokens_ + rate_ * static_cast<double>(nowNs - lastNs_) / 1e9);
    lastNs_ = nowNs;
  }
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return true;
  }
  return false;
}

}  // namespace cdnlab::gateway

// Usage plans at run time: per (plan, API key) a token bucket (throttle.rateLimit / burstLimit)
// and a request quota per DAY / WEEK / MONTH (UTC periods; WEEK starts on Sunday, MONTH on the
// 1st, each moved by quota.offset days), and the per-day counts `get-usage` reports. Counts live
// in memory: a restart starts every quota period afresh.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "gateway/rest/rest_model.h"
#include "gateway/runtime/token_bucket.h"

namespace cdnlab::gateway {

enum class UsageVerdict { Admitted, Throttled, QuotaExceeded };

// Start (epoch ms, UTC) of the quota period holding `nowMs`.
int64_t quotaPeriodStartMs(const std::string& period, int64_t offsetDays, int64_t nowMs);
// "YYYY-MM-DD" (UTC) of an epoch-ms time.
std::string utcDay(int64_t epochMs);

class UsageTracker {
 public:
  // Throttle, then quota; an admitted request counts toward the quota and the day's usage.
  UsageVerdict admit(const UsagePlan& plan, const std::string& keyId, int64_t nowMs, int64_t monoNs);
  // [used, remaining] for each day from startDay to endDay ("YYYY-MM-DD"), as get-usage answers.
  std::vector<std::pair<int64_t, int64_t>> usage(const UsagePlan& plan, const std::string& keyId,
                                                 const std::string& startDay, const std::string& endDay) const;
  // Key ids with any recorded use in this plan.
  std::vector<std::string> keysWithUsage(const std::string& planId) const;

 private:
  struct PerKey {
    std::shared_ptr<TokenBucket> bucket;
    double rate = -1;
    int64_t burst = -1;
    int64_t periodStartMs = -1;
    int64_t usedInPeriod = 0;
    std::map<std::string, int64_t> byDay;  // "YYYY-MM-DD" -> requests admitted
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, PerKey> perKey_;  // planId + '\n' + keyId
};

}  // namespace cdnlab::gateway

// Usage plan throttles and quotas (see usage_plans.h).
#include "gateway/rest/usage_plans.h"

#include <ctime>

#include "common/civil_date.h"
#include "gateway/utc_time.h"

namespace cdnlab::gateway {
namespace {

constexpr int64_t kDayMs = 86400000;

bool parseDay(const std::string& s, int64_t& days) {
  int y, m, d;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
    return false;
  days = daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

}  // namespace

std::string utcDay(int64_t epochMs) { return formatUtc(epochMs, "%Y-%m-%d"); }

int64_t quotaPeriodStartMs(const std::string& period, int64_t offsetDays, int64_t nowMs) {
  int64_t day = nowMs >= 0 ? nowMs / kDayMs : (nowMs - kDayMs + 1) / kDayMs;
  if (period == "WEEK") {
    int64_t weekday = ((day % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday (4); Sunday = 0
    int64_t start = day - weekday + offsetDays;
    if (start > day) start -= 7;
    return start * kDayMs;
  }
  if (period == "MONTH") {
    time_t t = static_cast<time_t>(nowMs / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    int64_t start = daysFromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1), 1) + offsetDays;
    if (start > day) {
      int y = tm.tm_year + 1900, m = tm.tm_mon;  // previous month (1-based m = tm_mon)
      if (m == 0) {
        m = 12;
        --y;
      }
      start = daysFromCivil(y, static_cast<unsigned>(m), 1) + offsetDays;
    }
    return start * kDayMs;
  }
  return day * kDayMs;  // DAY
}

UsageVerdict UsageTracker::admit(const UsagePlan& plan, const std::string& keyId, int64_t nowMs, int64_t monoNs) {
  std::lock_guard<std::mutex> lock(mu_);
  PerKey& k = perKey_[plan.id + '\n' + keyId];
  if (plan.rateLimit || plan.burstLimit) {
    double rate = plan.rateLimit.value_or(10000);
    int64_t burst = plan.burstLimit.value_or(5000);
    if (!k.bucket || k.rate != rate || k.burst != burst) {
      k.bucket = std::make_shared<TokenBucket>(rate, burst, monoNs);
      k.rate = rate;
      k.burst = burst;
    }
    if (!k.bucket->take(monoNs)) return UsageVerdict::Throttled;
  }
  if (plan.quotaLimit) {
    int64_t start = quotaPeriodStartMs(plan.quotaPeriod, plan.quotaOffset, nowMs);
    if (start != k.periodStartMs) {
      k.periodStartMs = start;
      k.usedInPeriod = 0;
    }
    if (k.usedInPeriod >= *plan.quotaLimit) return UsageVerdict::QuotaExceeded;
    ++k.usedInPeriod;
  }
  ++k.byDay[utcDay(nowMs)];
  return UsageVerdict::Admitted;
}

std::vector<std::pair<int64_t, int64_t>> UsageTracker::usage(const UsagePlan& plan, const std::string& keyId,
                                                             const std::string& startDay, const std::string& endDay) const {
  std::vector<std::pair<int64_t, int64_t>> out;
  int64_t from, to;
  if (!parseDay(startDay, from) || !parseDay(endDay, to) || to < from || to - from > 366) return out;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = perKey_.find(plan.id + '\n' + keyId);
  for (int64_t d = from; d <= to; ++d) {
    std::string day = utcDay(d * kDayMs);
    int64_t used = 0;
    if (it != perKey_.end())
      if (auto u = it->second.byDay.find(day); u != it->second.byDay.end()) used = u->second;
    int64_t remaining = 0;
    if (plan.quotaLimit) {
      // What was left of the quota at the end of that day: the limit minus this period's use so far.
      int64_t start = quotaPeriodStartMs(plan.quotaPeriod, plan.quotaOffset, d * kDayMs) / kDayMs;
      int64_t inPeriod = 0;
      if (it != perKey_.end())
        for (int64_t p = start; p <= d; ++p)
          if (auto u = it->second.byDay.find(utcDay(p * kDayMs)); u != it->second.byDay.end()) inPeriod += u->second;
      remaining = std::max<int64_t>(0, *plan.quotaLimit - inPeriod);
    }
    out.emplace_back(used, remaining);
  }
  return out;
}

std::vector<std::string> UsageTracker::keysWithUsage(const std::string& planId) const {
  std::vector<std::string> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [k, v] : perKey_)
    if (k.rfind(planId + '\n', 0) == 0 && !v.byDay.empty()) out.push_back(k.substr(planId.size() + 1));
  return out;
}

}  // namespace cdnlab::gateway

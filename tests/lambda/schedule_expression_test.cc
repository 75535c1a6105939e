// EventBridge schedule expressions (lambda/schedule_expression.*): parsing and the next firing.
#include "lambda/schedule_expression.h"

#include <gtest/gtest.h>

namespace cdnlab::lambda {
namespace {

// 2026-12-01T04:30:15Z, a Tuesday.
constexpr int64_t kNow = 1796099415;
constexpr int64_t kMidnight = 1796083200;  // 2026-12-01T00:00:00Z

int64_t nextOf(const char* text, int64_t after = kNow) {
  auto e = ScheduleExpression::parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << (e ? "" : e.error().message);
  return e ? e->next(after, after) : -2;
}

std::string errorOf(const char* text) {
  auto e = ScheduleExpression::parse(text);
  return e ? "(accepted)" : e.error().message;
}

TEST(ScheduleExpression, RateFiresEveryPeriodFromItsAnchor) {
  auto e = ScheduleExpression::parse("rate(5 minutes)");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->next(kNow, kNow), kNow + 300);
  EXPECT_EQ(e->next(kNow + 300, kNow), kNow + 600);
  EXPECT_EQ(e->next(kNow + 301, kNow), kNow + 600);
  EXPECT_EQ(nextOf("rate(1 minute)"), kNow + 60);
  EXPECT_EQ(nextOf("rate(2 hours)"), kNow + 7200);
  EXPECT_EQ(nextOf("rate(1 day)"), kNow + 86400);
}

TEST(ScheduleExpression, RateNeedsEventBridgesUnits) {
  EXPECT_NE(errorOf("rate(1 minutes)").find("singular"), std::string::npos);
  EXPECT_NE(errorOf("rate(5 minute)").find("plural"), std::string::npos);
  EXPECT_NE(errorOf("rate(0 minutes)").find("out of"), std::string::npos);
  EXPECT_NE(errorOf("rate(5 seconds)").find("unit"), std::string::npos);
  EXPECT_NE(errorOf("rate(five minutes)").find("not a value"), std::string::npos);
  EXPECT_NE(errorOf("every 5 minutes").find("rate(...) or cron(...)"), std::string::npos);
}

TEST(ScheduleExpression, CronFields) {
  // Every day at 10:15 UTC: today's 10:15 is still ahead.
  EXPECT_EQ(nextOf("cron(15 10 * * ? *)"), kMidnight + 10 * 3600 + 15 * 60);
  // Every 10 minutes: 04:40.
  EXPECT_EQ(nextOf("cron(0/10 * * * ? *)"), kMidnight + 4 * 3600 + 40 * 60);
  // The next whole minute, not the current one.
  EXPECT_EQ(nextOf("cron(* * * * ? *)"), kMidnight + 4 * 3600 + 31 * 60);
  // 18:00 on weekdays (MON-FRI): today is Tuesday.
  EXPECT_EQ(nextOf("cron(0 18 ? * MON-FRI *)"), kMidnight + 18 * 3600);
  // Saturdays at 08:00: 2026-12-05.
  EXPECT_EQ(nextOf("cron(0 8 ? * SAT *)"), kMidnight + 4 * 86400 + 8 * 3600);
  // The first of each month at noon: today (the 1st) at 12:00.
  EXPECT_EQ(nextOf("cron(0 12 1 * ? *)"), kMidnight + 12 * 3600);
  // Last day of the month: 2026-12-31 00:00.
  EXPECT_EQ(nextOf("cron(0 0 L * ? *)"), kMidnight + 30 * 86400);
  // The second Monday (2#2) of the month: 2026-12-14.
  EXPECT_EQ(nextOf("cron(0 9 ? * 2#2 *)"), kMidnight + 13 * 86400 + 9 * 3600);
  // Months by name and a year list: March 2027.
  EXPECT_EQ(nextOf("cron(0 0 1 MAR ? 2027,2030)"), 1803859200);
  // Feb 29 comes in 2028.
  EXPECT_EQ(nextOf("cron(0 0 29 2 ? *)"), 1835395200);
  // Years that are over never fire.
  EXPECT_EQ(nextOf("cron(0 0 1 1 ? 2020)"), -1);
}

TEST(ScheduleExpression, CronErrorsNameTheField) {
  EXPECT_NE(errorOf("cron(0 0 * * *)").find("6 fields"), std::string::npos);
  EXPECT_NE(errorOf("cron(60 0 * * ? *)").find("minutes: 60 is out of 0-59"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 24 * * ? *)").find("hours"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 0 * * 8 *)").find("exactly one"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 0 ? * 8 *)").find("day-of-week: 8 is out of 1-7"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 0 5 * 2 *)").find("exactly one"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 0 ? * ? *)").find("exactly one"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 0 ? FOO * *)").find("month"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 0 15W * ? *)").find("day-of-month"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 0 ? * 6L *)").find("not supported"), std::string::npos);
  EXPECT_NE(errorOf("cron(10-5 0 * * ? *)").find("backwards"), std::string::npos);
  EXPECT_NE(errorOf("cron(0 0 1 1 ? 1969)").find("year"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::lambda

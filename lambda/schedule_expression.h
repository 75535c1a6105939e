// EventBridge schedule expressions, as a schedule event source uses them: `rate(5 minutes)`
// (value and unit: minute(s), hour(s), day(s); singular only for 1) and `cron(Minutes Hours
// Day-of-month Month Day-of-week Year)` in UTC, with `*`, `,`, `-`, `/`, `?`, month and day names,
// `L` (last day of the month) and `d#n` (the n-th weekday d of the month); exactly one of the two
// day fields is `?`. Pure: parsing and "when next" on epoch seconds, unit-tested.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdnlab::lambda {

class ScheduleExpression {
 public:
  // The error names the field and what is wrong ("cron: day-of-week: 8 is out of 1-7").
  static Result<ScheduleExpression> parse(std::string_view text);

  // The first firing strictly after `afterEpochS`. A rate fires every period from `anchorEpochS`
  // (when the schedule was created). -1 when a cron never fires again (its years are over).
  int64_t next(int64_t afterEpochS, int64_t anchorEpochS) const;
  const std::string& text() const { return text_; }

 private:
  bool matchesDay(int year, int month, int day, int weekday) const;  // weekday 1 = Sunday

  std::string text_;
  int64_t rateSeconds_ = 0;  // >0: a rate expression
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> daysOfMonth_;  // 1-31
  bool lastDayOfMonth_ = false;
  bool anyDayOfMonth_ = false;   // `?` or `*`
  std::bitset<13> months_;       // 1-12
  std::bitset<8> daysOfWeek_;    // 1-7, 1 = Sunday
  bool anyDayOfWeek_ = false;
  int nthWeekday_ = 0;           // d#n: weekday d (in daysOfWeek_), n-th of the month
  std::bitset<231> years_;       // 1970-2200 as offsets from 1970
};

}  // namespace cdnlab::lambda

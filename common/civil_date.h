// Calendar dates as day numbers: the one conversion that SigV4's X-Amz-Date, the usage plans'
// quota periods and the schedule expressions' day walk share. std::chrono's calendar (C++20) does
// the arithmetic (H. Hinnant's days_from_civil / civil_from_days).
#pragma once

#include <chrono>
#include <cstdint>

namespace cdnlab {

// Days since 1970-01-01 of a proleptic Gregorian date (negative before it). A day past the
// month's end counts on into the next month (Feb 30 is Mar 1 or 2), as the chrono conversion
// defines it for a valid year and month; callers that need a real date check the day themselves.
inline int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
  using namespace std::chrono;
  return sys_days{std::chrono::year{static_cast<int>(year)} / std::chrono::month{month} / std::chrono::day{day}}
      .time_since_epoch()
      .count();
}

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// The date of a day number (the inverse of daysFromCivil).
inline CivilDate civilFromDays(int64_t days) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

}  // namespace cdnlab

// daysFromCivil / civilFromDays: the day numbers SigV4, usage plans and schedules compute dates with.
#include "common/civil_date.h"

#include <gtest/gtest.h>

#include <ctime>

namespace cdnlab {
namespace {

// The C library's own answer for a date at midnight UTC, in days.
int64_t timegmDays(int y, int m, int d) {
  struct tm t {};
  t.tm_year = y - 1900;
  t.tm_mon = m - 1;
  t.tm_mday = d;
  return static_cast<int64_t>(timegm(&t)) / 86400;
}

TEST(CivilDate, KnownDays) {
  EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(daysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(daysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(daysFromCivil(2024, 2, 29), 19782);
}

TEST(CivilDate, AgreesWithTimegmAcrossLeapYearsAndCenturies) {
  for (int y : {1900, 1970, 1999, 2000, 2023, 2024, 2100, 2199})
    for (int m = 1; m <= 12; ++m)
      for (int d : {1, 15, 28})
        EXPECT_EQ(daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)), timegmDays(y, m, d))
            << y << "-" << m << "-" << d;
}

TEST(CivilDate, DayPastMonthEndCountsIntoNextMonth) {
  EXPECT_EQ(daysFromCivil(2023, 2, 31), daysFromCivil(2023, 3, 3));
  EXPECT_EQ(daysFromCivil(2024, 2, 31), daysFromCivil(2024, 3, 2));
}

TEST(CivilDate, CivilFromDaysInvertsDaysFromCivil) {
  for (int64_t z : {-719468L, -1L, 0L, 11016L, 11017L, 19782L, 84000L}) {
    CivilDate c = civilFromDays(z);
    EXPECT_EQ(daysFromCivil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day)), z) << z;
  }
  CivilDate leap = civilFromDays(19782);
  EXPECT_EQ(leap.year, 2024);
  EXPECT_EQ(leap.month, 2);
  EXPECT_EQ(leap.day, 29);
}

}  // namespace
}  // namespace cdnlab

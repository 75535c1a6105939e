// Schedule expressions: parsing and the next firing time (see schedule_expression.h).
#include "lambda/schedule_expression.h"

#include <cctype>
#include <optional>
#include <vector>

#include "common/civil_date.h"

namespace cdnlab::lambda {

namespace {

constexpr int kFirstYear = 1970;
constexpr int kLastYear = 2199;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

struct Field {
  const char* name;
  int lo, hi;
  const char* const* names;  // names[i] is value lo+i (months, weekdays), or null
};

const char* const kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char* const kWeekdays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

Result<int> value(std::string_view v, const Field& f) {
  if (f.names) {
    std::string u = upper(v);
    for (int i = 0; i <= f.hi - f.lo; ++i)
      if (u == f.names[i]) return f.lo + i;
  }
  if (v.empty() || v.size() > 4) return Error{1, std::string(f.name) + ": '" + std::string(v) + "' is not a value"};
  int n = 0;
  for (char c : v) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return Error{1, std::string(f.name) + ": '" + std::string(v) + "' is not a value"};
    n = n * 10 + (c - '0');
  }
  if (n < f.lo || n > f.hi)
    return Error{1, std::string(f.name) + ": " + std::to_string(n) + " is out of " + std::to_string(f.lo) + "-" + std::to_string(f.hi)};
  return n;
}

// `*`, `a`, `a-b`, `a/step`, `*/step`, `a-b/step`, comma-separated; sets bits [v - base].
template <size_t N>
Result<bool> parseList(std::string_view text, const Field& f, std::bitset<N>& out, int base) {
  for (std::string_view part : split(text, ',')) {
    std::string_view range = part;
    int step = 1;
    size_t slash = part.find('/');
    if (slash != std::string_view::npos) {
      range = part.substr(0, slash);
      Field stepField{f.name, 1, f.hi - f.lo + 1, nullptr};
      auto s = value(part.substr(slash + 1), stepField);
      if (!s) return s.error();
      step = *s;
    }
    int a = f.lo, b = f.hi;
    if (range != "*") {
      size_t dash = range.find('-');
      auto first = value(range.substr(0, dash), f);
      if (!first) return first.error();
      a = *first;
      b = slash != std::string_view::npos ? f.hi : a;  // "5/10": from 5 to the end
      if (dash != std::string_view::npos) {
        auto second = value(range.substr(dash + 1), f);
        if (!second) return second.error();
        b = *second;
        if (b < a) return Error{1, std::string(f.name) + ": range " + std::string(range) + " runs backwards"};
      }
    }
    for (int v = a; v <= b; v += step) out.set(static_cast<size_t>(v - base));
  }
  return true;
}

int daysInMonth(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : d[m - 1];
}

}  // namespace

Result<ScheduleExpression> ScheduleExpression::parse(std::string_view text) {
  ScheduleExpression e;
  e.text_ = std::string(text);
  auto inner = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (text.size() < prefix.size() + 1 || text.substr(0, prefix.size()) != prefix || text.back() != ')') return std::nullopt;
    return text.substr(prefix.size(), text.size() - prefix.size() - 1);
  };
  if (auto rate = inner("rate(")) {
    auto parts = split(*rate, ' ');
    if (parts.size() != 2) return Error{1, "rate: expected rate(value unit), e.g. rate(5 minutes)"};
    Field f{"rate value", 1, 1000000, nullptr};
    if (parts[0].size() > 7) return Error{1, "rate value: out of 1-1000000"};
    auto n = value(parts[0], f);
    if (!n) return n.error();
    std::string unit(parts[1]);
    int64_t seconds = unit == "minute" || unit == "minutes" ? 60 : unit == "hour" || unit == "hours" ? 3600
                      : unit == "day" || unit == "days"     ? 86400 : 0;
    if (seconds == 0) return Error{1, "rate: unit '" + unit + "' is not minute(s), hour(s) or day(s)"};
    bool plural = unit.back() == 's';
    if ((*n == 1) == plural)
      return Error{1, std::string("rate: ") + (*n == 1 ? "a value of 1 takes a singular unit (rate(1 minute))"
                                                       : "a value above 1 takes a plural unit (rate(5 minutes))")};
    e.rateSeconds_ = *n * seconds;
    return e;
  }
  auto cron = inner("cron(");
  if (!cron) return Error{1, "a schedule expression is rate(...) or cron(...)"};
  auto fields = split(*cron, ' ');
  if (fields.size() != 6) return Error{1, "cron: expected 6 fields (minutes hours day-of-month month day-of-week year)"};
  if (auto r = parseList(fields[0], Field{"cron: minutes", 0, 59, nullptr}, e.minutes_, 0); !r) return r.error();
  if (auto r = parseList(fields[1], Field{"cron: hours", 0, 23, nullptr}, e.hours_, 0); !r) return r.error();
  if (auto r = parseList(fields[3], Field{"cron: month", 1, 12, kMonths}, e.months_, 0); !r) return r.error();
  if (auto r = parseList(fields[5], Field{"cron: year", kFirstYear, kLastYear, nullptr}, e.years_, kFirstYear); !r)
    return r.error();
  std::string_view dom = fields[2], dow = fields[4];
  if ((dom == "?") == (dow == "?"))
    return Error{1, "cron: exactly one of day-of-month and day-of-week must be '?'"};
  if (dom == "?") {
    e.anyDayOfMonth_ = true;
  } else if (dom == "L") {
    e.lastDayOfMonth_ = true;
  } else if (dom == "*") {
    e.anyDayOfMonth_ = true;
  } else if (dom.find_first_of("LW") != std::string_view::npos) {
    return Error{1, "cron: day-of-month: only 'L' alone is supported of L/W"};
  } else if (auto r = parseList(dom, Field{"cron: day-of-month", 1, 31, nullptr}, e.daysOfMonth_, 0); !r) {
    return r.error();
  }
  if (dow == "?" || dow == "*") {
    e.anyDayOfWeek_ = true;
  } else if (size_t hash = dow.find('#'); hash != std::string_view::npos) {
    auto d = value(dow.substr(0, hash), Field{"cron: day-of-week", 1, 7, kWeekdays});
    if (!d) return d.error();
    auto n = value(dow.substr(hash + 1), Field{"cron: day-of-week #", 1, 5, nullptr});
    if (!n) return n.error();
    e.daysOfWeek_.set(static_cast<size_t>(*d));
    e.nthWeekday_ = *n;
  } else if (upper(dow).find('L') != std::string::npos) {  // no weekday name has an L
    return Error{1, "cron: day-of-week: 'L' is not supported"};
  } else if (auto r = parseList(dow, Field{"cron: day-of-week", 1, 7, kWeekdays}, e.daysOfWeek_, 0); !r) {
    return r.error();
  }
  // With one day field '?', the other decides; '*' in the other means every day.
  return e;
}

bool ScheduleExpression::matchesDay(int year, int month, int day, int weekday) const {
  if (year < kFirstYear || year > kLastYear || !years_.test(static_cast<size_t>(year - kFirstYear))) return false;
  if (!months_.test(static_cast<size_t>(month))) return false;
  if (!anyDayOfMonth_) {
    if (lastDayOfMonth_) return day == daysInMonth(year, month);
    return daysOfMonth_.test(static_cast<size_t>(day));
  }
  if (!anyDayOfWeek_) {
    if (!daysOfWeek_.test(static_cast<size_t>(weekday))) return false;
    return nthWeekday_ == 0 || (day - 1) / 7 + 1 == nthWeekday_;
  }
  return true;
}

int64_t ScheduleExpression::next(int64_t afterEpochS, int64_t anchorEpochS) const {
  if (rateSeconds_ > 0) {
    if (afterEpochS < anchorEpochS) return anchorEpochS + rateSeconds_;
    int64_t periods = (afterEpochS - anchorEpochS) / rateSeconds_ + 1;
    return anchorEpochS + periods * rateSeconds_;
  }
  // The next whole minute after `after`, then day by day (at most to the last year).
  int64_t start = (afterEpochS / 60 + 1) * 60;
  int64_t day = start / 86400;
  int startMinuteOfDay = static_cast<int>((start % 86400) / 60);
  for (int64_t d = day; d <= daysFromCivil(kLastYear, 12, 31); ++d) {
    const auto [y, m, dd] = civilFromDays(d);
    if (y > kLastYear) break;
    if (!years_.test(static_cast<size_t>(y - kFirstYear))) {
      d = daysFromCivil(y + 1, 1, 1) - 1;  // skip the year
      continue;
    }
    if (!months_.test(static_cast<size_t>(m))) {
      d = (m == 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, static_cast<unsigned>(m + 1), 1)) - 1;  // skip the month
      continue;
    }
    int weekday = static_cast<int>(((d % 7) + 7 + 4) % 7) + 1;  // 1970-01-01 was a Thursday (5)
    if (!matchesDay(y, m, dd, weekday)) continue;
    int from = d == day ? startMinuteOfDay : 0;
    for (int minuteOfDay = from; minuteOfDay < 1440; ++minuteOfDay) {
      if (hours_.test(static_cast<size_t>(minuteOfDay / 60)) && minutes_.test(static_cast<size_t>(minuteOfDay % 60)))
        return d * 86400 + minuteOfDay * 60;
    }
  }
  return -1;
}

}  // namespace cdnlab::lambda

// Header helpers and HTTP-date parsing for the pure cache (see http_types.h).
#include "edge/cache/http_types.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace cdnlab::edge::cache {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::optional<std::string_view> findHeader(const Headers& headers, std::string_view name) {
  for (const Header& h : headers)
    if (equalsIgnoreCase(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

std::string joinedHeader(const Headers& headers, std::string_view name) {
  std::string out;
  for (const Header& h : headers) {
    if (!equalsIgnoreCase(h.name, name)) continue;
    if (!out.empty()) out += ", ";
    out += h.value;
  }
  return out;
}

bool hasHeader(const Headers& headers, std::string_view name) {
  return findHeader(headers, name).has_value();
}

void removeHeader(Headers& headers, std::string_view name) {
  auto& f = headers.fields();
  std::erase_if(f, [&](const Header& h) { return equalsIgnoreCase(h.name, name); });
}

void setHeader(Headers& headers, std::string_view name, std::string_view value) {
  auto& f = headers.fields();
  for (size_t i = 0; i < f.size(); ++i) {
    if (!equalsIgnoreCase(f[i].name, name)) continue;
    f[i].value = std::string(value);
    for (size_t j = f.size(); j-- > i + 1;)
      if (equalsIgnoreCase(f[j].name, name)) f.erase(f.begin() + long(j));
    return;
  }
  f.push_back(Header{std::string(name), std::string(value)});
}

namespace {

int monthIndex(std::string_view m) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i)
    if (m == kMonths[i]) return i;
  return -1;
}

bool digits(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool parseTime(std::string_view s, int& h, int& m, int& sec) {
  return s.size() == 8 && s[2] == ':' && s[5] == ':' && digits(s.substr(0, 2), h) &&
         digits(s.substr(3, 2), m) && digits(s.substr(6, 2), sec) && h < 24 && m < 60 && sec < 61;
}

std::vector<std::string_view> splitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<int64_t> toEpoch(int year, int mon, int day, int h, int m, int s) {
  if (mon < 0 || day < 1 || day > 31 || year < 1900) return std::nullopt;
  struct tm t {};
  t.tm_year = year - 1900;
  t.tm_mon = mon;
  t.tm_mday = day;
  t.tm_hour = h;
  t.tm_min = m;
  t.tm_sec = s > 59 ? 59 : s;
  return int64_t(timegm(&t));
}

}  // namespace

std::optional<int64_t> parseHttpDate(std::string_view text) {
  auto p = splitSpaces(text);
  int day, year, h, m, s;
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  if (p.size() == 6 && p[0].size() == 4 && p[0][3] == ',' && p[5] == "GMT") {
    if (!digits(p[1], day) || !digits(p[3], year) || p[3].size() != 4 || !parseTime(p[4], h, m, s))
      return std::nullopt;
    return toEpoch(year, monthIndex(p[2]), day, h, m, s);
  }
  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit year: RFC 9110 5.6.7 50-year rule,
  // simplified to 19xx for >= 70)
  if (p.size() == 4 && p[0].size() > 1 && p[0].back() == ',' && p[3] == "GMT" &&
      p[1].size() == 9 && p[1][2] == '-' && p[1][6] == '-') {
    if (!digits(p[1].substr(0, 2), day) || !digits(p[1].substr(7, 2), year) ||
        !parseTime(p[2], h, m, s))
      return std::nullopt;
    year += year >= 70 ? 1900 : 2000;
    return toEpoch(year, monthIndex(p[1].substr(3, 3)), day, h, m, s);
  }
  // asctime: "Sun Nov  6 08:49:37 1994"
  if (p.size() == 5 && p[0].size() == 3) {
    if (!digits(p[2], day) || !parseTime(p[3], h, m, s) || !digits(p[4], year)) return std::nullopt;
    return toEpoch(year, monthIndex(p[1]), day, h, m, s);
  }
  return std::nullopt;
}

std::string formatHttpDate(int64_t unixSeconds) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = time_t(unixSeconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[40];
  snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
           kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace cdnlab::edge::cache

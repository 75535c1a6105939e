// Headers, reason phrases and HTTP dates (see message.h).
#include "common/http/message.h"

#include <cstdio>
#include <cstring>

namespace cdnlab::http {

namespace {
inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!isTokenChar(c)) return false;
  return true;
}

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool listHasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = trimOws(value.substr(0, comma));
    if (equalsIgnoreCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const Header& h : fields_)
    if (equalsIgnoreCase(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

std::string Headers::getAll(std::string_view name) const {
  std::string out;
  for (const Header& h : fields_) {
    if (!equalsIgnoreCase(h.name, name)) continue;
    if (!out.empty()) out += ", ";
    out += h.value;
  }
  return out;
}

void Headers::set(std::string_view name, std::string_view value) {
  bool placed = false;
  for (size_t i = 0; i < fields_.size();) {
    if (equalsIgnoreCase(fields_[i].name, name)) {
      if (!placed) {
        fields_[i].value.assign(value);
        placed = true;
        ++i;
      } else {
        fields_.erase(fields_.begin() + static_cast<long>(i));
      }
    } else {
      ++i;
    }
  }
  if (!placed) add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
  fields_.push_back(Header{std::string(name), std::string(value)});
}

size_t Headers::remove(std::string_view name) {
  size_t before = fields_.size();
  std::erase_if(fields_, [&](const Header& h) { return equalsIgnoreCase(h.name, name); });
  return before - fields_.size();
}

void Request::clear() {
  method.clear();
  target.clear();
  path.clear();
  query.clear();
  httpMinor = 1;
  headers.clear();
  body.clear();
  keepAlive = true;
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

namespace {
const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
const char* const kLongDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool parseInt(std::string_view& s, size_t digits, int& out) {
  if (s.size() < digits) return false;
  int v = 0;
  for (size_t i = 0; i < digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  s.remove_prefix(digits);
  return true;
}

// Day and month names and "GMT" are matched in any letter case: RFC 9110 5.6.7 asks recipients
// to be robust in parsing timestamps, and origins do send "SUN, 06 NOV 1994 ...".
bool expect(std::string_view& s, std::string_view lit) {
  if (!equalsIgnoreCase(s.substr(0, lit.size()), lit)) return false;
  s.remove_prefix(lit.size());
  return true;
}

bool parseMonth(std::string_view& s, int& mon) {
  for (int i = 0; i < 12; ++i) {
    if (equalsIgnoreCase(s.substr(0, 3), kMonths[i])) {
      mon = i;
      s.remove_prefix(3);
      return true;
    }
  }
  return false;
}

bool parseTime(std::string_view& s, int& h, int& m, int& sec) {
  return parseInt(s, 2, h) && expect(s, ":") && parseInt(s, 2, m) && expect(s, ":") && parseInt(s, 2, sec);
}

std::optional<time_t> build(int year, int mon, int day, int h, int m, int s) {
  if (day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return std::nullopt;
  tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = mon;
  t.tm_mday = day;
  t.tm_hour = h;
  t.tm_min = m;
  t.tm_sec = s;
  return timegm(&t);
}
}  // namespace

size_t formatHttpDate(time_t t, char out[29]) {
  tm g;
  gmtime_r(&t, &g);
  char buf[40];
  snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[g.tm_wday], g.tm_mday, kMonths[g.tm_mon],
           (g.tm_year + 1900) % 10000, g.tm_hour, g.tm_min, g.tm_sec);
  memcpy(out, buf, 29);
  return 29;
}

std::string httpDate(time_t t) {
  char buf[29];
  formatHttpDate(t, buf);
  return std::string(buf, 29);
}

std::optional<time_t> parseHttpDate(std::string_view in) {
  std::string_view s = trimOws(in);
  int day, mon, year, h, m, sec;
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  for (const char* d : kDays) {
    std::string_view t = s;
    if (expect(t, d) && expect(t, ", ")) {
      if (parseInt(t, 2, day) && expect(t, " ") && parseMonth(t, mon) && expect(t, " ") && parseInt(t, 4, year) &&
          expect(t, " ") && parseTime(t, h, m, sec) && equalsIgnoreCase(t, " GMT"))
        return build(year, mon, day, h, m, sec);
      return std::nullopt;
    }
  }
  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; two-digit years within 50 years (RFC 9110 5.6.7).
  for (const char* d : kLongDays) {
    std::string_view t = s;
    if (expect(t, d) && expect(t, ", ")) {
      if (parseInt(t, 2, day) && expect(t, "-") && parseMonth(t, mon) && expect(t, "-") && parseInt(t, 2, year) &&
          expect(t, " ") && parseTime(t, h, m, sec) && equalsIgnoreCase(t, " GMT")) {
        time_t now = time(nullptr);
        tm g;
        gmtime_r(&now, &g);
        int cur = g.tm_year + 1900;
        int full = cur - cur % 100 + year;
        if (full > cur + 50) full -= 100;
        return build(full, mon, day, h, m, sec);
      }
      return std::nullopt;
    }
  }
  // asctime: "Sun Nov  6 08:49:37 1994"
  for (const char* d : kDays) {
    std::string_view t = s;
    if (expect(t, d) && expect(t, " ")) {
      if (!parseMonth(t, mon) || !expect(t, " ")) return std::nullopt;
      if (!t.empty() && t[0] == ' ') {
        t.remove_prefix(1);
        if (!parseInt(t, 1, day)) return std::nullopt;
      } else if (!parseInt(t, 2, day)) {
        return std::nullopt;
      }
      if (expect(t, " ") && parseTime(t, h, m, sec) && expect(t, " ") && parseInt(t, 4, year) && t.empty())
        return build(year, mon, day, h, m, sec);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool isIdempotentMethod(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE" || m == "PUT" || m == "DELETE";
}

}  // namespace cdnlab::http

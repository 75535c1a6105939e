// Header helpers and HTTP dates for the pure cache (see http_types.h).
#include "edge/cache/http_types.h"

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

// One HTTP-date grammar for the whole product: common/http's parser and formatter.
std::optional<int64_t> parseHttpDate(std::string_view text) {
  auto t = http::parseHttpDate(text);
  if (!t) return std::nullopt;
  return int64_t(*t);
}

std::string formatHttpDate(int64_t unixSeconds) { return http::httpDate(time_t(unixSeconds)); }

}  // namespace cdnlab::edge::cache

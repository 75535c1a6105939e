// Cache key and forwarded fields under a behavior's policies (behavior_request.h).
#include "edge/pop/behavior_request.h"

#include <algorithm>

namespace cdnlab::edge::pop {

namespace {
bool alwaysForwarded(std::string_view name) {
  // Body framing, and the fields CloudFront handles for every behavior: byte ranges and
  // preconditions (a cacheable fill drops them again; a passed request keeps them).
  for (std::string_view f : {"User-Agent", "Content-Type", "Content-Encoding", "Range", "If-Range", "If-Match",
                             "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"})
    if (cache::equalsIgnoreCase(name, f)) return true;
  return false;
}
// Cookie names and values in the canonical key: spaces, controls, non-ASCII and '%' escaped, so
// no value can spell another " cookie:name=value" part (two requests, one key).
void appendEscaped(std::string& out, std::string_view v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : v) {
    if (c <= 0x20 || c >= 0x7f || c == '%') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
}
}  // namespace

std::string selectQuery(std::string_view query, const NameSelection& a, const NameSelection& b) {
  std::string out;
  if (a.selectsNothing() && b.selectsNothing()) return out;
  size_t i = 0;
  while (i <= query.size()) {
    size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view param = query.substr(i, amp - i);
    if (!param.empty()) {
      std::string_view name = param.substr(0, param.find('='));
      if (a.selects(name) || b.selects(name)) {
        if (!out.empty()) out += '&';
        out += param;
      }
    }
    i = amp + 1;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> requestCookies(const http::Headers& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& h : headers) {
    if (!cache::equalsIgnoreCase(h.name, "Cookie")) continue;
    std::string_view v = h.value;
    size_t i = 0;
    while (i <= v.size()) {
      size_t semi = v.find(';', i);
      if (semi == std::string_view::npos) semi = v.size();
      std::string_view pair = http::trimOws(v.substr(i, semi - i));
      size_t eq = pair.find('=');
      if (!pair.empty() && eq != 0 && eq != std::string_view::npos)
        out.emplace_back(std::string(http::trimOws(pair.substr(0, eq))), std::string(http::trimOws(pair.substr(eq + 1))));
      i = semi + 1;
    }
  }
  return out;
}

cache::CacheKey behaviorCacheKey(const Behavior& behavior, std::string_view host, std::string_view method,
                                 std::string_view path, std::string_view query, const http::Headers& headers) {
  const CachePolicy& p = behavior.cachePolicy;
  static const NameSelection kNone;
  std::string q = selectQuery(query, p.queryStrings, kNone);
  std::string target(path.empty() ? std::string_view("/") : path);
  if (!q.empty()) target += "?" + q;
  cache::CacheKeyConfig kc;
  if (p.headers.mode == NameSelection::Mode::Whitelist) kc.includeHeaders = p.headers.names;
  cache::RequestView view;
  view.method = method;
  view.scheme = "http";
  view.host = host;
  view.target = target;
  view.headers = &headers;
  cache::CacheKey key = cache::makeCacheKey(view, kc);
  if (p.cookies.selectsNothing()) return key;
  auto cookies = requestCookies(headers);
  std::stable_sort(cookies.begin(), cookies.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::string canonical = std::move(key.canonical);
  for (const auto& [name, value] : cookies) {
    if (!p.cookies.selects(name)) continue;
    canonical += " cookie:";
    appendEscaped(canonical, name);
    canonical += '=';
    appendEscaped(canonical, value);
  }
  return cache::cacheKeyFromCanonical(std::move(canonical));
}

void applyOriginRequestPolicy(const Behavior& behavior, http::Headers& headers) {
  const CachePolicy& key = behavior.cachePolicy;
  const OriginRequestPolicy& forward = behavior.originRequest;
  std::string cookie;
  for (const auto& [name, value] : requestCookies(headers)) {
    if (!key.cookies.selects(name) && !forward.cookies.selects(name)) continue;
    if (!cookie.empty()) cookie += "; ";
    cookie += name + "=" + value;
  }
  http::Headers out;
  out.reserve(headers.size());
  for (const auto& h : headers) {
    if (cache::equalsIgnoreCase(h.name, "Cookie")) continue;
    if (alwaysForwarded(h.name) || key.headers.selects(h.name) || forward.headers.selects(h.name)) out.add(h);
  }
  if (!cookie.empty()) out.add("Cookie", cookie);
  headers = std::move(out);
}

}  // namespace cdnlab::edge::pop

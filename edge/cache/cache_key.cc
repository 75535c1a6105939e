// Hash step: request -> canonical key string -> XXH3-64 (see cache_key.h for the format).
#include "edge/cache/cache_key.h"

#include <xxhash.h>

#include <algorithm>

namespace cdnlab::edge::cache {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c; }
bool isHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return lower(c) - 'a' + 10;
}
bool isUnreserved(unsigned char c) {  // RFC 3986 2.3
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// RFC 3986 6.2.2: upper-case percent-escapes, decode escaped unreserved characters; bytes that
// cannot appear in a URL are encoded so the canonical URL never holds a space (the separator).
void appendNormalizedComponent(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%' && i + 2 < s.size() && isHex(s[i + 1]) && isHex(s[i + 2])) {
      unsigned char d = static_cast<unsigned char>(hexVal(s[i + 1]) * 16 + hexVal(s[i + 2]));
      if (isUnreserved(d)) {
        out += char(d);
      } else {
        out += '%';
        out += upper(s[i + 1]);
        out += upper(s[i + 2]);
      }
      i += 2;
    } else if (c <= 0x20 || c >= 0x7f || c == '#') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += char(c);
    }
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view CacheKey::url() const {
  std::string_view c = canonical;
  size_t sp = c.find(' ');
  return sp == std::string_view::npos ? c : c.substr(0, sp);
}

std::string normalizeUrl(std::string_view scheme, std::string_view host, std::string_view target,
                         const CacheKeyConfig& config) {
  std::string out;
  out.reserve(scheme.size() + host.size() + target.size() + 4);
  for (char c : scheme) out += lower(c);
  out += "://";
  std::string h;
  for (char c : host) h += lower(c);
  // Default ports name the same origin (RFC 9110 4.2.3).
  if ((out == "http://" && h.ends_with(":80")) || (out == "https://" && h.ends_with(":443")))
    h.resize(h.rfind(':'));
  appendNormalizedComponent(out, h);

  std::string_view path = target, query;
  size_t q = target.find('?');
  bool hasQuery = q != std::string_view::npos;
  if (hasQuery) {
    path = target.substr(0, q);
    query = target.substr(q + 1);
  }
  size_t frag = path.find('#');  // a fragment is never part of the request (RFC 9110 4.2.5)
  if (frag != std::string_view::npos) path = path.substr(0, frag);
  if (path.empty() || path.front() != '/') out += '/';
  appendNormalizedComponent(out, path);
  if (hasQuery && !config.ignoreQuery) {
    size_t f = query.find('#');
    if (f != std::string_view::npos) query = query.substr(0, f);
    std::string qs;
    if (config.sortQuery) {
      std::vector<std::string_view> parts;
      size_t i = 0;
      while (i <= query.size()) {
        size_t amp = query.find('&', i);
        if (amp == std::string_view::npos) amp = query.size();
        if (amp > i) parts.push_back(query.substr(i, amp - i));
        i = amp + 1;
      }
      std::sort(parts.begin(), parts.end());
      for (size_t k = 0; k < parts.size(); ++k) {
        if (k) qs += '&';
        appendNormalizedComponent(qs, parts[k]);
      }
    } else {
      appendNormalizedComponent(qs, query);
    }
    out += '?';
    out += qs;
  }
  return out;
}

CacheKey cacheKeyFromCanonical(std::string canonical) {
  CacheKey k;
  k.hash = XXH3_64bits(canonical.data(), canonical.size());
  k.canonical = std::move(canonical);
  return k;
}

CacheKey makeCacheKey(const RequestView& request, const CacheKeyConfig& config) {
  std::string c = normalizeUrl(request.scheme, request.host, request.target, config);
  c += ' ';
  std::string_view m = request.method;
  if (m == "HEAD") m = "GET";
  for (char ch : m) c += upper(ch);
  for (const std::string& name : config.includeHeaders) {
    c += ' ';
    for (char ch : name) c += lower(ch);
    c += '=';
    if (request.headers) {
      std::string v = joinedHeader(*request.headers, name);
      appendNormalizedComponent(c, trim(v));
    }
  }
  return cacheKeyFromCanonical(std::move(c));
}

}  // namespace cdnlab::edge::cache

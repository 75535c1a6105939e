// Hash step: request -> canonical key string -> XXH3-64 (see cache_key.h for the format).
#include "edge/cache/cache_key.h"

#include "edge/cache/request_target.h"

#include <xxhash.h>

#include <algorithm>
#include <optional>

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

std::string_view canonicalUrl(std::string_view c) {
  size_t sp = c.find(' ');
  return sp == std::string_view::npos ? c : c.substr(0, sp);
}

std::string_view CacheKey::url() const { return canonicalUrl(canonical); }

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

  // The request path normalised the target at Recv already (and refused what cannot be); purge
  // URLs and other callers get the same normalisation here. A target that cannot be normalised
  // (only a caller other than the request path can pass one) is escaped byte by byte instead,
  // so it still yields a URL without spaces, matching no normalised request.
  std::string path;
  std::optional<std::string> query;
  auto normalized = normalizeTarget(target.empty() ? std::string_view("/") : target);
  if (normalized.ok()) {
    path = std::move(normalized->path);
    query = std::move(normalized->query);
  } else {
    size_t q = target.find('?');
    if (target.empty() || target.front() != '/') path += '/';
    appendNormalizedComponent(path, target.substr(0, q));
    if (q != std::string_view::npos) {
      query.emplace();
      appendNormalizedComponent(*query, target.substr(q + 1));
    }
  }
  out += path;
  if (query && !config.ignoreQuery) {
    std::string qs;
    if (config.sortQuery) {
      std::string_view all = *query;
      std::vector<std::string_view> parts;
      size_t i = 0;
      while (i <= all.size()) {
        size_t amp = all.find('&', i);
        if (amp == std::string_view::npos) amp = all.size();
        if (amp > i) parts.push_back(all.substr(i, amp - i));
        i = amp + 1;
      }
      std::sort(parts.begin(), parts.end());
      for (size_t k = 0; k < parts.size(); ++k) {
        if (k) qs += '&';
        qs += parts[k];
      }
    } else {
      qs = std::move(*query);
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

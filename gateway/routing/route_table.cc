// RouteTable: parse route keys, order them by specificity once, match by a linear scan (APIs have
// tens of routes; the scan compares segment views and allocates only for matched parameters).
#include "gateway/routing/route_table.h"

#include <algorithm>

#include "gateway/routing/path_segments.h"

namespace cdnlab::gateway {
namespace {

const char* const kMethods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY"};

bool validMethod(std::string_view m) {
  for (const char* k : kMethods)
    if (m == k) return true;
  return false;
}

int rank(RouteKey::SegmentKind k) { return k == RouteKey::SegmentKind::Literal ? 0 : k == RouteKey::SegmentKind::Param ? 1 : 2; }

// True when a is more specific than b (a sorts first).
bool moreSpecific(const RouteKey& a, const RouteKey& b) {
  if (a.isDefault != b.isDefault) return b.isDefault;
  size_t n = std::min(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i) {
    int ra = rank(a.segments[i].kind), rb = rank(b.segments[i].kind);
    if (ra != rb) return ra < rb;
  }
  if (a.segments.size() != b.segments.size()) return a.segments.size() > b.segments.size();
  bool aAny = a.method == "ANY", bAny = b.method == "ANY";
  if (aAny != bAny) return bAny;
  return false;
}

// Same method and same path shape (parameter names do not count): API Gateway refuses these.
bool sameShape(const RouteKey& a, const RouteKey& b) {
  if (a.isDefault || b.isDefault) return a.isDefault && b.isDefault;
  if (a.method != b.method || a.segments.size() != b.segments.size()) return false;
  for (size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].kind != b.segments[i].kind) return false;
    if (a.segments[i].kind == RouteKey::SegmentKind::Literal && a.segments[i].text != b.segments[i].text) return false;
  }
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int h = hexValue(s[i + 1]), l = hexValue(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out.push_back(static_cast<char>(h * 16 + l));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

Result<RouteKey> parseRouteKey(std::string_view key) {
  RouteKey rk;
  rk.text = std::string(key);
  if (key == "$default") {
    rk.isDefault = true;
    return rk;
  }
  size_t sp = key.find(' ');
  if (sp == std::string_view::npos || sp == 0)
    return Error{400, "Invalid route key " + rk.text + ": expected \"METHOD /path\" or \"$default\""};
  std::string_view method = key.substr(0, sp), path = key.substr(sp + 1);
  if (!validMethod(method))
    return Error{400, "Invalid route key " + rk.text + ": unknown method " + std::string(method)};
  if (path.empty() || path[0] != '/')
    return Error{400, "Invalid route key " + rk.text + ": the path must start with /"};
  if (path.find_first_of(" ?#\t") != std::string_view::npos)
    return Error{400, "Invalid route key " + rk.text + ": the path holds a space, ? or #"};
  rk.method = std::string(method);
  std::vector<std::string_view> segs;
  splitPath(path, segs);
  for (size_t i = 0; i < segs.size(); ++i) {
    std::string_view s = segs[i];
    if (s.empty()) {
      if (i + 1 == segs.size()) break;  // "/items/" is "/items"
      return Error{400, "Invalid route key " + rk.text + ": empty path segment"};
    }
    if (s.front() == '{') {
      if (s.back() != '}' || s.size() < 3)
        return Error{400, "Invalid route key " + rk.text + ": unterminated path variable " + std::string(s)};
      std::string_view name = s.substr(1, s.size() - 2);
      bool greedy = !name.empty() && name.back() == '+';
      if (greedy) name.remove_suffix(1);
      if (name.empty() || name.find_first_of("{}+/") != std::string_view::npos)
        return Error{400, "Invalid route key " + rk.text + ": bad path variable " + std::string(s)};
      if (greedy && i + 1 != segs.size())
        return Error{400, "Invalid route key " + rk.text + ": a greedy path variable must be the last segment"};
      for (const auto& prev : rk.segments)
        if (prev.kind != RouteKey::SegmentKind::Literal && prev.text == name)
          return Error{400, "Invalid route key " + rk.text + ": path variable " + std::string(name) + " appears twice"};
      rk.segments.push_back({greedy ? RouteKey::SegmentKind::Greedy : RouteKey::SegmentKind::Param, std::string(name)});
    } else {
      if (s.find_first_of("{}") != std::string_view::npos)
        return Error{400, "Invalid route key " + rk.text + ": a path variable must be a whole segment"};
      rk.segments.push_back({RouteKey::SegmentKind::Literal, std::string(s)});
    }
  }
  return rk;
}

Result<RouteTable> RouteTable::build(const std::vector<std::string>& keys) {
  RouteTable t;
  t.routes_.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    auto k = parseRouteKey(keys[i]);
    if (!k) return k.error();
    for (const auto& e : t.routes_)
      if (sameShape(e.key, *k))
        return Error{409, "Route " + k->text + " conflicts with route " + e.key.text};
    t.routes_.push_back({std::move(*k), static_cast<int>(i)});
  }
  std::stable_sort(t.routes_.begin(), t.routes_.end(),
                   [](const Entry& a, const Entry& b) { return moreSpecific(a.key, b.key); });
  return t;
}

RouteMatch RouteTable::match(std::string_view method, std::string_view path) const {
  RouteMatch m;
  std::vector<std::string_view> segs;
  splitPath(path, segs);
  if (!segs.empty() && segs.back().empty()) segs.pop_back();  // "/items/" matches "/items"
  for (const auto& e : routes_) {
    const RouteKey& k = e.key;
    if (k.isDefault) {
      m.index = e.index;
      m.pathParameters.clear();
      return m;
    }
    if (k.method != "ANY" && k.method != method) continue;
    bool greedy = !k.segments.empty() && k.segments.back().kind == RouteKey::SegmentKind::Greedy;
    size_t fixed = greedy ? k.segments.size() - 1 : k.segments.size();
    if (greedy ? segs.size() <= fixed : segs.size() != fixed) continue;
    bool ok = true;
    for (size_t i = 0; i < fixed && ok; ++i)
      if (k.segments[i].kind == RouteKey::SegmentKind::Literal && k.segments[i].text != segs[i]) ok = false;
    if (!ok) continue;
    m.index = e.index;
    for (size_t i = 0; i < fixed; ++i)
      if (k.segments[i].kind == RouteKey::SegmentKind::Param)
        m.pathParameters.emplace_back(k.segments[i].text, percentDecode(segs[i]));
    if (greedy) {
      // The rest of the path after the fixed segments, as one value ("a/b/c").
      size_t pos = 0;
      for (size_t i = 0; i < fixed; ++i) pos += 1 + segs[i].size();
      std::string_view rest = path.substr(std::min(pos + 1, path.size()));
      if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
      m.pathParameters.emplace_back(k.segments.back().text, percentDecode(rest));
    }
    return m;
  }
  return m;
}

}  // namespace cdnlab::gateway

// RouteTable: HTTP API (v2) route selection, pure (no libuv, no sockets). A route key is
// "METHOD /path" with literal segments, {param} segments and a greedy {proxy+} as the last
// segment, METHOD may be ANY; "$default" catches what nothing else matches. Precedence follows
// API Gateway's rule "most specific match first": segment by segment a literal beats {param},
// {param} beats {proxy+}; for the same path a named method beats ANY; $default comes last.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace cdnlab::gateway {

// One parsed route key.
struct RouteKey {
  enum class SegmentKind : uint8_t { Literal, Param, Greedy };
  struct Segment {
    SegmentKind kind;
    std::string text;  // the literal, or the parameter name (without braces and '+')
  };
  std::string method;  // "GET", ..., "ANY"; empty for $default
  bool isDefault = false;
  std::vector<Segment> segments;
  std::string text;    // as written, e.g. "GET /items/{id}"
};

// Parses "GET /items/{id}" / "ANY /{proxy+}" / "$default". Errors say what is wrong with the key
// (BadRequestException wording of API Gateway where it has one).
Result<RouteKey> parseRouteKey(std::string_view key);

struct RouteMatch {
  int index = -1;  // into the routes given to build(); -1: no route
  std::vector<std::pair<std::string, std::string>> pathParameters;  // decoded values
};

class RouteTable {
 public:
  // Keys in any order; duplicates (same method and same path shape) are refused with the
  // conflicting pair named. On success, index i of the result refers to keys[i].
  static Result<RouteTable> build(const std::vector<std::string>& keys);
  // `path` is the request path after the stage prefix, still percent-encoded ("/items/a%20b").
  RouteMatch match(std::string_view method, std::string_view path) const;
  size_t size() const { return routes_.size(); }

 private:
  struct Entry {
    RouteKey key;
    int index;
  };
  std::vector<Entry> routes_;  // sorted most specific first; $default (if any) last
};

// Percent-decodes one path segment ("a%20b" -> "a b"); invalid escapes stay as written.
std::string percentDecode(std::string_view s);

}  // namespace cdnlab::gateway

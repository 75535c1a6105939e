// The values a mapping template computes with: Velocity's Java objects reduced to what API
// Gateway's templates meet (null, booleans, numbers, strings, lists and insertion-ordered maps).
// Lists and maps are shared by reference, as Java's are, so `$list.add(x)` and
// `#set($map.key = v)` change the object every variable that holds it sees.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"

namespace cdnlab::gateway::vtl {

struct Value;
using List = std::vector<Value>;
struct Map {
  std::vector<std::pair<std::string, Value>> entries;  // insertion order, as a LinkedHashMap
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  void put(std::string key, Value v);
};

struct Value {
  using Storage = std::variant<std::monostate, bool, int64_t, double, std::string, std::shared_ptr<List>,
                               std::shared_ptr<Map>>;
  Storage v;

  Value() = default;
  Value(bool b) : v(b) {}
  Value(int64_t i) : v(i) {}
  Value(int i) : v(int64_t{i}) {}
  Value(double d) : v(d) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(const char* s) : v(std::string(s)) {}
  Value(std::shared_ptr<List> l) : v(std::move(l)) {}
  Value(std::shared_ptr<Map> m) : v(std::move(m)) {}

  static Value list() { return Value(std::make_shared<List>()); }
  static Value map() { return Value(std::make_shared<Map>()); }

  bool isNull() const { return v.index() == 0; }
  bool isBool() const { return v.index() == 1; }
  bool isInt() const { return v.index() == 2; }
  bool isDouble() const { return v.index() == 3; }
  bool isNumber() const { return isInt() || isDouble(); }
  bool isString() const { return v.index() == 4; }
  bool isList() const { return v.index() == 5; }
  bool isMap() const { return v.index() == 6; }
  bool asBool() const { return std::get<1>(v); }
  int64_t asInt() const { return std::get<2>(v); }
  double asNumber() const { return isInt() ? static_cast<double>(asInt()) : std::get<3>(v); }
  const std::string& asString() const { return std::get<4>(v); }
  List& asList() const { return *std::get<5>(v); }
  Map& asMap() const { return *std::get<6>(v); }
};

// Lists and maps are reference-counted, so a template that stores a container into itself or
// into one it holds (`$l.add($l)`) makes a cycle that would never be freed. Clears the contents
// of containers that a cycle reachable from `roots` passes through (one per cycle: the target of
// each back edge of a depth-first walk), so every cycle is broken and nothing else is touched.
// The renderer calls it at the end of a render with every container a value was stored into.
void breakCycles(const std::vector<Value>& roots);

// Velocity's truth: null and false are false, everything else (even "" and 0) is true.
bool truthy(const Value& v);
// What `$x` writes into the output: Java's toString (maps as {k=v, k2=v2}, lists as [a, b],
// doubles as Java prints them: 1.0, 2.5, 1.0E10).
std::string toText(const Value& v);
// Velocity's == : numbers by value, otherwise both sides' text when the types differ.
bool looseEquals(const Value& a, const Value& b);
// JSON text of a value (what $input.json gives).
std::string toJson(const Value& v);
// JSON text as a template value; nesting deeper than maxDepth is refused, not recursed into.
Result<Value> parseJsonValue(std::string_view text, int maxDepth = 100);

}  // namespace cdnlab::gateway::vtl

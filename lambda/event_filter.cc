// Event filter patterns: checked once when a mapping is written, then interpreted per record
// (see event_filter.h for the syntax).
#include "lambda/event_filter.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "lambda/json.h"

namespace cdnlab::lambda {

namespace {

using rapidjson::Value;

constexpr int kMaxDepth = 32;

Error bad(const std::string& where, const std::string& what) { return Error{1, where + ": " + what}; }

bool isOp(const Value& v, bool* equals) {
  if (!v.IsString()) return false;
  std::string_view op(v.GetString(), v.GetStringLength());
  *equals = op == "=";
  return op == "=" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

Result<bool> checkString(const Value& v, const std::string& where) {
  if (!v.IsString()) return bad(where, "must be a string");
  return true;
}

// {"prefix": "x"} or {"prefix": {"equals-ignore-case": "x"}} (suffix alike).
Result<bool> checkAffix(const Value& v, const std::string& where) {
  if (v.IsObject()) {
    if (v.MemberCount() != 1 || !v.HasMember("equals-ignore-case"))
      return bad(where, "must be a string or {\"equals-ignore-case\": string}");
    return checkString(v["equals-ignore-case"], where + ".equals-ignore-case");
  }
  return checkString(v, where);
}

Result<bool> checkMatcher(const Value& m, const std::string& where) {
  if (m.IsString() || m.IsNumber() || m.IsBool() || m.IsNull()) return true;
  if (!m.IsObject()) return bad(where, "a matcher is a string, number, boolean, null or an operator object");
  if (m.MemberCount() != 1) return bad(where, "an operator object has exactly one operator");
  const auto& op = *m.MemberBegin();
  std::string name(op.name.GetString(), op.name.GetStringLength());
  const Value& arg = op.value;
  std::string at = where + "." + name;
  if (name == "prefix" || name == "suffix") return checkAffix(arg, at);
  if (name == "equals-ignore-case") return checkString(arg, at);
  if (name == "exists") {
    if (!arg.IsBool()) return bad(at, "must be true or false");
    return true;
  }
  if (name == "numeric") {
    if (!arg.IsArray() || (arg.Size() != 2 && arg.Size() != 4))
      return bad(at, "must be [op, number] or [op, number, op, number] with op one of = < <= > >=");
    bool eq0 = false, eq1 = false;
    if (!isOp(arg[0], &eq0) || !arg[1].IsNumber()) return bad(at, "must start with an operator (= < <= > >=) and a number");
    if (arg.Size() == 4) {
      if (!isOp(arg[2], &eq1) || !arg[3].IsNumber()) return bad(at, "second comparison must be an operator and a number");
      if (eq0 || eq1) return bad(at, "\"=\" cannot be combined with another comparison");
      std::string_view a(arg[0].GetString()), b(arg[2].GetString());
      if (a[0] == b[0]) return bad(at, "a range needs one lower (> >=) and one upper (< <=) bound");
      double lo = a[0] == '>' ? arg[1].GetDouble() : arg[3].GetDouble();
      double hi = a[0] == '>' ? arg[3].GetDouble() : arg[1].GetDouble();
      if (lo > hi) return bad(at, "the lower bound is above the upper bound");
    }
    return true;
  }
  if (name == "anything-but") {
    if (arg.IsString() || arg.IsNumber()) return true;
    if (arg.IsArray()) {
      if (arg.Empty()) return bad(at, "must not be empty");
      for (const auto& x : arg.GetArray())
        if (!x.IsString() && !x.IsNumber()) return bad(at, "lists only strings and numbers");
      return true;
    }
    if (arg.IsObject() && arg.MemberCount() == 1) {
      const auto& inner = *arg.MemberBegin();
      std::string iname(inner.name.GetString(), inner.name.GetStringLength());
      if (iname == "prefix" || iname == "suffix") return checkString(inner.value, at + "." + iname);
      if (iname == "equals-ignore-case") {
        if (inner.value.IsString()) return true;
        if (inner.value.IsArray() && !inner.value.Empty()) {
          for (const auto& x : inner.value.GetArray())
            if (!x.IsString()) return bad(at + ".equals-ignore-case", "lists only strings");
          return true;
        }
        return bad(at + ".equals-ignore-case", "must be a string or a list of strings");
      }
    }
    return bad(at, "must be a value, a list of values, or {prefix|suffix|equals-ignore-case: ...}");
  }
  return bad(at, "unsupported operator (Lambda supports prefix, suffix, equals-ignore-case, anything-but, numeric, exists)");
}

Result<bool> checkObject(const Value& obj, const std::string& where, int depth) {
  if (depth > kMaxDepth) return bad(where, "nested too deeply");
  if (!obj.IsObject()) return bad(where, "must be a JSON object");
  for (const auto& m : obj.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    std::string at = where + "." + key;
    if (key == "$or") {
      if (!m.value.IsArray() || m.value.Size() < 2) return bad(at, "must list at least two patterns");
      size_t i = 0;
      for (const auto& sub : m.value.GetArray()) {
        if (auto r = checkObject(sub, at + "[" + std::to_string(i++) + "]", depth + 1); !r) return r;
      }
    } else if (m.value.IsObject()) {
      if (auto r = checkObject(m.value, at, depth + 1); !r) return r;
    } else if (m.value.IsArray()) {
      size_t i = 0;
      for (const auto& x : m.value.GetArray()) {
        if (auto r = checkMatcher(x, at + "[" + std::to_string(i++) + "]"); !r) return r;
      }
    } else {
      return bad(at, "must be an object (a nested field) or an array of matchers");
    }
  }
  return true;
}

bool lowerEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view str(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

bool hasPrefix(std::string_view s, std::string_view p, bool ignoreCase) {
  return s.size() >= p.size() && (ignoreCase ? lowerEquals(s.substr(0, p.size()), p) : s.substr(0, p.size()) == p);
}
bool hasSuffix(std::string_view s, std::string_view p, bool ignoreCase) {
  return s.size() >= p.size() &&
         (ignoreCase ? lowerEquals(s.substr(s.size() - p.size()), p) : s.substr(s.size() - p.size()) == p);
}

// A number from the event: a JSON number, or under a DynamoDB "N" key the decimal string
// DynamoDB JSON uses for numbers.
bool numberOf(const Value& v, bool dynamoNumber, double* out) {
  if (v.IsNumber()) {
    *out = v.GetDouble();
    return true;
  }
  if (!dynamoNumber || !v.IsString() || v.GetStringLength() == 0 || v.GetStringLength() > 64) return false;
  std::string s(v.GetString(), v.GetStringLength());
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(d)) return false;
  *out = d;
  return true;
}

bool compare(std::string_view op, double a, double b) {
  if (op == "=") return a == b;
  if (op == "<") return a < b;
  if (op == "<=") return a <= b;
  if (op == ">") return a > b;
  return a >= b;
}

bool equalsScalar(const Value& m, const Value& ev, bool dynamoNumber) {
  if (m.IsString()) return ev.IsString() && str(ev) == str(m);
  if (m.IsNumber()) {
    double d;
    return numberOf(ev, dynamoNumber, &d) && d == m.GetDouble();
  }
  if (m.IsBool()) return ev.IsBool() && ev.GetBool() == m.GetBool();
  return false;
}

// One matcher against one present, non-array event value.
bool matchOne(const Value& m, const Value& ev, bool dynamoNumber) {
  if (m.IsNull()) return ev.IsNull();
  if (!m.IsObject()) return equalsScalar(m, ev, dynamoNumber);
  const auto& op = *m.MemberBegin();
  std::string_view name = str(op.name);
  const Value& arg = op.value;
  if (name == "exists") return arg.GetBool() && !ev.IsObject();
  if (name == "prefix" || name == "suffix") {
    if (!ev.IsString()) return false;
    bool ic = arg.IsObject();
    std::string_view want = str(ic ? arg["equals-ignore-case"] : arg);
    return name == "prefix" ? hasPrefix(str(ev), want, ic) : hasSuffix(str(ev), want, ic);
  }
  if (name == "equals-ignore-case") return ev.IsString() && lowerEquals(str(ev), str(arg));
  if (name == "numeric") {
    double d;
    if (!numberOf(ev, dynamoNumber, &d)) return false;
    for (rapidjson::SizeType i = 0; i + 1 < arg.Size(); i += 2)
      if (!compare(str(arg[i]), d, arg[i + 1].GetDouble())) return false;
    return true;
  }
  // anything-but: the field is there, a string or number, and none of the values.
  if (!ev.IsString() && !ev.IsNumber()) return false;
  if (arg.IsArray()) {
    for (const auto& x : arg.GetArray())
      if (equalsScalar(x, ev, dynamoNumber)) return false;
    return true;
  }
  if (arg.IsObject()) {
    const auto& inner = *arg.MemberBegin();
    std::string_view iname = str(inner.name);
    if (!ev.IsString()) return true;
    if (iname == "prefix") return !hasPrefix(str(ev), str(inner.value), false);
    if (iname == "suffix") return !hasSuffix(str(ev), str(inner.value), false);
    if (inner.value.IsString()) return !lowerEquals(str(ev), str(inner.value));
    for (const auto& x : inner.value.GetArray())
      if (lowerEquals(str(ev), str(x))) return false;
    return true;
  }
  return !equalsScalar(arg, ev, dynamoNumber);
}

// The matchers of one leaf against the event's value there (nullptr: the field is missing).
bool matchLeaf(const Value& matchers, const Value* ev, bool dynamoNumber) {
  // [] is how some tools (CDK's FilterRule.null()) spell "the field is null".
  if (matchers.Empty()) return ev && ev->IsNull();
  for (const auto& m : matchers.GetArray()) {
    if (m.IsObject() && m.HasMember("exists")) {
      if ((ev != nullptr) == m["exists"].GetBool() && (!ev || !ev->IsObject())) return true;
      continue;
    }
    if (!ev) continue;
    if (ev->IsArray()) {
      for (const auto& x : ev->GetArray())
        if (!x.IsArray() && matchOne(m, x, dynamoNumber)) return true;
    } else if (matchOne(m, *ev, dynamoNumber)) {
      return true;
    }
  }
  return false;
}

bool matchObject(const Value& pattern, const Value* ev) {
  // An array of objects in the event matches when one of its elements does.
  if (ev && ev->IsArray()) {
    for (const auto& x : ev->GetArray())
      if (matchObject(pattern, &x)) return true;
    return false;
  }
  for (const auto& m : pattern.GetObject()) {
    std::string_view key = str(m.name);
    if (key == "$or") {
      bool any = false;
      for (const auto& sub : m.value.GetArray())
        if ((any = matchObject(sub, ev))) break;
      if (!any) return false;
      continue;
    }
    const Value* child = nullptr;
    if (ev && ev->IsObject()) {
      auto it = ev->FindMember(m.name);
      if (it != ev->MemberEnd()) child = &it->value;
    }
    bool ok = m.value.IsObject() ? matchObject(m.value, child) : matchLeaf(m.value, child, key == "N");
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<EventFilter> EventFilter::parse(std::string_view pattern) {
  auto doc = std::make_shared<rapidjson::Document>();
  // Iterative: the pattern comes from a client; checkObject below bounds the depth it walks.
  doc->Parse<rapidjson::kParseIterativeFlag>(pattern.data(), pattern.size());
  if (doc->HasParseError()) return Error{1, "$: not valid JSON"};
  if (auto r = checkObject(*doc, "$", 0); !r) return r.error();
  EventFilter f;
  f.text_ = std::string(pattern);
  f.pattern_ = std::move(doc);
  return f;
}

bool EventFilter::matches(const rapidjson::Value& record) const { return matchObject(*pattern_, &record); }

Result<bool> FilterCriteria::add(std::string_view pattern) {
  if (filters_.size() >= kMaxFilters)
    return Error{1, "at most " + std::to_string(kMaxFilters) + " filters per event source mapping"};
  if (pattern.size() > kMaxPatternBytes)
    return Error{1, "a pattern is at most " + std::to_string(kMaxPatternBytes) + " characters"};
  auto f = EventFilter::parse(pattern);
  if (!f) return f.error();
  filters_.push_back(std::move(*f));
  return true;
}

bool FilterCriteria::matches(const rapidjson::Value& record) const {
  if (filters_.empty()) return true;
  for (const auto& f : filters_)
    if (f.matches(record)) return true;
  return false;
}

}  // namespace cdnlab::lambda

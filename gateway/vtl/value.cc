// Template values: truth, text, equality and JSON (see value.h).
#include "gateway/vtl/value.h"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <unordered_map>
#include <cstdint>

namespace cdnlab::gateway::vtl {

const Value* Map::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k == key) return &v;
  return nullptr;
}

Value* Map::find(std::string_view key) {
  for (auto& [k, v] : entries)
    if (k == key) return &v;
  return nullptr;
}

void Map::put(std::string key, Value v) {
  if (Value* old = find(key)) {
    *old = std::move(v);
    return;
  }
  entries.emplace_back(std::move(key), std::move(v));
}

bool truthy(const Value& v) {
  if (v.isNull()) return false;
  if (v.isBool()) return v.asBool();
  return true;
}

namespace {

// Java's Double.toString: plain decimal with at least one fraction digit for 1e-3 <= |d| < 1e7,
// otherwise d.dddE<exp>; the digits are the shortest that read back as the same double.
std::string javaDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);  // e.g. "-1.2345e+03"
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp = 0;  // to_chars wrote it: a sign and digits
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+'), sci.data() + sci.size(), exp);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  double a = std::fabs(d);
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      std::string intPart = digits.substr(0, std::min<size_t>(digits.size(), exp + 1));
      while (static_cast<int>(intPart.size()) < exp + 1) intPart += '0';
      std::string frac = digits.size() > static_cast<size_t>(exp + 1) ? digits.substr(exp + 1) : "0";
      out += intPart + "." + frac;
    } else {
      out += "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    }
    return out;
  }
  out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" + std::to_string(exp);
  return out;
}

// Self-referencing values ($l.add($l)) and deep ones stop at these bounds instead of recursing on.
constexpr int kMaxDepth = 100;
constexpr size_t kMaxText = 16u << 20;

void writeJson(rapidjson::Writer<rapidjson::StringBuffer>& w, const rapidjson::StringBuffer& b, const Value& v,
               int depth) {
  if (depth > kMaxDepth || b.GetSize() > kMaxText) {
    w.Null();
  } else if (v.isNull()) {
    w.Null();
  } else if (v.isBool()) {
    w.Bool(v.asBool());
  } else if (v.isInt()) {
    w.Int64(v.asInt());
  } else if (v.isDouble()) {
    std::string t = javaDouble(v.asNumber());
    if (!std::isfinite(v.asNumber())) {
      w.Null();
    } else {
      w.RawValue(t.data(), t.size(), rapidjson::kNumberType);
    }
  } else if (v.isString()) {
    w.String(v.asString().data(), static_cast<rapidjson::SizeType>(v.asString().size()));
  } else if (v.isList()) {
    w.StartArray();
    for (const auto& e : v.asList()) writeJson(w, b, e, depth + 1);
    w.EndArray();
  } else {
    w.StartObject();
    for (const auto& [k, e] : v.asMap().entries) {
      w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      writeJson(w, b, e, depth + 1);
    }
    w.EndObject();
  }
}


void appendText(std::string& out, const Value& v, int depth) {
  if (depth > kMaxDepth || out.size() > kMaxText) {
    out += "...";
  } else if (v.isNull()) {
    out += depth == 0 ? "" : "null";
  } else if (v.isBool()) {
    out += v.asBool() ? "true" : "false";
  } else if (v.isInt()) {
    out += std::to_string(v.asInt());
  } else if (v.isDouble()) {
    out += javaDouble(v.asNumber());
  } else if (v.isString()) {
    out += v.asString();
  } else if (v.isList()) {
    out += '[';
    bool first = true;
    for (const auto& e : v.asList()) {
      if (!first) out += ", ";
      first = false;
      appendText(out, e, depth + 1);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (const auto& [k, e] : v.asMap().entries) {
      if (!first) out += ", ";
      first = false;
      out += k;
      out += '=';
      appendText(out, e, depth + 1);
    }
    out += '}';
  }
}

}  // namespace

std::string toText(const Value& v) {
  std::string out;
  appendText(out, v, 0);
  return out;
}

bool looseEquals(const Value& a, const Value& b) {
  if (a.isNumber() && b.isNumber()) {
    if (a.isInt() && b.isInt()) return a.asInt() == b.asInt();
    return a.asNumber() == b.asNumber();
  }
  if (a.isNull() || b.isNull()) return a.isNull() && b.isNull();
  if (a.v.index() == b.v.index()) {
    if (a.isBool()) return a.asBool() == b.asBool();
    if (a.isString()) return a.asString() == b.asString();
    if (a.isList() && &a.asList() == &b.asList()) return true;
    if (a.isMap() && &a.asMap() == &b.asMap()) return true;
  }
  return toText(a) == toText(b);
}

std::string toJson(const Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  writeJson(w, b, v, 0);
  return std::string(b.GetString(), b.GetSize());
}

namespace {

// Builds a Value from RapidJSON's SAX events with an explicit stack, so a deeply nested body
// cannot exhaust the C++ stack; nesting beyond the cap stops the parse.
struct ValueBuilder : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ValueBuilder> {
  explicit ValueBuilder(int maxDepth) : maxDepth_(maxDepth) {}
  std::vector<Value> stack;
  std::vector<std::string> keys;
  Value root;
  int maxDepth_;
  bool tooDeep = false;

  bool add(Value v) {
    if (stack.empty()) {
      root = std::move(v);
    } else if (stack.back().isList()) {
      stack.back().asList().push_back(std::move(v));
    } else {
      stack.back().asMap().put(std::move(keys.back()), std::move(v));
      keys.pop_back();
    }
    return true;
  }
  bool open(Value v) {
    if (static_cast<int>(stack.size()) >= maxDepth_) {
      tooDeep = true;
      return false;
    }
    add(v);
    stack.push_back(std::move(v));
    return true;
  }
  bool Null() { return add(Value()); }
  bool Bool(bool b) { return add(Value(b)); }
  bool Int(int i) { return add(Value(int64_t{i})); }
  bool Uint(unsigned u) { return add(Value(int64_t{u})); }
  bool Int64(int64_t i) { return add(Value(i)); }
  bool Uint64(uint64_t u) { return add(u > INT64_MAX ? Value(static_cast<double>(u)) : Value(static_cast<int64_t>(u))); }
  bool Double(double d) { return add(Value(d)); }
  bool String(const char* s, rapidjson::SizeType n, bool) { return add(Value(std::string(s, n))); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    keys.emplace_back(s, n);
    return true;
  }
  bool StartObject() { return open(Value::map()); }
  bool EndObject(rapidjson::SizeType) {
    stack.pop_back();
    return true;
  }
  bool StartArray() { return open(Value::list()); }
  bool EndArray(rapidjson::SizeType) {
    stack.pop_back();
    return true;
  }
};

}  // namespace

Result<Value> parseJsonValue(std::string_view text, int maxDepth) {
  ValueBuilder b(maxDepth);
  rapidjson::Reader reader;
  rapidjson::MemoryStream ms(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
  auto r = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                        rapidjson::kParseStopWhenDoneFlag>(is, b);
  if (b.tooDeep) return Error{400, "JSON nested deeper than " + std::to_string(maxDepth) + " levels"};
  if (r.IsError())
    return Error{400, std::string("invalid JSON at offset ") + std::to_string(r.Offset()) + ": " +
                          rapidjson::GetParseError_En(r.Code())};
  // Anything but whitespace after the value is not JSON.
  for (size_t i = is.Tell(); i < text.size(); ++i)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
      return Error{400, "invalid JSON at offset " + std::to_string(i) + ": text after the value"};
  return b.root;
}

namespace {

// The containers a value holds directly (a list's elements, a map's values).
template <typename Fn>
void forEachChildContainer(const Value& v, Fn&& fn) {
  if (v.isList()) {
    for (const Value& e : v.asList())
      if (e.isList() || e.isMap()) fn(e);
  } else if (v.isMap()) {
    for (const auto& [k, e] : v.asMap().entries)
      if (e.isList() || e.isMap()) fn(e);
  }
}

const void* identity(const Value& v) {
  return v.isList() ? static_cast<const void*>(&v.asList()) : static_cast<const void*>(&v.asMap());
}

}  // namespace

void breakCycles(const std::vector<Value>& roots) {
  enum class Mark { OnPath, Done };
  std::unordered_map<const void*, Mark> marks;
  std::vector<Value> toClear;
  // Iterative depth-first walk (a template can nest containers deeply): each frame is a
  // container and the children still to visit.
  struct Frame {
    Value container;
    std::vector<Value> children;
  };
  for (const Value& root : roots) {
    if (!(root.isList() || root.isMap()) || marks.count(identity(root))) continue;
    std::vector<Frame> stack;
    auto enter = [&](const Value& v) {
      marks[identity(v)] = Mark::OnPath;
      Frame f{v, {}};
      forEachChildContainer(v, [&](const Value& c) { f.children.push_back(c); });
      std::reverse(f.children.begin(), f.children.end());
      stack.push_back(std::move(f));
    };
    enter(root);
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.children.empty()) {
        marks[identity(top.container)] = Mark::Done;
        stack.pop_back();
        continue;
      }
      Value child = std::move(top.children.back());
      top.children.pop_back();
      auto it = marks.find(identity(child));
      if (it == marks.end()) {
        enter(child);
      } else if (it->second == Mark::OnPath) {
        toClear.push_back(child);  // a back edge: child is on the path, so on a cycle
      }
    }
  }
  // Cleared after the walk, which holds references into these containers' elements.
  for (Value& v : toClear) {
    if (v.isList()) {
      List dropped;
      dropped.swap(v.asList());
    } else {
      std::vector<std::pair<std::string, Value>> dropped;
      dropped.swap(v.asMap().entries);
    }
  }
}

}  // namespace cdnlab::gateway::vtl

// Evaluates a template's tree (see renderer.h). Velocity's rules as API Gateway applies them: a
// reference that is null writes nothing; #set with a null value leaves the variable as it was;
// #foreach walks lists, a map's values, or a range; methods are the Java ones templates use.
#include "gateway/vtl/renderer.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <optional>
#include <regex>
#include <unordered_map>

#include "gateway/integrations/proxy_event.h"
#include "gateway/vtl/functions.h"

namespace cdnlab::gateway::vtl {
namespace {

// Regular expressions (replaceAll, matches, split) only run on text up to this size: std::regex
// backtracks recursively, so a bounded subject keeps a hostile pattern from exhausting the stack.
constexpr size_t kMaxRegexSubject = 64u << 10;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Renderer {
 public:
  Renderer(const Template& t, RenderInput& in, const Limits& limits) : t_(t), in_(in), limits_(limits) {
    vars_["context"] = in.context.isMap() ? in.context : Value::map();
    vars_["stageVariables"] = in.stageVariables.isMap() ? in.stageVariables : Value::map();
  }
  // A template may have stored a container into itself; the references of such a cycle would
  // keep it alive after the render (a leak per request), so the cycles are broken here.
  ~Renderer() { breakCycles(storedInto_); }

  Result<std::string> run() {
    std::string out;
    renderBlock(t_.root, out);
    if (!err_.message.empty()) return err_;
    return out;
  }

 private:
  enum class Flow { Normal, Break, Stop };

  bool fail(Pos p, const std::string& msg, int code = 500) {
    if (err_.message.empty())
      err_ = Error{code, t_.name + ":" + std::to_string(p.line) + ":" + std::to_string(p.col) + ": " + msg};
    return false;
  }
  bool failed() const { return !err_.message.empty(); }

  bool append(std::string& out, std::string_view s, Pos p) {
    if (out.size() + s.size() > limits_.maxOutput)
      return fail(p, "output larger than " + std::to_string(limits_.maxOutput) + " bytes");
    out.append(s);
    return true;
  }

  Flow renderBlock(const Block& b, std::string& out) {
    for (const Node& n : b) {
      if (failed()) return Flow::Stop;
      Flow f = renderNode(n, out);
      if (f != Flow::Normal) return f;
    }
    return failed() ? Flow::Stop : Flow::Normal;
  }

  Flow renderNode(const Node& n, std::string& out) {
    switch (n.kind) {
      case Node::Kind::Text:
        append(out, n.text, n.pos);
        return Flow::Normal;
      case Node::Kind::Ref: {
        Value v = eval(*n.expr);
        if (!v.isNull()) append(out, toText(v), n.pos);
        return Flow::Normal;
      }
      case Node::Kind::Set:
        assign(n);
        return Flow::Normal;
      case Node::Kind::If:
        for (const auto& [cond, body] : n.branches) {
          Value c = eval(*cond);
          if (failed()) return Flow::Stop;
          if (truthy(c)) return renderBlock(body, out);
        }
        return renderBlock(n.elseBody, out);
      case Node::Kind::Foreach:
        return loop(n, out);
      case Node::Kind::Break:
        return Flow::Break;
      case Node::Kind::Stop:
        return Flow::Stop;
    }
    return Flow::Normal;
  }

  Flow loop(const Node& n, std::string& out) {
    Value src = eval(*n.expr);
    if (failed()) return Flow::Stop;
    std::vector<Value> items;
    if (src.isList()) {
      items = src.asList();
    } else if (src.isMap()) {
      for (const auto& [k, v] : src.asMap().entries) items.push_back(v);
    } else if (!src.isNull()) {
      items.push_back(src);
    }
    const std::string& var = n.target.root;
    auto saved = [&](const std::string& name) {
      auto it = vars_.find(name);
      return it == vars_.end() ? Value() : it->second;
    };
    Value oldVar = saved(var), oldForeach = saved("foreach"), oldCount = saved("velocityCount");
    Flow result = Flow::Normal;
    for (size_t i = 0; i < items.size(); ++i) {
      if (++iterations_ > limits_.maxIterations) {
        fail(n.pos, "more than " + std::to_string(limits_.maxIterations) + " #foreach iterations");
        result = Flow::Stop;
        break;
      }
      vars_[var] = items[i];
      Value fe = Value::map();
      fe.asMap().put("index", Value(static_cast<int64_t>(i)));
      fe.asMap().put("count", Value(static_cast<int64_t>(i + 1)));
      fe.asMap().put("hasNext", Value(i + 1 < items.size()));
      fe.asMap().put("first", Value(i == 0));
      fe.asMap().put("last", Value(i + 1 == items.size()));
      vars_["foreach"] = fe;
      vars_["velocityCount"] = Value(static_cast<int64_t>(i + 1));
      Flow f = renderBlock(n.body, out);
      if (f == Flow::Break) break;
      if (f == Flow::Stop) {
        result = Flow::Stop;
        break;
      }
    }
    vars_[var] = oldVar;
    vars_["foreach"] = oldForeach;
    vars_["velocityCount"] = oldCount;
    return result;
  }

  void assign(const Node& n) {
    Value v = eval(*n.expr);
    if (failed() || v.isNull()) return;  // Velocity 1.7: a null value is not assigned
    const Reference& t = n.target;
    if (t.suffixes.empty()) {
      vars_[t.root] = std::move(v);
      return;
    }
    auto it = vars_.find(t.root);
    if (it == vars_.end()) return;
    Value container = it->second;
    for (size_t k = 0; k + 1 < t.suffixes.size() && !container.isNull(); ++k)
      container = step(container, t.suffixes[k]);
    if (failed() || container.isNull()) return;
    const Suffix& last = t.suffixes.back();
    noteStore(container, v);
    if (last.kind == Suffix::Kind::Property) {
      if (container.isMap()) container.asMap().put(last.name, std::move(v));
      return;
    }
    Value idx = eval(*last.args[0]);
    if (container.isMap()) {
      container.asMap().put(toText(idx), std::move(v));
    } else if (container.isList() && idx.isInt() && idx.asInt() >= 0 &&
               idx.asInt() < static_cast<int64_t>(container.asList().size())) {
      container.asList()[idx.asInt()] = std::move(v);
    }
  }

  // ---- expressions ----
  Value eval(const Expr& e) {
    if (failed()) return Value();
    switch (e.kind) {
      case Expr::Kind::Literal:
        return e.literal;
      case Expr::Kind::Interpolated: {
        std::string s;
        renderBlock(*e.parts, s);
        return Value(std::move(s));
      }
      case Expr::Kind::List: {
        Value l = Value::list();
        for (const auto& item : e.items) l.asList().push_back(eval(*item));
        return l;
      }
      case Expr::Kind::Range: {
        Value a = eval(*e.items[0]), b = eval(*e.items[1]);
        if (!a.isInt() || !b.isInt()) {
          fail(e.pos, "a range needs integer ends");
          return Value();
        }
        int64_t from = a.asInt(), to = b.asInt();
        int64_t n = (from <= to ? to - from : from - to) + 1;
        if (n > limits_.maxIterations) {
          fail(e.pos, "range of more than " + std::to_string(limits_.maxIterations) + " values");
          return Value();
        }
        Value l = Value::list();
        for (int64_t k = 0; k < n; ++k) l.asList().push_back(Value(from <= to ? from + k : from - k));
        return l;
      }
      case Expr::Kind::Map: {
        Value m = Value::map();
        for (size_t k = 0; k + 1 < e.items.size(); k += 2) {
          Value key = eval(*e.items[k]);
          m.asMap().put(toText(key), eval(*e.items[k + 1]));
        }
        return m;
      }
      case Expr::Kind::Ref:
        return evalRef(e.ref);
      case Expr::Kind::Not:
        return Value(!truthy(eval(*e.items[0])));
      case Expr::Kind::Negate: {
        Value v = eval(*e.items[0]);
        if (v.isInt()) return Value(-v.asInt());
        if (v.isDouble()) return Value(-v.asNumber());
        return Value();
      }
      case Expr::Kind::Binary:
        return binary(e);
    }
    return Value();
  }

  Value binary(const Expr& e) {
    const std::string& op = e.op;
    if (op == "&&") {
      if (!truthy(eval(*e.items[0]))) return Value(false);
      return Value(truthy(eval(*e.items[1])));
    }
    if (op == "||") {
      if (truthy(eval(*e.items[0]))) return Value(true);
      return Value(truthy(eval(*e.items[1])));
    }
    Value a = eval(*e.items[0]), b = eval(*e.items[1]);
    if (failed()) return Value();
    if (op == "==") return Value(looseEquals(a, b));
    if (op == "!=") return Value(!looseEquals(a, b));
    if (op == "<" || op == ">" || op == "<=" || op == ">=") {
      int c;
      if (a.isNumber() && b.isNumber()) {
        double x = a.asNumber(), y = b.asNumber();
        if (a.isInt() && b.isInt()) {
          c = a.asInt() < b.asInt() ? -1 : a.asInt() > b.asInt() ? 1 : 0;
        } else {
          c = x < y ? -1 : x > y ? 1 : 0;
        }
      } else if (a.isString() && b.isString()) {
        c = a.asString().compare(b.asString());
      } else {
        return Value(false);
      }
      if (op == "<") return Value(c < 0);
      if (op == ">") return Value(c > 0);
      if (op == "<=") return Value(c <= 0);
      return Value(c >= 0);
    }
    // Arithmetic; '+' with a string operand concatenates.
    if (op == "+" && (a.isString() || b.isString())) {
      if (a.isNull() || b.isNull()) return Value();
      return Value(toText(a) + toText(b));
    }
    if (!a.isNumber() || !b.isNumber()) return Value();
    if (a.isInt() && b.isInt()) {
      int64_t x = a.asInt(), y = b.asInt(), r = 0;
      if (op == "+" && !__builtin_add_overflow(x, y, &r)) return Value(r);
      if (op == "-" && !__builtin_sub_overflow(x, y, &r)) return Value(r);
      if (op == "*" && !__builtin_mul_overflow(x, y, &r)) return Value(r);
      if (op == "/") return y == 0 || (x == INT64_MIN && y == -1) ? Value() : Value(x / y);
      if (op == "%") return y == 0 || (x == INT64_MIN && y == -1) ? Value() : Value(x % y);
    }
    double x = a.asNumber(), y = b.asNumber();
    if (op == "+") return Value(x + y);
    if (op == "-") return Value(x - y);
    if (op == "*") return Value(x * y);
    if (op == "/") return y == 0 ? Value() : Value(x / y);
    if (op == "%") return y == 0 ? Value() : Value(std::fmod(x, y));
    return Value();
  }

  std::vector<Value> args(const Suffix& s) {
    std::vector<Value> out;
    for (const auto& a : s.args) out.push_back(eval(*a));
    return out;
  }

  Value evalRef(const Reference& r) {
    Value v;
    size_t first = 0;
    if (r.root == "input" && !r.suffixes.empty()) {
      v = inputMember(r.suffixes[0]);
      first = 1;
    } else if (r.root == "util" && !r.suffixes.empty()) {
      v = utilMember(r.suffixes[0]);
      first = 1;
    } else if (r.root == "input" || r.root == "util") {
      v = Value();
    } else {
      auto it = vars_.find(r.root);
      if (it != vars_.end()) v = it->second;
    }
    for (size_t k = first; k < r.suffixes.size() && !v.isNull() && !failed(); ++k) v = step(v, r.suffixes[k]);
    return failed() ? Value() : v;
  }

  // ---- $input ----
  Result<Value>* bodyJson() {
    if (!bodyParsed_) {
      bodyParsed_ = true;
      std::string_view b = in_.body;
      bool blank = std::all_of(b.begin(), b.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
      body_ = blank ? Result<Value>(Value::map()) : parseJsonValue(b, limits_.maxJsonDepth);
    }
    return &*body_;
  }

  Value inputMember(const Suffix& s) {
    if (s.kind == Suffix::Kind::Property && s.name == "body") return Value(std::string(in_.body));
    if (s.kind != Suffix::Kind::Method) {
      fail(s.pos, "$input." + s.name + " is not supported (body, json(), path(), params())");
      return Value();
    }
    std::vector<Value> a = args(s);
    if (s.name == "params") {
      if (a.empty()) return in_.params.isMap() ? in_.params : Value::map();
      std::string name = toText(a[0]);
      if (in_.params.isMap()) {
        for (const char* where : {"path", "querystring"}) {
          const Value* m = in_.params.asMap().find(where);
          if (m && m->isMap())
            if (const Value* v = m->asMap().find(name)) return *v;
        }
        const Value* h = in_.params.asMap().find("header");
        if (h && h->isMap()) {
          std::string ln = lower(name);
          for (const auto& [k, v] : h->asMap().entries)
            if (lower(k) == ln) return v;
        }
      }
      return Value(std::string());
    }
    if (s.name == "json" || s.name == "path") {
      if (a.size() != 1 || !a[0].isString()) {
        fail(s.pos, "$input." + s.name + "() takes one JSONPath string");
        return Value();
      }
      Result<Value>* body = bodyJson();
      if (!body->ok()) {
        fail(s.pos, "Could not parse request body into json: " + body->error().message, 400);
        return Value();
      }
      Result<Value> v = jsonPath(body->value(), a[0].asString());
      if (!v) {
        fail(s.pos, v.error().message);
        return Value();
      }
      if (s.name == "path") return v.value();
      // A path that leads nowhere gives "" (an empty JSON string), keeping the output JSON.
      return Value(v.value().isNull() ? std::string("\"\"") : toJson(v.value()));
    }
    fail(s.pos, "$input." + s.name + "() is not supported (body, json(), path(), params())");
    return Value();
  }

  // ---- $util ----
  Value utilMember(const Suffix& s) {
    if (s.kind != Suffix::Kind::Method) {
      fail(s.pos, "$util." + s.name + " is not supported");
      return Value();
    }
    std::vector<Value> a = args(s);
    if (failed()) return Value();
    if (a.size() != 1) {
      fail(s.pos, "$util." + s.name + "() takes one argument");
      return Value();
    }
    if (a[0].isNull()) return Value();
    std::string arg = toText(a[0]);
    if (s.name == "escapeJavaScript") return Value(escapeJavaScript(arg));
    if (s.name == "urlEncode") return Value(urlEncode(arg));
    if (s.name == "urlDecode") {
      Result<std::string> r = urlDecode(arg);
      if (!r) fail(s.pos, r.error().message);
      return r ? Value(std::move(r.value())) : Value();
    }
    if (s.name == "base64Encode") return Value(base64Encode(arg));
    if (s.name == "base64Decode") {
      Result<std::string> r = base64Decode(arg);
      if (!r) fail(s.pos, "$util.base64Decode: not base64");
      return r ? Value(std::move(r.value())) : Value();
    }
    if (s.name == "parseJson") {
      Result<Value> r = parseJsonValue(arg, limits_.maxJsonDepth);
      if (!r) fail(s.pos, "$util.parseJson: " + r.error().message);
      return r ? r.value() : Value();
    }
    fail(s.pos, "$util." + s.name + "() is not supported (escapeJavaScript, parseJson, urlEncode, urlDecode, "
                "base64Encode, base64Decode)");
    return Value();
  }

  // ---- .property, .method(), [index] on a value ----
  Value step(const Value& v, const Suffix& s) {
    if (s.kind == Suffix::Kind::Index) {
      Value idx = eval(*s.args[0]);
      if (v.isList() && idx.isInt()) {
        int64_t n = static_cast<int64_t>(v.asList().size());
        int64_t k = idx.asInt();
        if (k < 0 || k >= n) {
          fail(s.pos, "index " + std::to_string(k) + " out of bounds for a list of " + std::to_string(n));
          return Value();
        }
        return v.asList()[k];
      }
      if (v.isMap()) {
        const Value* e = v.asMap().find(toText(idx));
        return e ? *e : Value();
      }
      return Value();
    }
    if (s.kind == Suffix::Kind::Property) {
      if (v.isMap()) {
        const Value* e = v.asMap().find(s.name);
        if (e) return *e;
        if (s.name == "empty") return Value(v.asMap().entries.empty());
        return Value();
      }
      if (v.isList() && s.name == "empty") return Value(v.asList().empty());
      if (v.isString() && s.name == "empty") return Value(v.asString().empty());
      if (v.isList() && s.name == "size") return Value(static_cast<int64_t>(v.asList().size()));
      return Value();
    }
    std::vector<Value> a = args(s);
    if (failed()) return Value();
    return call(v, s, a);
  }

  bool arity(const Suffix& s, const std::vector<Value>& a, size_t lo, size_t hi) {
    if (a.size() >= lo && a.size() <= hi) return true;
    return fail(s.pos, "." + s.name + "() called with " + std::to_string(a.size()) + " arguments");
  }

  std::string str(const Value& v) { return v.isNull() ? std::string() : toText(v); }

  Value call(const Value& v, const Suffix& s, const std::vector<Value>& a) {
    const std::string& m = s.name;
    if (m == "toString" && arity(s, a, 0, 0)) return Value(toText(v));
    if (m == "equals" && arity(s, a, 1, 1)) return Value(v.v.index() == a[0].v.index() && looseEquals(v, a[0]));
    if (m == "hashCode") return Value(static_cast<int64_t>(std::hash<std::string>()(toText(v)) & 0x7fffffff));
    if (v.isString()) return callString(v.asString(), s, a);
    if (v.isList()) return callList(v, s, a);
    if (v.isMap()) return callMap(v, s, a);
    if (v.isNumber()) {
      if (m == "intValue" || m == "longValue") return Value(v.isInt() ? v.asInt() : static_cast<int64_t>(v.asNumber()));
      if (m == "doubleValue" || m == "floatValue") return Value(v.asNumber());
    }
    if (v.isBool() && m == "booleanValue") return v;
    if (!failed()) fail(s.pos, "." + m + "() is not supported on this value");
    return Value();
  }

  Value callString(const std::string& str0, const Suffix& s, const std::vector<Value>& a) {
    const std::string& m = s.name;
    auto i64 = [](size_t n) { return Value(static_cast<int64_t>(n)); };
    auto intArg = [&](size_t k, int64_t& out) {
      if (k >= a.size() || !a[k].isInt()) return fail(s.pos, "." + m + "() needs an integer argument");
      out = a[k].asInt();
      return true;
    };
    if (m == "length" && arity(s, a, 0, 0)) return i64(str0.size());
    if (m == "isEmpty" && arity(s, a, 0, 0)) return Value(str0.empty());
    if (m == "trim" && arity(s, a, 0, 0)) {
      size_t b = str0.find_first_not_of(" \t\r\n\f\v");
      if (b == std::string::npos) return Value(std::string());
      size_t e = str0.find_last_not_of(" \t\r\n\f\v");
      return Value(str0.substr(b, e - b + 1));
    }
    if (m == "toLowerCase" && arity(s, a, 0, 0)) return Value(lower(str0));
    if (m == "toUpperCase" && arity(s, a, 0, 0)) {
      std::string u = str0;
      for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return Value(u);
    }
    if (m == "equalsIgnoreCase" && arity(s, a, 1, 1)) return Value(a[0].isString() && lower(str0) == lower(a[0].asString()));
    if (m == "contains" && arity(s, a, 1, 1)) return Value(str0.find(str(a[0])) != std::string::npos);
    if (m == "startsWith" && arity(s, a, 1, 1)) return Value(str0.rfind(str(a[0]), 0) == 0);
    if (m == "endsWith" && arity(s, a, 1, 1)) {
      std::string suf = str(a[0]);
      return Value(str0.size() >= suf.size() && str0.compare(str0.size() - suf.size(), suf.size(), suf) == 0);
    }
    if (m == "indexOf" && arity(s, a, 1, 1)) {
      size_t p = str0.find(str(a[0]));
      return Value(p == std::string::npos ? int64_t{-1} : static_cast<int64_t>(p));
    }
    if (m == "lastIndexOf" && arity(s, a, 1, 1)) {
      size_t p = str0.rfind(str(a[0]));
      return Value(p == std::string::npos ? int64_t{-1} : static_cast<int64_t>(p));
    }
    if (m == "charAt" && arity(s, a, 1, 1)) {
      int64_t k;
      if (!intArg(0, k)) return Value();
      if (k < 0 || k >= static_cast<int64_t>(str0.size())) {
        fail(s.pos, ".charAt(): index out of range");
        return Value();
      }
      return Value(std::string(1, str0[k]));
    }
    if (m == "substring" && arity(s, a, 1, 2)) {
      int64_t b, e = static_cast<int64_t>(str0.size());
      if (!intArg(0, b) || (a.size() == 2 && !intArg(1, e))) return Value();
      if (b < 0 || e > static_cast<int64_t>(str0.size()) || b > e) {
        fail(s.pos, ".substring(): range out of bounds");
        return Value();
      }
      return Value(str0.substr(b, e - b));
    }
    if (m == "replace" && arity(s, a, 2, 2)) {
      std::string from = str(a[0]), to = str(a[1]), out;
      if (from.empty()) return Value(str0);
      size_t p = 0;
      while (true) {
        size_t q = str0.find(from, p);
        if (q == std::string::npos) break;
        out.append(str0, p, q - p);
        out += to;
        p = q + from.size();
      }
      out.append(str0, p);
      return Value(out);
    }
    if ((m == "replaceAll" || m == "replaceFirst" || m == "matches" || m == "split") &&
        arity(s, a, m == "matches" || m == "split" ? 1 : 2, m == "matches" || m == "split" ? 1 : 2)) {
      if (str0.size() > kMaxRegexSubject) {
        fail(s.pos, "." + m + "() on text longer than " + std::to_string(kMaxRegexSubject) + " bytes");
        return Value();
      }
      std::regex re;
      try {  // std::regex reports a bad pattern only by throwing; caught here, never propagated
        re = std::regex(str(a[0]), std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        fail(s.pos, "." + m + "(): invalid regular expression");
        return Value();
      }
      try {
        if (m == "matches") return Value(std::regex_match(str0, re));
        if (m == "split") {
          Value l = Value::list();
          std::sregex_token_iterator it(str0.begin(), str0.end(), re, -1), end;
          for (; it != end; ++it) l.asList().push_back(Value(it->str()));
          while (!l.asList().empty() && l.asList().back().asString().empty()) l.asList().pop_back();
          return l;
        }
        // Java's replacement syntax ($1) is ECMAScript's too.
        auto flags = m == "replaceFirst" ? std::regex_constants::format_first_only : std::regex_constants::format_default;
        return Value(std::regex_replace(str0, re, str(a[1]), flags));
      } catch (const std::regex_error&) {
        fail(s.pos, "." + m + "(): the regular expression is too complex for this text");
        return Value();
      }
    }
    if (!failed()) fail(s.pos, "." + m + "() is not supported on a string");
    return Value();
  }

  Value callList(const Value& v, const Suffix& s, const std::vector<Value>& a) {
    List& l = v.asList();
    const std::string& m = s.name;
    if (m == "size" && arity(s, a, 0, 0)) return Value(static_cast<int64_t>(l.size()));
    if (m == "isEmpty" && arity(s, a, 0, 0)) return Value(l.empty());
    if (m == "get" && arity(s, a, 1, 1)) {
      if (!a[0].isInt() || a[0].asInt() < 0 || a[0].asInt() >= static_cast<int64_t>(l.size())) {
        fail(s.pos, ".get(): index out of bounds");
        return Value();
      }
      return l[a[0].asInt()];
    }
    if (m == "contains" && arity(s, a, 1, 1)) {
      for (const auto& e : l)
        if (looseEquals(e, a[0])) return Value(true);
      return Value(false);
    }
    if (m == "add" && arity(s, a, 1, 1)) {
      if (l.size() >= static_cast<size_t>(limits_.maxIterations)) {
        fail(s.pos, "a list longer than " + std::to_string(limits_.maxIterations) + " elements");
        return Value();
      }
      noteStore(v, a[0]);
      l.push_back(a[0]);
      return Value(true);
    }
    if (!failed()) fail(s.pos, "." + m + "() is not supported on a list");
    return Value();
  }

  Value callMap(const Value& v, const Suffix& s, const std::vector<Value>& a) {
    Map& mp = v.asMap();
    const std::string& m = s.name;
    if (m == "size" && arity(s, a, 0, 0)) return Value(static_cast<int64_t>(mp.entries.size()));
    if (m == "isEmpty" && arity(s, a, 0, 0)) return Value(mp.entries.empty());
    if (m == "get" && arity(s, a, 1, 1)) {
      const Value* e = mp.find(str(a[0]));
      return e ? *e : Value();
    }
    if (m == "containsKey" && arity(s, a, 1, 1)) return Value(mp.find(str(a[0])) != nullptr);
    if (m == "keySet" && arity(s, a, 0, 0)) {
      Value l = Value::list();
      for (const auto& [k, e] : mp.entries) l.asList().push_back(Value(k));
      return l;
    }
    if (m == "values" && arity(s, a, 0, 0)) {
      Value l = Value::list();
      for (const auto& [k, e] : mp.entries) l.asList().push_back(e);
      return l;
    }
    if (m == "entrySet" && arity(s, a, 0, 0)) {
      Value l = Value::list();
      for (const auto& [k, e] : mp.entries) {
        Value entry = Value::map();
        entry.asMap().put("key", Value(k));
        entry.asMap().put("value", e);
        l.asList().push_back(entry);
      }
      return l;
    }
    if (m == "put" && arity(s, a, 2, 2)) {
      if (mp.entries.size() >= static_cast<size_t>(limits_.maxIterations) && !mp.find(str(a[0]))) {
        fail(s.pos, "a map larger than " + std::to_string(limits_.maxIterations) + " entries");
        return Value();
      }
      const Value* old = mp.find(str(a[0]));
      Value prev = old ? *old : Value();
      noteStore(v, a[1]);
      mp.put(str(a[0]), a[1]);
      return prev;
    }
    if (!failed()) fail(s.pos, "." + m + "() is not supported on a map");
    return Value();
  }

  // Only a store into an existing container can close a cycle (literals build trees).
  void noteStore(const Value& container, const Value& stored) {
    if (stored.isList() || stored.isMap()) storedInto_.push_back(container);
  }

  const Template& t_;
  RenderInput& in_;
  const Limits& limits_;
  std::unordered_map<std::string, Value> vars_;
  Error err_;
  int64_t iterations_ = 0;
  bool bodyParsed_ = false;
  std::optional<Result<Value>> body_;
  std::vector<Value> storedInto_;  // containers a list or map was stored into
};

}  // namespace

Result<std::string> render(const Template& t, RenderInput& in, const Limits& limits) {
  Renderer r(t, in, limits);
  return r.run();
}

}  // namespace cdnlab::gateway::vtl

#include "common/config/reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>
#include <tuple>

#include <yaml-cpp/depthguard.h>

namespace cdnlab::config {
namespace detail {

// One mapping handed out as an Object, with the keys its reader asked for.
struct Record {
  YAML::Node node;  // the mapping; Null when the object is absent or had the wrong type
  std::string path;
  std::vector<std::string> asked;  // every key a getter asked for, present or not
  bool quiet = false;              // absent or wrong type, already reported: no errors for its keys
  bool allowOthers = false;
};

struct State {
  std::string file;
  YAML::Node root;
  std::vector<ConfigError> errors;
  std::deque<Record> records;  // deque: Objects keep indexes, records never move
};

}  // namespace detail

namespace {

std::string join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string s(path);
  s += '.';
  s += key;
  return s;
}

std::string quoted(const YAML::Node& n) {
  if (n.IsNull()) return "null";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  std::string v = n.Scalar();
  if (v.size() > 40) v = v.substr(0, 37) + "...";
  return "\"" + v + "\"";
}

std::optional<std::int64_t> toInteger(const std::string& text) {
  std::string digits;
  digits.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    // YAML 1.1 style digit groups ("10_000") read well for object counts.
    if (c == '_' && i > 0 && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(text[i + 1])))
      continue;
    digits += c;
  }
  const char* b = digits.data();
  const char* e = b + digits.size();
  if (b != e && *b == '+') ++b;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(b, e, v);
  if (b == e || ec != std::errc() || ptr != e) return std::nullopt;
  return v;
}

std::optional<double> toDouble(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> toBool(const std::string& t) {
  static const char* kTrue[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
  static const char* kFalse[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
  for (const char* s : kTrue)
    if (t == s) return true;
  for (const char* s : kFalse)
    if (t == s) return false;
  return std::nullopt;
}

template <typename T, typename Fmt>
std::optional<std::string> checkRange(T v, const Range<T>& r, Fmt fmt) {
  bool low = r.min && (r.minExclusive ? !(v > *r.min) : v < *r.min);
  bool high = r.max && (r.maxExclusive ? !(v < *r.max) : v > *r.max);
  if (!low && !high) return std::nullopt;
  std::string want;
  if (r.min && r.max) {
    want = std::string("must be in ") + (r.minExclusive ? "(" : "[") + fmt(*r.min) + ", " + fmt(*r.max) +
           (r.maxExclusive ? ")" : "]");
  } else if (r.min) {
    want = std::string("must be ") + (r.minExclusive ? "> " : ">= ") + fmt(*r.min);
  } else {
    want = std::string("must be ") + (r.maxExclusive ? "< " : "<= ") + fmt(*r.max);
  }
  return want + " (got " + fmt(v) + ")";
}

std::string fmtInt(std::int64_t v) { return std::to_string(v); }
std::string fmtDouble(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}
std::string fmtBytes(std::uint64_t v) { return formatByteSize(v); }
std::string fmtDur(Duration v) { return formatDuration(v); }

size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

// ---- Object ---------------------------------------------------------------------------------

const std::string& Object::path() const { return s_->records[i_].path; }

std::string Object::fieldPath(std::string_view key) const { return join(path(), key); }

std::optional<YAML::Node> Object::find(std::string_view key) {
  auto& rec = s_->records[i_];
  if (std::find(rec.asked.begin(), rec.asked.end(), key) == rec.asked.end()) rec.asked.emplace_back(key);
  if (!rec.node.IsMap()) return std::nullopt;
  for (auto it = rec.node.begin(); it != rec.node.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  }
  return std::nullopt;
}

bool Object::has(std::string_view key) const {
  const auto& rec = s_->records[i_];
  if (!rec.node.IsMap()) return false;
  for (auto it = rec.node.begin(); it != rec.node.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return true;
  }
  return false;
}

Object::Shape Object::shape(std::string_view key) const {
  const auto& rec = s_->records[i_];
  if (!rec.node.IsMap()) return Shape::Absent;
  for (auto it = rec.node.begin(); it != rec.node.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar() != key) continue;
    if (it->second.IsSequence()) return Shape::List;
    if (it->second.IsMap()) return Shape::Mapping;
    return Shape::Scalar;
  }
  return Shape::Absent;
}

std::vector<std::string> Object::keys() const {
  std::vector<std::string> out;
  const auto& rec = s_->records[i_];
  if (!rec.node.IsMap()) return out;
  for (auto it = rec.node.begin(); it != rec.node.end(); ++it) {
    if (it->first.IsScalar()) out.push_back(it->first.Scalar());
  }
  return out;
}

void Object::report(const YAML::Node& at, std::string field, std::string message) {
  auto& rec = s_->records[i_];
  if (rec.quiet) return;
  YAML::Mark m = at.Mark();
  if (m.line < 0) m = rec.node.Mark();
  ConfigError e;
  e.file = s_->file;
  e.line = m.line >= 0 ? m.line + 1 : 0;
  e.column = m.column >= 0 ? m.column + 1 : 0;
  e.field = std::move(field);
  e.message = std::move(message);
  s_->errors.push_back(std::move(e));
}

void Object::fail(std::string_view key, std::string message) {
  auto node = find(key);
  report(node ? *node : s_->records[i_].node, fieldPath(key), std::move(message));
}

void Object::failHere(std::string message) { report(s_->records[i_].node, path(), std::move(message)); }

void Object::allowOtherKeys() { s_->records[i_].allowOthers = true; }

std::size_t Object::errorCount() const { return s_->errors.size(); }

void Object::silence() { s_->records[i_].quiet = true; }

std::optional<YAML::Node> Object::scalar(std::string_view key, bool required, const char* expected) {
  auto node = find(key);
  if (!node) {
    if (required) report(s_->records[i_].node, fieldPath(key), std::string("required ") + expected + " is missing");
    return std::nullopt;
  }
  if (!node->IsScalar()) {
    report(*node, fieldPath(key), std::string("expected ") + expected + ", got " + quoted(*node));
    return std::nullopt;
  }
  return node;
}

std::string Object::string(std::string_view key) {
  auto n = scalar(key, true, "a string");
  return n ? n->Scalar() : std::string();
}

std::string Object::string(std::string_view key, std::string def) {
  auto n = scalar(key, false, "a string");
  return n ? n->Scalar() : def;
}

bool Object::boolean(std::string_view key) {
  if (!has(key)) {
    scalar(key, true, "boolean");
    return false;
  }
  return boolean(key, false);
}

bool Object::boolean(std::string_view key, bool def) {
  auto n = scalar(key, false, "a boolean (true/false)");
  if (!n) return def;
  auto v = toBool(n->Scalar());
  if (!v) {
    report(*n, fieldPath(key), "expected a boolean (true/false), got " + quoted(*n));
    return def;
  }
  return *v;
}

std::int64_t Object::integer(std::string_view key, Range<std::int64_t> range) {
  if (!has(key)) {
    scalar(key, true, "integer");
    return range.min.value_or(0);
  }
  return integer(key, range.min.value_or(0), range);
}

std::int64_t Object::integer(std::string_view key, std::int64_t def, Range<std::int64_t> range) {
  auto n = scalar(key, false, "an integer");
  if (!n) return def;
  auto v = toInteger(n->Scalar());
  if (!v) {
    report(*n, fieldPath(key), "expected an integer, got " + quoted(*n));
    return def;
  }
  if (auto bad = checkRange(*v, range, fmtInt)) {
    report(*n, fieldPath(key), *bad);
    return def;
  }
  return *v;
}

double Object::number(std::string_view key, Range<double> range) {
  if (!has(key)) {
    scalar(key, true, "number");
    return range.min.value_or(0);
  }
  return number(key, range.min.value_or(0), range);
}

double Object::number(std::string_view key, double def, Range<double> range) {
  auto n = scalar(key, false, "a number");
  if (!n) return def;
  auto v = toDouble(n->Scalar());
  if (!v) {
    report(*n, fieldPath(key), "expected a number, got " + quoted(*n));
    return def;
  }
  if (auto bad = checkRange(*v, range, fmtDouble)) {
    report(*n, fieldPath(key), *bad);
    return def;
  }
  return *v;
}

namespace {
std::string oneOf(const std::vector<std::string>& allowed) {
  std::string s = "one of ";
  for (size_t i = 0; i < allowed.size(); ++i) s += (i ? ", " : "") + allowed[i];
  return s;
}
}  // namespace

std::string Object::choice(std::string_view key, const std::vector<std::string>& allowed) {
  if (!has(key)) {
    scalar(key, true, ("field (" + oneOf(allowed) + ")").c_str());
    return allowed.empty() ? std::string() : allowed.front();
  }
  return choice(key, allowed, allowed.empty() ? std::string() : allowed.front());
}

std::string Object::choice(std::string_view key, const std::vector<std::string>& allowed, std::string def) {
  std::string expected = oneOf(allowed);
  auto n = scalar(key, false, expected.c_str());
  if (!n) return def;
  const std::string& v = n->Scalar();
  if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
    report(*n, fieldPath(key), "expected " + expected + ", got " + quoted(*n));
    return def;
  }
  return v;
}

std::uint64_t Object::bytes(std::string_view key, Range<std::uint64_t> range) {
  if (!has(key)) {
    scalar(key, true, "size");
    return range.min.value_or(0);
  }
  return bytes(key, range.min.value_or(0), range);
}

std::uint64_t Object::bytes(std::string_view key, std::uint64_t def, Range<std::uint64_t> range) {
  auto n = scalar(key, false, "a byte size");
  if (!n) return def;
  std::string why;
  auto v = parseByteSize(n->Scalar(), &why);
  if (!v) {
    report(*n, fieldPath(key), "expected a byte size like 512MiB, 64KiB, 1GB or 4096, got " + quoted(*n) + ": " + why);
    return def;
  }
  if (auto bad = checkRange(*v, range, fmtBytes)) {
    report(*n, fieldPath(key), *bad);
    return def;
  }
  return *v;
}

Duration Object::duration(std::string_view key, Range<Duration> range) {
  if (!has(key)) {
    scalar(key, true, "duration");
    return range.min.value_or(Duration::zero());
  }
  return duration(key, range.min.value_or(Duration::zero()), range);
}

Duration Object::duration(std::string_view key, Duration def, Range<Duration> range) {
  auto n = scalar(key, false, "a duration");
  if (!n) return def;
  std::string why;
  auto v = parseDuration(n->Scalar(), &why);
  if (!v) {
    report(*n, fieldPath(key), "expected a duration like 10s, 250ms, 1h or 1d, got " + quoted(*n) + ": " + why);
    return def;
  }
  if (auto bad = checkRange(*v, range, fmtDur)) {
    report(*n, fieldPath(key), *bad);
    return def;
  }
  return *v;
}

HostPort Object::address(std::string_view key) {
  if (!has(key)) {
    scalar(key, true, "address");
    return {};
  }
  return address(key, HostPort{});
}

HostPort Object::address(std::string_view key, HostPort def) {
  auto n = scalar(key, false, "an address host:port");
  if (!n) return def;
  std::string why;
  auto v = parseHostPort(n->Scalar(), &why);
  if (!v) {
    report(*n, fieldPath(key), "expected an address like 127.0.0.1:9000, got " + quoted(*n) + ": " + why);
    return def;
  }
  return *v;
}

std::vector<std::string> Object::stringList(std::string_view key, Presence presence) {
  std::vector<std::string> out;
  auto node = find(key);
  if (!node) {
    if (presence == Presence::Required) report(s_->records[i_].node, fieldPath(key), "required list is missing");
    return out;
  }
  if (!node->IsSequence()) {
    report(*node, fieldPath(key), "expected a list of strings, got " + quoted(*node));
    return out;
  }
  for (size_t i = 0; i < node->size(); ++i) {
    YAML::Node item = (*node)[i];
    if (!item.IsScalar()) {
      report(item, fieldPath(key) + "[" + std::to_string(i) + "]", "expected a string, got " + quoted(item));
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

Object Object::child(const YAML::Node& node, std::string path, bool required) {
  detail::Record rec{node, path, {}, false, false};
  bool wrongType = node.IsDefined() && !node.IsNull() && !node.IsMap();
  if (wrongType) report(node, path, "expected a mapping (key: value lines), got " + quoted(node));
  if (!node.IsDefined() && required) report(s_->records[i_].node, path, "required section is missing");
  // An absent or mistyped section reads as empty and stays quiet: its one error is enough.
  if (wrongType || !node.IsDefined()) {
    rec.quiet = true;
    rec.node = YAML::Node(YAML::NodeType::Null);
  }
  if (s_->records[i_].quiet) rec.quiet = true;
  s_->records.push_back(std::move(rec));
  return Object(s_, s_->records.size() - 1);
}

Object Object::object(std::string_view key) {
  auto node = find(key);
  return child(node ? *node : YAML::Node(YAML::NodeType::Undefined), fieldPath(key), true);
}

std::optional<Object> Object::optionalObject(std::string_view key) {
  auto node = find(key);
  if (!node) return std::nullopt;
  return child(*node, fieldPath(key), true);
}

std::vector<Object> Object::objectList(std::string_view key, Presence presence) {
  std::vector<Object> out;
  auto node = find(key);
  if (!node) {
    if (presence == Presence::Required) report(s_->records[i_].node, fieldPath(key), "required list is missing");
    return out;
  }
  if (!node->IsSequence()) {
    report(*node, fieldPath(key), "expected a list (lines starting with '- '), got " + quoted(*node));
    return out;
  }
  for (size_t i = 0; i < node->size(); ++i) {
    out.push_back(child((*node)[i], fieldPath(key) + "[" + std::to_string(i) + "]", true));
  }
  return out;
}

std::vector<std::pair<std::string, Object>> Object::objectMap(std::string_view key, Presence presence) {
  std::vector<std::pair<std::string, Object>> out;
  auto node = find(key);
  if (!node) {
    if (presence == Presence::Required) report(s_->records[i_].node, fieldPath(key), "required section is missing");
    return out;
  }
  if (!node->IsMap()) {
    report(*node, fieldPath(key), "expected a mapping of name: {...}, got " + quoted(*node));
    return out;
  }
  for (auto it = node->begin(); it != node->end(); ++it) {
    std::string name = it->first.Scalar();
    out.emplace_back(name, child(it->second, fieldPath(key) + "." + name, true));
  }
  return out;
}

// ---- Document -------------------------------------------------------------------------------

namespace {

Parsed<Document> parseError(const std::string& file, const YAML::Mark& m, const std::string& msg) {
  ConfigError e;
  e.file = file;
  e.line = m.line >= 0 ? m.line + 1 : 0;
  e.column = m.column >= 0 ? m.column + 1 : 0;
  e.message = "YAML syntax error: " + msg;
  return e;
}

// Duplicate keys are legal for yaml-cpp but almost always a mistake (the second silently wins).
void findDuplicateKeys(const YAML::Node& node, const std::string& path, std::vector<ConfigError>& out,
                       const std::string& file) {
  if (node.IsMap()) {
    std::vector<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string k = it->first.Scalar();
      std::string p = join(path, k);
      if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
        YAML::Mark m = it->first.Mark();
        out.push_back({file, m.line + 1, m.column + 1, p, "duplicate key"});
      }
      seen.push_back(k);
      findDuplicateKeys(it->second, p, out, file);
    }
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i)
      findDuplicateKeys(node[i], path + "[" + std::to_string(i) + "]", out, file);
  }
}

}  // namespace

Parsed<Document> Document::parseString(std::string_view text, std::string name) {
  auto s = std::make_shared<detail::State>();
  s->file = std::move(name);
  // yaml-cpp reports syntax errors by throwing; this is load time, never the request path, and
  // the exception stops here, turned into a ConfigError.
  // yaml-cpp's parser recurses per nesting level and stops at 2000 (depthguard.h), which also
  // bounds the recursive walks below (findDuplicateKeys) on a hostile file.
  try {
    s->root = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    return parseError(s->file, e.mark, "nested too deeply (more than 2000 levels)");
  } catch (const YAML::Exception& e) {
    return parseError(s->file, e.mark, e.msg);
  }
  findDuplicateKeys(s->root, "", s->errors, s->file);
  if (s->root.IsDefined() && !s->root.IsNull() && !s->root.IsMap()) {
    YAML::Mark m = s->root.Mark();
    return ConfigError{s->file, m.line + 1, m.column + 1, "", "expected a mapping at the top level"};
  }
  detail::Record rec{s->root, "", {}, false, false};
  if (!s->root.IsMap()) rec.node = YAML::Node(YAML::NodeType::Null);  // empty file: reads as {}
  s->records.push_back(std::move(rec));
  return Document(std::move(s));
}

Parsed<Document> Document::fromNode(YAML::Node root, std::string name) {
  auto s = std::make_shared<detail::State>();
  s->file = std::move(name);
  if (!root.IsMap()) {
    YAML::Mark m = root.Mark();
    return ConfigError{s->file, m.line + 1, m.column + 1, "", "expected a mapping"};
  }
  s->root = root;
  findDuplicateKeys(s->root, "", s->errors, s->file);
  s->records.push_back(detail::Record{s->root, "", {}, false, false});
  return Document(std::move(s));
}

Parsed<Document> Document::parseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError{path, 0, 0, "", "cannot open config file"};
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return ConfigError{path, 0, 0, "", "cannot read config file"};
  return parseString(buf.str(), path);
}

const std::string& Document::name() const { return s_->file; }

Object Document::root() { return Object(s_, 0); }

std::vector<ConfigError> Document::finish() {
  std::vector<ConfigError> errors = s_->errors;
  for (const auto& rec : s_->records) {
    if (rec.quiet || rec.allowOthers || !rec.node.IsMap()) continue;
    for (auto it = rec.node.begin(); it != rec.node.end(); ++it) {
      std::string k = it->first.Scalar();
      if (std::find(rec.asked.begin(), rec.asked.end(), k) != rec.asked.end()) continue;
      std::string msg = "unknown key";
      std::string best;
      size_t bestDist = 3;  // suggest only near misses: a typo, not a different word
      for (const auto& a : rec.asked) {
        size_t d = editDistance(k, a);
        if (d < bestDist) bestDist = d, best = a;
      }
      if (!best.empty()) msg += " (did you mean '" + best + "'?)";
      YAML::Mark m = it->first.Mark();
      errors.push_back({s_->file, m.line + 1, m.column + 1, join(rec.path, k), msg});
    }
  }
  std::stable_sort(errors.begin(), errors.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return errors;
}

}  // namespace cdnlab::config

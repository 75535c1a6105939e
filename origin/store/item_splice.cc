// Splicing top-level SETs into a stored item's JSON text (see item_splice.h for why and when).
#include "origin/store/item_splice.h"

#include <algorithm>
#include <cstring>

#include "origin/store/model/json.h"
#include "origin/store/model/number.h"
#include "origin/store/model/size.h"

namespace cdnlab::store {
namespace {

// The end of the JSON string whose opening quote is at `pos` (the index after its closing quote),
// or npos. Escapes are skipped, not decoded: memchr finds each quote, and a quote preceded by an
// odd run of backslashes is escaped.
size_t skipString(std::string_view s, size_t pos) {
  const char* base = s.data();
  for (size_t i = pos + 1; i < s.size();) {
    const void* quote = std::memchr(base + i, '"', s.size() - i);
    if (!quote) return std::string_view::npos;
    size_t at = static_cast<size_t>(static_cast<const char*>(quote) - base);
    size_t backslashes = 0;
    while (at - backslashes > pos + 1 && base[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at + 1;
    i = at + 1;
  }
  return std::string_view::npos;
}

// The end of the object or array that opens at `pos`, or npos. Iterative: a record nested
// arbitrarily deep cannot exhaust the stack.
size_t skipContainer(std::string_view s, size_t pos) {
  int depth = 0;
  for (size_t i = pos; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      i = skipString(s, i);
      if (i == std::string_view::npos) return i;
      --i;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// The UTF-8 length of a JSON string's contents as RapidJSON's writer escapes them (", \ and
// control characters; \u only below U+0020). Anything else declines.
std::optional<size_t> unescapedLength(std::string_view body) {
  if (body.find('\\') == std::string_view::npos) return body.size();
  size_t n = 0;
  for (size_t i = 0; i < body.size(); ++i, ++n) {
    if (body[i] != '\\') continue;
    if (i + 1 >= body.size()) return std::nullopt;
    if (body[i + 1] != 'u') {
      ++i;
      continue;
    }
    // \u00XX: one byte below 0x80. Other code points never come from our writer.
    if (i + 5 >= body.size() || body.substr(i + 2, 2) != "00" || body[i + 4] > '7') return std::nullopt;
    i += 5;
  }
  return n;
}

// The string value of a one-member object {"T":"..."} whose type prefix is `prefix`.
std::optional<std::string_view> stringBody(std::string_view json, std::string_view prefix) {
  if (json.size() < prefix.size() + 2 || json.substr(0, prefix.size()) != prefix || json.substr(json.size() - 2) != "\"}")
    return std::nullopt;
  size_t end = skipString(json, prefix.size() - 1);
  if (end != json.size() - 1) return std::nullopt;  // exactly one string, then the closing brace
  return json.substr(prefix.size(), json.size() - prefix.size() - 2);
}

// The end of {"S":"..."}, {"N":"..."} or {"B":"..."} opening at `pos` (one string, no nesting:
// no need to walk it character by character), or npos for any other value.
size_t scalarStringEnd(std::string_view s, size_t pos) {
  std::string_view head = s.substr(pos, 6);
  if (head != R"({"S":")" && head != R"({"N":")" && head != R"({"B":")") return std::string_view::npos;
  size_t end = skipString(s, pos + 5);
  if (end == std::string_view::npos || end >= s.size() || s[end] != '}') return std::string_view::npos;
  return end + 1;
}

}  // namespace

namespace {

// The size of a stored {"S"|"N"|"B":"<body>"} value from its type letter and its body (the
// string's characters as stored), without scanning the text again.
std::optional<size_t> scalarSize(char type, std::string_view body) {
  if (type == 'S') return unescapedLength(body);
  if (type == 'N') {
    auto num = Number::parse(body);
    if (!num) return std::nullopt;
    return num->storageSize();
  }
  if (body.size() % 4 != 0) return std::nullopt;
  size_t pad = body.ends_with("==") ? 2 : body.ends_with('=') ? 1 : 0;
  return body.size() / 4 * 3 - pad;
}

}  // namespace

std::optional<size_t> storedValueSize(std::string_view json) {
  if (auto s = stringBody(json, R"({"S":")")) return scalarSize('S', *s);
  if (auto n = stringBody(json, R"({"N":")")) return scalarSize('N', *n);
  if (auto b = stringBody(json, R"({"B":")")) return scalarSize('B', *b);
  if (json == R"({"BOOL":true})" || json == R"({"BOOL":false})" || json == R"({"NULL":true})") return 1;
  // Maps, lists and sets: the general parser (their size depends on every member).
  auto v = attributeValueFromJson(json);
  if (!v) return std::nullopt;
  return valueSize(*v);
}

std::optional<std::vector<TopLevelSet>> topLevelConstantSets(const expr::Update& update) {
  std::vector<TopLevelSet> sets;
  sets.reserve(update.actions.size());
  for (const auto& a : update.actions) {
    if (a.kind != expr::ast::UpdateAction::Kind::Set || a.path.elements.size() != 1 ||
        a.value.kind != expr::ast::UpdateValue::Kind::Value)
      return std::nullopt;
    sets.push_back(TopLevelSet{a.path.elements[0].name, &a.value.value});
  }
  std::sort(sets.begin(), sets.end(), [](const TopLevelSet& x, const TopLevelSet& y) { return x.name < y.name; });
  for (size_t i = 1; i < sets.size(); ++i)
    if (sets[i].name == sets[i - 1].name) return std::nullopt;  // the parser's overlap error belongs to the general path
  return sets;
}

namespace {

// `"name":{...}` as toJson writes one member. The buffer and writer are the thread's own, kept
// between calls, so a member costs no allocation once they have grown.
void appendMember(std::string& out, std::string_view name, const AttributeValue& value) {
  thread_local rapidjson::StringBuffer sb;
  thread_local JsonWriter w(sb);
  sb.Clear();
  w.Reset(sb);
  w.StartObject();
  w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  writeAttributeValue(value, w);
  w.EndObject();
  out.append(sb.GetString() + 1, sb.GetSize() - 2);  // without the braces
}

}  // namespace

std::optional<SplicedItem> spliceTopLevelSets(std::string_view stored, const std::vector<TopLevelSet>& sets) {
  if (stored.size() < 2 || stored.front() != '{' || stored.back() != '}') return std::nullopt;
  SplicedItem out;
  out.json.reserve(stored.size() + 128);
  out.json.push_back('{');
  size_t next = 0;  // the next of `sets` to place
  auto addNew = [&](const TopLevelSet& s) {
    if (out.json.size() > 1) out.json.push_back(',');
    appendMember(out.json, s.name, *s.value);
    out.newSize += s.name.size() + valueSize(*s.value);
  };
  std::string_view previous;
  bool first = true;
  size_t pos = 1;
  while (pos < stored.size() - 1) {
    if (!first) {
      if (stored[pos] != ',') return std::nullopt;
      ++pos;
    }
    // "name": the name must need no unescaping, so that the text is the name.
    if (pos >= stored.size() || stored[pos] != '"') return std::nullopt;
    size_t nameEnd = skipString(stored, pos);
    if (nameEnd == std::string_view::npos || nameEnd >= stored.size() || stored[nameEnd] != ':') return std::nullopt;
    std::string_view name = stored.substr(pos + 1, nameEnd - pos - 2);
    if (name.find('\\') != std::string_view::npos) return std::nullopt;
    if (!first && !(previous < name)) return std::nullopt;  // toJson writes names in map order
    size_t valueStart = nameEnd + 1;
    if (valueStart >= stored.size() || stored[valueStart] != '{') return std::nullopt;
    size_t valueEnd = scalarStringEnd(stored, valueStart);
    const bool scalar = valueEnd != std::string_view::npos;
    if (!scalar) valueEnd = skipContainer(stored, valueStart);
    if (valueEnd == std::string_view::npos || valueEnd > stored.size() - 1) return std::nullopt;
    std::string_view value = stored.substr(valueStart, valueEnd - valueStart);
    // {"T":"<body>"}: scalarStringEnd has found the body's end already.
    auto size = scalar ? scalarSize(value[2], value.substr(6, value.size() - 8)) : storedValueSize(value);
    if (!size) return std::nullopt;
    out.oldSize += name.size() + *size;

    while (next < sets.size() && sets[next].name < name) addNew(sets[next++]);
    if (next < sets.size() && sets[next].name == name) {
      out.replaced.push_back(ReplacedAttribute{name, value});
      addNew(sets[next++]);
    } else {
      if (out.json.size() > 1) out.json.push_back(',');
      out.json.append(stored.substr(pos, valueEnd - pos));
      out.newSize += name.size() + *size;
    }
    previous = name;
    first = false;
    pos = valueEnd;
  }
  if (pos != stored.size() - 1) return std::nullopt;
  while (next < sets.size()) addNew(sets[next++]);
  out.json.push_back('}');
  return out;
}

std::optional<size_t> storedItemSize(std::string_view stored) {
  auto scanned = spliceTopLevelSets(stored, {});  // nothing to set: the scan and the sizes
  if (!scanned) return std::nullopt;
  return scanned->oldSize;
}

}  // namespace cdnlab::store

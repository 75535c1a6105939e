// Seed files -> DynamoDB items (see seed_items.h).
#include "bench/run/seed_items.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace cdnlab::bench::run {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

size_t lineAt(std::string_view text, size_t offset) {
  size_t line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// A DynamoDB number: optional sign, digits with an optional fraction, optional exponent.
bool isNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

void writeValue(Writer& w, const rapidjson::Value& v) {
  w.StartObject();
  switch (v.GetType()) {
    case rapidjson::kNullType: w.Key("NULL"); w.Bool(true); break;
    case rapidjson::kFalseType: w.Key("BOOL"); w.Bool(false); break;
    case rapidjson::kTrueType: w.Key("BOOL"); w.Bool(true); break;
    case rapidjson::kStringType: w.Key("S"); w.String(v.GetString(), v.GetStringLength()); break;
    case rapidjson::kNumberType: break;  // parsed as strings (kParseNumbersAsStringsFlag)
    case rapidjson::kArrayType:
      w.Key("L");
      w.StartArray();
      for (const auto& e : v.GetArray()) writeValue(w, e);
      w.EndArray();
      break;
    case rapidjson::kObjectType:
      w.Key("M");
      w.StartObject();
      for (const auto& m : v.GetObject()) {
        w.Key(m.name.GetString(), m.name.GetStringLength());
        writeValue(w, m.value);
      }
      w.EndObject();
      break;
  }
  w.EndObject();
}

// The item's key attributes are there, with the declared type.
std::string checkKeys(const geo::TableSpec& t, const std::map<std::string, char>& types) {
  for (const std::string* k : {&t.key.partition, &t.key.sort}) {
    if (k->empty()) continue;
    auto it = types.find(*k);
    if (it == types.end()) return "missing the key attribute \"" + *k + "\"";
    auto want = t.attributes.find(*k);
    if (want != t.attributes.end() && want->second[0] != it->second)
      return "key attribute \"" + *k + "\" must be of type " + want->second;
  }
  return "";
}

Error seedError(const std::string& name, size_t line, const std::string& what) {
  return Error{1, name + ":" + std::to_string(line) + ": " + what};
}

// One CSV record starting at `pos`; false at the end of input. Fields are unquoted.
bool readCsvRecord(std::string_view text, size_t& pos, std::vector<std::string>& fields, std::string& err) {
  fields.clear();
  if (pos >= text.size()) return false;
  std::string field;
  bool quoted = false, wasQuoted = false;
  while (pos < text.size()) {
    char c = text[pos];
    if (quoted) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          field += '"';
          pos += 2;
          continue;
        }
        quoted = false;
        ++pos;
        continue;
      }
      field += c;
      ++pos;
      continue;
    }
    if (c == '"') {
      if (!field.empty() || wasQuoted) {
        err = "a quote inside an unquoted field";
        return false;
      }
      quoted = wasQuoted = true;
      ++pos;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      wasQuoted = false;
      ++pos;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      ++pos;
      fields.push_back(std::move(field));
      return true;
    } else {
      if (wasQuoted) {
        err = "text after a closing quote";
        return false;
      }
      field += c;
      ++pos;
    }
  }
  if (quoted) {
    err = "a quoted field is not closed";
    return false;
  }
  fields.push_back(std::move(field));
  return true;
}

}  // namespace

Result<std::vector<std::string>> seedItemsFromJson(std::string_view text, const std::string& name,
                                                   const geo::TableSpec& table) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(text.data(), text.size());
  if (doc.HasParseError())
    return seedError(name, lineAt(text, doc.GetErrorOffset()), rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsArray()) return seedError(name, 1, "must be a JSON array of items (objects)");
  // Numbers were kept as strings (their digits go to DynamoDB as written), which hides which
  // strings were numbers: a second parse keeps the types, and the two trees are walked together.
  rapidjson::Document typed;
  typed.Parse(text.data(), text.size());
  if (typed.HasParseError() || !typed.IsArray() || typed.Size() != doc.Size())
    return seedError(name, lineAt(text, typed.GetErrorOffset()), "not valid JSON");
  std::vector<std::string> items;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    const auto& item = doc[i];
    const auto& typedItem = typed[i];
    const std::string where = "item " + std::to_string(i);
    if (!item.IsObject()) return seedError(name, 1, where + ": must be an object");
    rapidjson::StringBuffer buf;
    Writer w(buf);
    std::map<std::string, char> types;
    std::function<void(const rapidjson::Value&, const rapidjson::Value&)> write = [&](const rapidjson::Value& raw,
                                                                                       const rapidjson::Value& t) {
      if (t.IsNumber()) {
        w.StartObject();
        w.Key("N");
        w.String(raw.GetString(), raw.GetStringLength());
        w.EndObject();
      } else if (t.IsArray()) {
        w.StartObject();
        w.Key("L");
        w.StartArray();
        for (rapidjson::SizeType k = 0; k < t.Size(); ++k) write(raw[k], t[k]);
        w.EndArray();
        w.EndObject();
      } else if (t.IsObject()) {
        w.StartObject();
        w.Key("M");
        w.StartObject();
        for (auto m = t.MemberBegin(); m != t.MemberEnd(); ++m) {
          w.Key(m->name.GetString(), m->name.GetStringLength());
          write(raw[m->name], m->value);
        }
        w.EndObject();
        w.EndObject();
      } else {
        writeValue(w, t);
      }
    };
    w.StartObject();
    for (auto m = typedItem.MemberBegin(); m != typedItem.MemberEnd(); ++m) {
      w.Key(m->name.GetString(), m->name.GetStringLength());
      write(item[m->name], m->value);
      types[m->name.GetString()] = m->value.IsNumber() ? 'N' : m->value.IsString() ? 'S' : '?';
    }
    w.EndObject();
    if (std::string e = checkKeys(table, types); !e.empty()) return seedError(name, 1, where + ": " + e);
    items.emplace_back(buf.GetString(), buf.GetSize());
  }
  return items;
}

Result<std::vector<std::string>> seedItemsFromCsv(std::string_view text, const std::string& name,
                                                  const geo::TableSpec& table) {
  size_t pos = 0, line = 1;
  std::vector<std::string> header;
  std::string err;
  if (!readCsvRecord(text, pos, header, err)) return seedError(name, 1, err.empty() ? "no header row" : err);
  struct Column {
    std::string name;
    std::string type;  // S, N, BOOL
  };
  std::vector<Column> cols;
  for (const auto& h : header) {
    Column c;
    auto colon = h.rfind(':');
    c.name = colon == std::string::npos ? h : h.substr(0, colon);
    c.type = colon == std::string::npos ? "" : h.substr(colon + 1);
    if (c.type.empty()) {
      auto declared = table.attributes.find(c.name);
      c.type = declared != table.attributes.end() && declared->second == "N" ? "N" : "S";
    }
    if (c.name.empty()) return seedError(name, 1, "an empty column name");
    if (c.type != "S" && c.type != "N" && c.type != "BOOL")
      return seedError(name, 1, "column \"" + h + "\": type must be S, N or BOOL");
    cols.push_back(std::move(c));
  }
  std::vector<std::string> items;
  std::vector<std::string> fields;
  while (true) {
    size_t start = pos;
    err.clear();
    const bool got = readCsvRecord(text, pos, fields, err);
    ++line;
    if (!err.empty()) return seedError(name, lineAt(text, start), err);
    if (!got) break;
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != cols.size())
      return seedError(name, lineAt(text, start),
                       std::to_string(fields.size()) + " fields, the header has " + std::to_string(cols.size()));
    rapidjson::StringBuffer buf;
    Writer w(buf);
    std::map<std::string, char> types;
    w.StartObject();
    for (size_t i = 0; i < cols.size(); ++i) {
      if (fields[i].empty()) continue;
      const Column& c = cols[i];
      w.Key(c.name.c_str(), static_cast<rapidjson::SizeType>(c.name.size()));
      w.StartObject();
      if (c.type == "N") {
        if (!isNumber(fields[i]))
          return seedError(name, lineAt(text, start), "column \"" + c.name + "\": \"" + fields[i] + "\" is not a number");
        w.Key("N");
        w.String(fields[i].c_str(), static_cast<rapidjson::SizeType>(fields[i].size()));
      } else if (c.type == "BOOL") {
        if (fields[i] != "true" && fields[i] != "false")
          return seedError(name, lineAt(text, start), "column \"" + c.name + "\": must be true or false");
        w.Key("BOOL");
        w.Bool(fields[i] == "true");
      } else {
        w.Key("S");
        w.String(fields[i].c_str(), static_cast<rapidjson::SizeType>(fields[i].size()));
      }
      w.EndObject();
      types[c.name] = c.type[0];
    }
    w.EndObject();
    if (std::string e = checkKeys(table, types); !e.empty()) return seedError(name, lineAt(text, start), e);
    items.emplace_back(buf.GetString(), buf.GetSize());
  }
  return items;
}

Result<std::vector<std::string>> seedItemsFromFile(const std::string& path, const geo::TableSpec& table) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{1, path + ": cannot read the seed file"};
  std::ostringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".csv") == 0) return seedItemsFromCsv(text, path, table);
  return seedItemsFromJson(text, path, table);
}

}  // namespace cdnlab::bench::run

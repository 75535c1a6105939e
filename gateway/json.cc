// JSON helpers (see json.h).
#include "gateway/json.h"

#include <rapidjson/error/en.h>

#include <chrono>

#include "gateway/utc_time.h"

namespace cdnlab::gateway {

void jmap(JsonWriter& w, std::string_view k, const StringMap& m) {
  jkey(w, k);
  w.StartObject();
  for (const auto& [n, v] : m) jkv(w, n, v);
  w.EndObject();
}

void jboolMap(JsonWriter& w, std::string_view k, const std::map<std::string, bool>& m) {
  jkey(w, k);
  w.StartObject();
  for (const auto& [n, v] : m) {
    jkey(w, n);
    w.Bool(v);
  }
  w.EndObject();
}

void jlist(JsonWriter& w, std::string_view k, const std::vector<std::string>& v) {
  jkey(w, k);
  w.StartArray();
  for (const auto& s : v) jstr(w, s);
  w.EndArray();
}

std::string jsonQuote(std::string_view s) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  jstr(w, s);
  return std::string(b.GetString(), b.GetSize());
}

bool JsonReader::fail(const char* name, const char* what) {
  if (err_.empty()) err_ = std::string("Invalid input: '") + name + "' must be " + what;
  return false;
}

bool JsonReader::str(const char* name, std::string& out) {
  if (!has(name)) return true;
  const auto& v = obj_[name];
  if (!v.IsString()) return fail(name, "a string");
  out.assign(v.GetString(), v.GetStringLength());
  return true;
}

bool JsonReader::boolean(const char* name, bool& out) {
  if (!has(name)) return true;
  const auto& v = obj_[name];
  if (!v.IsBool()) return fail(name, "a boolean");
  out = v.GetBool();
  return true;
}

bool JsonReader::integer(const char* name, int64_t& out) {
  if (!has(name)) return true;
  const auto& v = obj_[name];
  if (!v.IsInt64()) return fail(name, "an integer");
  out = v.GetInt64();
  return true;
}

bool JsonReader::number(const char* name, double& out) {
  if (!has(name)) return true;
  const auto& v = obj_[name];
  if (!v.IsNumber()) return fail(name, "a number");
  out = v.GetDouble();
  return true;
}

bool JsonReader::strMap(const char* name, StringMap& out) {
  if (!has(name)) return true;
  const auto& v = obj_[name];
  if (!v.IsObject()) return fail(name, "a map of strings");
  StringMap m;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (!it->value.IsString()) return fail(name, "a map of strings");
    m[std::string(it->name.GetString(), it->name.GetStringLength())] =
        std::string(it->value.GetString(), it->value.GetStringLength());
  }
  out = std::move(m);
  return true;
}

bool JsonReader::strList(const char* name, std::vector<std::string>& out) {
  if (!has(name)) return true;
  const auto& v = obj_[name];
  if (!v.IsArray()) return fail(name, "a list of strings");
  std::vector<std::string> l;
  for (const auto& e : v.GetArray()) {
    if (!e.IsString()) return fail(name, "a list of strings");
    l.emplace_back(e.GetString(), e.GetStringLength());
  }
  out = std::move(l);
  return true;
}

const rapidjson::Value* JsonReader::object(const char* name) {
  if (!has(name)) return nullptr;
  const auto& v = obj_[name];
  if (!v.IsObject()) {
    fail(name, "an object");
    return nullptr;
  }
  return &v;
}

Result<bool> parseJson(std::string_view text, rapidjson::Document& doc) {
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError())
    return Error{400, std::string("Invalid JSON at offset ") + std::to_string(doc.GetErrorOffset()) + ": " +
                          rapidjson::GetParseError_En(doc.GetParseError())};
  return true;
}

std::string isoTime(int64_t epochMs) { return formatUtc(epochMs, "%Y-%m-%dT%H:%M:%SZ"); }

int64_t wallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace cdnlab::gateway

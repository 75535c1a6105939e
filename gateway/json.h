// JSON helpers shared by the gateway (RapidJSON, as the store uses): a streaming writer with
// string_view overloads, and typed reads from a parsed object that report the member by name.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void jkey(JsonWriter& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
inline void jstr(JsonWriter& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
inline void jkv(JsonWriter& w, std::string_view k, std::string_view v) {
  jkey(w, k);
  jstr(w, v);
}
inline void jbool(JsonWriter& w, std::string_view k, bool v) {
  jkey(w, k);
  w.Bool(v);
}
inline void jint(JsonWriter& w, std::string_view k, int64_t v) {
  jkey(w, k);
  w.Int64(v);
}
// A string member only when it is not empty (AWS leaves unset members out).
inline void jstrIf(JsonWriter& w, std::string_view k, const std::string& v) {
  if (!v.empty()) jkv(w, k, v);
}
void jmap(JsonWriter& w, std::string_view k, const StringMap& m);
void jboolMap(JsonWriter& w, std::string_view k, const std::map<std::string, bool>& m);
void jlist(JsonWriter& w, std::string_view k, const std::vector<std::string>& v);
// A map or list member only when it is not empty (as jstrIf).
inline void jmapIf(JsonWriter& w, std::string_view k, const StringMap& m) {
  if (!m.empty()) jmap(w, k, m);
}
inline void jlistIf(JsonWriter& w, std::string_view k, const std::vector<std::string>& v) {
  if (!v.empty()) jlist(w, k, v);
}

// The text `fn` writes: renderJson([&](JsonWriter& w) { ... }).
template <typename Fn>
std::string renderJson(Fn&& fn) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  fn(w);
  return std::string(b.GetString(), b.GetSize());
}
// A JSON string literal with quotes ("a\"b").
std::string jsonQuote(std::string_view s);

// Typed member reads. Absent members leave `out` alone and return true; a member of the wrong type
// sets `err` ("Invalid input: 'name' must be a string") and returns false.
class JsonReader {
 public:
  explicit JsonReader(const rapidjson::Value& obj) : obj_(obj) {}
  bool has(const char* name) const { return obj_.IsObject() && obj_.HasMember(name) && !obj_[name].IsNull(); }
  bool str(const char* name, std::string& out);
  bool boolean(const char* name, bool& out);
  bool integer(const char* name, int64_t& out);
  bool number(const char* name, double& out);
  bool strMap(const char* name, StringMap& out);
  bool strList(const char* name, std::vector<std::string>& out);
  const rapidjson::Value* object(const char* name);  // nullptr when absent; error when not an object
  const std::string& error() const { return err_; }
  bool ok() const { return err_.empty(); }
  // ok() as a Result: the 400 naming the first member of the wrong type, or true.
  Result<bool> result() const {
    if (!ok()) return Error{400, err_};
    return true;
  }

 private:
  bool fail(const char* name, const char* what);
  const rapidjson::Value& obj_;
  std::string err_;
};

// Parses a whole text; the error names the byte offset and RapidJSON's reason.
Result<bool> parseJson(std::string_view text, rapidjson::Document& doc);

// RFC 3339 UTC with seconds ("2024-01-01T00:00:00Z") from epoch milliseconds.
std::string isoTime(int64_t epochMs);
int64_t wallMs();

}  // namespace cdnlab::gateway

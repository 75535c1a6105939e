// One list of a REST API object's JSON members, used both ways: a function template
// `members(io, object)` names each member once, and MemberWriter writes them (leaving empty
// optional ones out, as AWS does) while MemberReader reads them with JsonReader's typed checks.
// So the management API's answers and the persisted state cannot drift apart member by member.
// Beside them, the readers and writers of the members that hold many objects: a list of them
// ([...]) or a map of them by name ({"200": {...}}).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gateway/json.h"

namespace cdnlab::gateway {

class MemberWriter {
 public:
  explicit MemberWriter(JsonWriter& w) : w_(w) {}
  void str(const char* k, const std::string& v) { jkv(w_, k, v); }
  void optStr(const char* k, const std::string& v) { jstrIf(w_, k, v); }
  void boolean(const char* k, bool v) { jbool(w_, k, v); }
  void integer(const char* k, int64_t v) { jint(w_, k, v); }
  void optList(const char* k, const std::vector<std::string>& v) { jlistIf(w_, k, v); }
  void optMap(const char* k, const std::map<std::string, std::string>& v) { jmapIf(w_, k, v); }

 private:
  JsonWriter& w_;
};

class MemberReader {
 public:
  explicit MemberReader(const rapidjson::Value& o) : r_(o) {}
  void str(const char* k, std::string& v) { r_.str(k, v); }
  void optStr(const char* k, std::string& v) { r_.str(k, v); }
  void boolean(const char* k, bool& v) { r_.boolean(k, v); }
  void integer(const char* k, int64_t& v) { r_.integer(k, v); }
  void optList(const char* k, std::vector<std::string>& v) { r_.strList(k, v); }
  void optMap(const char* k, std::map<std::string, std::string>& v) { r_.strMap(k, v); }
  Result<bool> result() const { return r_.result(); }

 private:
  JsonReader r_;
};

// {"...": ...} of `object` with its members(io, object).
template <typename T, typename Members>
void writeMembers(JsonWriter& w, const T& object, Members&& members) {
  MemberWriter io(w);
  w.StartObject();
  members(io, object);
  w.EndObject();
}

// Reads `object` from `o` (an error names the member of the wrong type; `what` says what `o` is).
template <typename T, typename Members>
Result<bool> readMembers(const rapidjson::Value& o, const char* what, T& object, Members&& members) {
  if (!o.IsObject()) return Error{400, std::string("Invalid input: ") + what + " must be an object"};
  MemberReader io(o);
  members(io, object);
  return io.result();
}

// "name": [ writeOne(each) ].
template <typename C, typename Fn>
void writeList(JsonWriter& w, std::string_view name, const C& items, Fn&& writeOne) {
  jkey(w, name);
  w.StartArray();
  for (const auto& e : items) writeOne(w, e);
  w.EndArray();
}

// Reads the list member `name` of `o` with `readOne` (absent or null: nothing to read).
template <typename T, typename Fn>
Result<bool> readList(const rapidjson::Value& o, const char* name, std::vector<T>& out, Fn&& readOne) {
  if (!o.HasMember(name) || o[name].IsNull()) return true;
  if (!o[name].IsArray()) return Error{400, std::string("Invalid input: '") + name + "' must be a list"};
  for (const auto& e : o[name].GetArray()) {
    T v;
    if (auto r = readOne(e, v); !r) return r;
    out.push_back(std::move(v));
  }
  return true;
}

// "name": {"key": writeOne(value), ...} of a map of objects.
template <typename M, typename Fn>
void writeObjectMap(JsonWriter& w, std::string_view name, const M& objects, Fn&& writeOne) {
  jkey(w, name);
  w.StartObject();
  for (const auto& [key, object] : objects) {
    jkey(w, key);
    writeOne(w, object);
  }
  w.EndObject();
}

// Reads a map of objects keyed by one of their members (a method by its httpMethod, a response by
// its statusCode): each is read with `readOne`, and where it leaves its key member empty the
// member's name in the map fills it.
template <typename T, typename Fn>
Result<bool> readObjectMap(const rapidjson::Value& objects, std::string T::*key, std::map<std::string, T>& out,
                           Fn&& readOne) {
  for (auto it = objects.MemberBegin(); it != objects.MemberEnd(); ++it) {
    T object;
    if (auto r = readOne(it->value, object); !r) return r;
    if ((object.*key).empty()) object.*key = it->name.GetString();
    out[object.*key] = std::move(object);
  }
  return true;
}

}  // namespace cdnlab::gateway

// One list of a REST API object's JSON members, used both ways: a function template
// `members(io, object)` names each member once, and MemberWriter writes them (leaving empty
// optional ones out, as AWS does) while MemberReader reads them with JsonReader's typed checks.
// So the management API's answers and the persisted state cannot drift apart member by member.
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
  void optList(const char* k, const std::vector<std::string>& v) {
    if (!v.empty()) jlist(w_, k, v);
  }
  void optMap(const char* k, const std::map<std::string, std::string>& v) {
    if (!v.empty()) jmap(w_, k, v);
  }

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
  Result<bool> result() const {
    if (!r_.ok()) return Error{400, r_.error()};
    return true;
  }

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

}  // namespace cdnlab::gateway

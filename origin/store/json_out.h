// JSON writing helpers for responses (RapidJSON's streaming Writer, no DOM).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <string_view>

#include "origin/store/model/json.h"
#include "origin/store/model/json_string.h"

namespace cdnlab::store {

inline void key(JsonWriter& w, std::string_view k) { writeJsonString(w, k); }
inline void str(JsonWriter& w, std::string_view s) { writeJsonString(w, s); }
inline void kv(JsonWriter& w, std::string_view k, std::string_view v) {
  key(w, k);
  str(w, v);
}

// Splices `json`, already a valid JSON value (a stored item's DynamoDB JSON), into the writer's
// output with one memcpy: RapidJSON's own RawValue copies it a character at a time, which was a
// quarter of a GetItem's instructions. `sb` must be the buffer `w` writes to.
inline void rawValue(JsonWriter& w, rapidjson::StringBuffer& sb, std::string_view json, rapidjson::Type type) {
  w.RawValue("", 0, type);  // the separator and the writer's bookkeeping for one value
  std::memcpy(sb.Push(json.size()), json.data(), json.size());
}

}  // namespace cdnlab::store

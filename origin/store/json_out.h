// JSON writing helpers for responses (RapidJSON's streaming Writer, no DOM).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string_view>

#include "origin/store/model/json.h"

namespace cdnlab::store {

inline void key(JsonWriter& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
inline void str(JsonWriter& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
inline void kv(JsonWriter& w, std::string_view k, std::string_view v) {
  key(w, k);
  str(w, v);
}

}  // namespace cdnlab::store

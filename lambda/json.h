// JSON at the Lambda service's edges: a thin writer over RapidJSON (API responses, persisted
// function records) and typed readers that turn a wrong type into a message naming the field.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdnlab::lambda {

class JsonWriter {
 public:
  JsonWriter() : w_(buf_) {}
  JsonWriter& startObject() { w_.StartObject(); return *this; }
  JsonWriter& endObject() { w_.EndObject(); return *this; }
  JsonWriter& startArray() { w_.StartArray(); return *this; }
  JsonWriter& endArray() { w_.EndArray(); return *this; }
  JsonWriter& key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); return *this; }
  JsonWriter& string(std::string_view v) {
    w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    return *this;
  }
  JsonWriter& integer(int64_t v) { w_.Int64(v); return *this; }
  JsonWriter& boolean(bool v) { w_.Bool(v); return *this; }
  JsonWriter& null() { w_.Null(); return *this; }
  // Inserts already-serialized JSON as one value.
  JsonWriter& raw(std::string_view json) {
    w_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    return *this;
  }
  std::string take() { return std::string(buf_.GetString(), buf_.GetSize()); }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

// Parses a request body that must be a JSON object (empty body: an empty object).
Result<rapidjson::Document> parseObject(std::string_view body);

// Typed member access: nullopt when absent (or null); an Error naming `field` when of the wrong type.
Result<std::optional<std::string>> getString(const rapidjson::Value& obj, const char* field);
Result<std::optional<int64_t>> getInt(const rapidjson::Value& obj, const char* field);
Result<std::optional<bool>> getBool(const rapidjson::Value& obj, const char* field);
// True when `body` is one well-formed JSON value (the Invoke payload check).
bool isJsonValue(std::string_view body);

}  // namespace cdnlab::lambda

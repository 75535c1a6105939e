// DynamoDB JSON <-> AttributeValue (see json.h for the library choice).
#include "origin/store/model/json.h"

#include <rapidjson/error/en.h>

#include "origin/store/model/attribute_name.h"
#include "origin/store/model/base64.h"
#include "origin/store/model/json_depth.h"
#include "origin/store/model/json_string.h"

namespace cdnlab::store {
namespace {

Error validation(std::string message) { return Error{kValidationError, std::move(message)}; }
Error serialization(std::string message) { return Error{kSerializationError, std::move(message)}; }

// DynamoDB's message when a base64 text does not decode (SerializationException).
Result<std::string> decodeBinary(const rapidjson::Value& v) {
  if (!v.IsString()) return serialization("Unexpected value type in payload: expected a base64 string");
  std::string_view text(v.GetString(), v.GetStringLength());
  if (text.size() % 4 != 0) {
    return serialization("'" + std::string(text) +
                         "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: " +
                         std::to_string(text.size()));
  }
  auto bytes = base64Decode(text);
  if (!bytes) return serialization("'" + std::string(text) + "' can not be converted to a Blob: Invalid Base64 character");
  return *bytes;
}

// DynamoDB allows 32 levels in an attribute value: up to 31 M/L wrappers above a scalar (AWS
// accepts 31 and refuses 32 with this message). The limit also bounds our recursion on untrusted input.
constexpr int kMaxNesting = 32;
constexpr const char* kTooDeep = kNestingTooDeepMessage;

Result<AttributeValue> parseValueAt(const rapidjson::Value& json, int depth);
Result<AttributeMap> parseMapAt(const rapidjson::Value& json, int depth);

Result<AttributeValue> parseTyped(ValueType type, const rapidjson::Value& v, int depth) {
  switch (type) {
    case ValueType::S:
      if (!v.IsString()) return serialization("Unexpected value type in payload: S must be a string");
      return AttributeValue::string(std::string(v.GetString(), v.GetStringLength()));
    case ValueType::N: {
      if (!v.IsString()) return serialization("Unexpected value type in payload: N must be a string");
      auto n = Number::parse(std::string_view(v.GetString(), v.GetStringLength()));
      if (!n) return n.error();
      return AttributeValue::number(std::move(*n));
    }
    case ValueType::B: {
      auto bytes = decodeBinary(v);
      if (!bytes) return bytes.error();
      return AttributeValue::binary(std::move(*bytes));
    }
    case ValueType::BOOL:
      if (!v.IsBool()) return serialization("Unexpected value type in payload: BOOL must be a boolean");
      return AttributeValue::boolean(v.GetBool());
    case ValueType::NUL:
      if (!v.IsBool()) return serialization("Unexpected value type in payload: NULL must be a boolean");
      if (!v.GetBool()) {
        return validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
      }
      return AttributeValue::null();
    case ValueType::M: {
      if (!v.IsObject()) return serialization("Unexpected value type in payload: M must be a map");
      if (depth + 1 >= kMaxNesting) return validation(kTooDeep);
      auto m = parseMapAt(v, depth + 1);
      if (!m) return m.error();
      return AttributeValue::map(std::move(*m));
    }
    case ValueType::L: {
      if (!v.IsArray()) return serialization("Unexpected value type in payload: L must be a list");
      if (depth + 1 >= kMaxNesting) return validation(kTooDeep);
      AttributeList list;
      list.reserve(v.Size());
      for (const auto& e : v.GetArray()) {
        auto item = parseValueAt(e, depth + 1);
        if (!item) return item.error();
        list.push_back(std::move(*item));
      }
      return AttributeValue::list(std::move(list));
    }
    case ValueType::SS: {
      if (!v.IsArray()) return serialization("Unexpected value type in payload: SS must be a list");
      std::vector<std::string> members;
      for (const auto& e : v.GetArray()) {
        if (!e.IsString()) return serialization("Unexpected value type in payload: SS members must be strings");
        members.emplace_back(e.GetString(), e.GetStringLength());
      }
      return AttributeValue::stringSet(std::move(members));
    }
    case ValueType::NS: {
      if (!v.IsArray()) return serialization("Unexpected value type in payload: NS must be a list");
      std::vector<Number> members;
      for (const auto& e : v.GetArray()) {
        if (!e.IsString()) return serialization("Unexpected value type in payload: NS members must be strings");
        auto n = Number::parse(std::string_view(e.GetString(), e.GetStringLength()));
        if (!n) return n.error();
        members.push_back(std::move(*n));
      }
      return AttributeValue::numberSet(std::move(members));
    }
    case ValueType::BS: {
      if (!v.IsArray()) return serialization("Unexpected value type in payload: BS must be a list");
      std::vector<std::string> members;
      for (const auto& e : v.GetArray()) {
        auto bytes = decodeBinary(e);
        if (!bytes) return bytes.error();
        members.push_back(std::move(*bytes));
      }
      return AttributeValue::binarySet(std::move(members));
    }
  }
  return validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
}

Result<AttributeValue> parseValueAt(const rapidjson::Value& json, int depth) {
  if (!json.IsObject()) return serialization("Unexpected value type in payload: an AttributeValue must be a structure");
  // Members we do not know and members set to null are ignored, as DynamoDB's deserializer does;
  // the rest must be exactly one datatype. Each member is validated before "more than one" is reported.
  std::optional<AttributeValue> found;
  int count = 0;
  for (const auto& member : json.GetObject()) {
    if (member.value.IsNull()) continue;
    auto type = typeFromName(std::string_view(member.name.GetString(), member.name.GetStringLength()));
    if (!type) continue;
    auto value = parseTyped(*type, member.value, depth);
    if (!value) return value.error();
    if (count++ == 0) found = std::move(*value);
  }
  if (count == 0) return validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (count > 1) {
    return validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
  }
  return std::move(*found);
}

Result<AttributeMap> parseMapAt(const rapidjson::Value& json, int depth) {
  if (!json.IsObject()) return serialization("Unexpected value type in payload: expected a map of attribute values");
  AttributeMap map;
  for (const auto& member : json.GetObject()) {
    if (member.name.GetStringLength() > kMaxAttributeNameBytes) return validation(kAttributeNameTooLarge);
    auto value = parseValueAt(member.value, depth);
    if (!value) return value.error();
    // A repeated JSON key: the last one wins, as in the JSON deserializers the SDKs talk to.
    map.insert_or_assign(std::string(member.name.GetString(), member.name.GetStringLength()), std::move(*value));
  }
  return map;
}

}  // namespace

Result<AttributeValue> parseAttributeValue(const rapidjson::Value& json) { return parseValueAt(json, 0); }
Result<AttributeMap> parseAttributeMap(const rapidjson::Value& json) { return parseMapAt(json, 0); }

void writeAttributeValue(const AttributeValue& value, JsonWriter& out) {
  out.StartObject();
  std::string_view name = typeName(value.type());
  writeJsonString(out, name);
  auto writeString = [&](std::string_view s) { writeJsonString(out, s); };
  switch (value.type()) {
    case ValueType::S: writeString(value.s()); break;
    case ValueType::N: writeString(value.n().toString()); break;
    case ValueType::B: writeString(base64Encode(value.b())); break;
    case ValueType::BOOL: out.Bool(value.boolValue()); break;
    case ValueType::NUL: out.Bool(true); break;
    case ValueType::M: writeAttributeMap(value.m(), out); break;
    case ValueType::L:
      out.StartArray();
      for (const auto& e : value.l()) writeAttributeValue(e, out);
      out.EndArray();
      break;
    case ValueType::SS:
      out.StartArray();
      for (const auto& e : value.ss()) writeString(e);
      out.EndArray();
      break;
    case ValueType::NS:
      out.StartArray();
      for (const auto& e : value.ns()) writeString(e.toString());
      out.EndArray();
      break;
    case ValueType::BS:
      out.StartArray();
      for (const auto& e : value.bs()) writeString(base64Encode(e));
      out.EndArray();
      break;
  }
  out.EndObject();
}

void writeAttributeMap(const AttributeMap& map, JsonWriter& out) {
  out.StartObject();
  for (const auto& [name, value] : map) {
    writeJsonString(out, name);
    writeAttributeValue(value, out);
  }
  out.EndObject();
}

namespace {
Result<rapidjson::Document> parseText(std::string_view text) {
  if (jsonNestsDeeperThan(text)) {
    if (isWellFormedJsonObject(text)) return validation(kTooDeep);
    return serialization("Invalid JSON: nested more than " + std::to_string(kMaxJsonDepth) + " levels deep");
  }
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return serialization(std::string("Invalid JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  return doc;
}
}  // namespace

Result<AttributeValue> attributeValueFromJson(std::string_view text) {
  auto doc = parseText(text);
  if (!doc) return doc.error();
  return parseAttributeValue(*doc);
}

Result<AttributeMap> attributeMapFromJson(std::string_view text) {
  auto doc = parseText(text);
  if (!doc) return doc.error();
  return parseAttributeMap(*doc);
}

std::string toJson(const AttributeValue& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writeAttributeValue(value, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string toJson(const AttributeMap& map) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writeAttributeMap(map, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace cdnlab::store

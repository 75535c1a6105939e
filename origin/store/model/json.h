// DynamoDB JSON <-> the data model: {"S":"x"}, {"N":"1.5"}, {"B":"<base64>"}, {"SS":[...]},
// {"M":{...}}, {"L":[...]}, {"NULL":true}, {"BOOL":false}. The wire protocol (the engine's request
// parser) hands each AttributeValue / Item JSON node to these functions and writes responses with them.
//
// JSON library: RapidJSON (Debian rapidjson-dev, header-only). simdjson or RapidJSON were the candidates;
// simdjson only parses, and every response of the store is JSON we must write (items, error bodies),
// so one library that does both, with an in-place DOM and a streaming Writer that needs no
// intermediate tree, keeps one code path. bench/micro/json_bench.cc measures the parse side.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/result.h"
#include "origin/store/model/value.h"

namespace cdnlab::store {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Parses one AttributeValue node ({"S":"x"} ...). Errors (code kValidationError) use DynamoDB's
// wording, e.g. "Supplied AttributeValue is empty, must contain exactly one of the supported
// datatypes", "Supplied AttributeValue has more than one datatypes set, must contain exactly one of
// the supported datatypes", "One or more parameter values were invalid: An number set  may not be
// empty", "Input collection [a, a] contains duplicates.", number errors as model/number.h.
Result<AttributeValue> parseAttributeValue(const rapidjson::Value& json);

// Parses an object of attribute name -> AttributeValue (Item, Key, ExpressionAttributeValues, ...).
Result<AttributeMap> parseAttributeMap(const rapidjson::Value& json);

// Writes {"S":"x"} etc.; B and BS are base64 (RFC 4648, with padding), N in normalised form.
void writeAttributeValue(const AttributeValue& value, JsonWriter& out);
// Writes {"name": {...}, ...}.
void writeAttributeMap(const AttributeMap& map, JsonWriter& out);

// Conveniences over a whole text (tests, the CLI, the storage engine's value encoding if it wants JSON).
Result<AttributeValue> attributeValueFromJson(std::string_view text);
Result<AttributeMap> attributeMapFromJson(std::string_view text);
std::string toJson(const AttributeValue& value);
std::string toJson(const AttributeMap& map);

}  // namespace cdnlab::store

// Reading request members with DynamoDB's validation wording ("1 validation error detected: ...").
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

#include "origin/store/api_error.h"
#include "origin/store/expr/expr.h"
#include "origin/store/model/json.h"

namespace cdnlab::store {

// An Integer/Long member's value as AWS's JSON reader takes it: a decimal is floored (1.7 -> 1),
// as Coral converts it; nullopt for a non-number or one beyond int64.
std::optional<int64_t> integerValue(const rapidjson::Value& v);

const rapidjson::Value* member(const rapidjson::Value& o, const char* name);
// A string member; nullopt when absent or null. A non-string sets err (SerializationException).
std::optional<std::string_view> stringMember(const rapidjson::Value& o, const char* name, ApiError& err);
bool boolMember(const rapidjson::Value& o, const char* name, bool dflt);

// An AttributeMap member (Item, Key, ExclusiveStartKey); nullopt when absent; sets err on a bad value.
std::optional<Item> itemMember(const rapidjson::Value& o, const char* name, ApiError& err);

// ExpressionAttributeNames / ExpressionAttributeValues, for one Placeholders.
struct ExpressionMaps {
  std::optional<expr::NameMap> names;
  std::optional<expr::ValueMap> values;
  expr::Placeholders placeholders() const {
    return expr::Placeholders(names ? &*names : nullptr, values ? &*values : nullptr);
  }
};

// A placeholder as DynamoDB accepts it in ExpressionAttributeNames / ExpressionAttributeValues:
// the sigil ('#' or ':') and then one or more of [0-9a-zA-Z_].
bool isPlaceholderKey(std::string_view key, char sigil);

bool readExpressionMaps(const rapidjson::Value& o, ExpressionMaps& maps, ApiError& err);

// "1 validation error detected: Value '<v>' at '<field>' failed to satisfy constraint: <c>"
ApiError constraintError(std::string_view value, std::string_view field, std::string_view constraint);

// Validates a table name as DynamoDB does (3..255 chars of [a-zA-Z0-9_.-]).
bool validateTableName(std::string_view name, std::string_view field, ApiError& err);

// ReturnConsumedCapacity: NONE (default), TOTAL, INDEXES.
enum class CapacityMode { None, Total, Indexes };
bool readCapacityMode(const rapidjson::Value& o, CapacityMode& mode, ApiError& err);

// Capacity units as DynamoDB computes them: reads per 4 KB (halved when eventually consistent),
// writes per 1 KB, each rounded up, at least one unit.
double readUnits(size_t bytes, bool consistent);
double writeUnits(size_t bytes);
// writeUnits without metering it (an index entry's share, metered by the operation that reports it).
double writeUnitsFor(size_t bytes);
void writeConsumedCapacity(JsonWriter& w, std::string_view table, double units, CapacityMode mode);

}  // namespace cdnlab::store

// Pieces shared by the single-item, batch and transaction operations.
#pragma once

#include <optional>
#include <string>

#include "origin/store/api_error.h"
#include "origin/store/expr/expr.h"
#include "origin/store/json_out.h"
#include "origin/store/request_util.h"
#include "origin/store/table.h"

namespace cdnlab::store {

// Parses an optional condition-like expression member (ConditionExpression, FilterExpression).
bool parseOptionalCondition(const rapidjson::Value& o, const char* name, expr::ExpressionKind kind,
                            expr::Placeholders& ph, std::optional<expr::Condition>& out, ApiError& err);
bool parseOptionalProjection(const rapidjson::Value& o, expr::Placeholders& ph, std::optional<expr::Projection>& out,
                             ApiError& err);
// Legacy AttributesToGet as a projection of top-level names.
bool readAttributesToGet(const rapidjson::Value& o, std::optional<expr::Projection>& out, ApiError& err);
// "Duplicate value in attribute name" for a repeated AttributesToGet entry.
bool checkDuplicateAttributesToGet(const rapidjson::Value& o, ApiError& err);
// Rejects the legacy parameters we do not implement, naming them, rather than ignoring them.
bool rejectLegacy(const rapidjson::Value& o, std::initializer_list<const char*> names, ApiError& err);

// ReturnValues / ReturnValuesOnConditionCheckFailure.
enum class ReturnValues { None, AllOld, UpdatedOld, AllNew, UpdatedNew };
bool readReturnValues(const rapidjson::Value& o, bool updateAllowed, ReturnValues& rv, ApiError& err);
bool readReturnOnFailure(const rapidjson::Value& o, bool& allOld, ApiError& err);

// A ConditionalCheckFailedException, carrying the old item when asked.
ApiError conditionFailedWith(const Item* old, bool returnOld);

// ReturnItemCollectionMetrics=SIZE on a table with local indexes.
bool wantsCollectionMetrics(const rapidjson::Value& o, ApiError& err);
void writeCollectionMetrics(JsonWriter& w, const TableDesc& t, const Item& item);

ApiError fromExpr(const Error& e);

// Every ExpressionAttributeNames/Values entry must be used by some expression of the request.
bool checkAllUsed(const expr::Placeholders& ph, ApiError& err);

// The ConsumedCapacity member of a multi-table response, one entry per (table, units) pair;
// absent when capacity was not asked for.
template <typename Units>
void writeConsumedCapacities(JsonWriter& w, const Units& units, CapacityMode cap) {
  if (cap == CapacityMode::None) return;
  key(w, "ConsumedCapacity");
  w.StartArray();
  for (const auto& [table, u] : units) writeConsumedCapacity(w, table, u, cap);
  w.EndArray();
}

}  // namespace cdnlab::store

// DynamoDB's pre-expression ("legacy") request parameters, translated into the expression ASTs so
// that one evaluator serves both: Expected + ConditionalOperator (a Condition), QueryFilter /
// ScanFilter (a Condition), AttributeUpdates (an Update), KeyConditions (a KeyCondition).
// Validation and messages follow AWS (argument counts per ComparisonOperator, Value/Exists
// combinations, mixing with expression parameters).
#pragma once

#include <rapidjson/document.h>

#include <initializer_list>
#include <optional>

#include "origin/store/api_error.h"
#include "origin/store/expr/expr.h"

namespace cdnlab::store::legacy {

// "Can not use both expression and non-expression parameters in the same request: ..." and the
// ExpressionAttributeNames/Values-without-expressions errors.
bool checkExpressionParams(const rapidjson::Value& d, std::initializer_list<const char*> expressions,
                           std::initializer_list<const char*> nonExpressions, ApiError& err);

// Expected (+ ConditionalOperator) as a Condition; out stays empty when Expected is absent.
bool readExpected(const rapidjson::Value& d, std::optional<expr::Condition>& out, ApiError& err);

// QueryFilter / ScanFilter (+ ConditionalOperator) as a Condition.
bool readConditionsFilter(const rapidjson::Value& d, const char* member, std::optional<expr::Condition>& out,
                          ApiError& err);

// Validates the shape of a Conditions map (KeyConditions, QueryFilter, ScanFilter): argument
// counts, types per operator, BETWEEN bounds.
bool validateConditions(const rapidjson::Value* conditions, ApiError& err);

// AttributeUpdates as an Update (PUT / ADD / DELETE).
bool readAttributeUpdates(const rapidjson::Value& d, std::optional<expr::Update>& out, ApiError& err);

// KeyConditions against the key schema of the table or index a Query reads.
bool readKeyConditions(const rapidjson::Value& d, const expr::KeySchema& schema, expr::KeyCondition& out,
                       ApiError& err);

}  // namespace cdnlab::store::legacy

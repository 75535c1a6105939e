// A parsed statement with its parameters given: values become AttributeValues, the WHERE clause
// becomes the store's condition tree (expr/ast.h) so that the evaluator ConditionExpression uses
// decides it, and SET / REMOVE become the store's update actions. Checks that need no table run
// here, before the table is looked up, as DynamoDB orders them: the parameter count, and an
// ordering operator (< <= > >= BETWEEN) given an operand type with no order.
#pragma once

#include <optional>
#include <vector>

#include "common/result.h"
#include "origin/store/expr/expr.h"
#include "origin/store/partiql/ast.h"

namespace cdnlab::store::partiql {

struct Bound {
  std::optional<expr::Condition> where;  // absent: no WHERE
  Item value;                            // INSERT's item
  expr::Update update;                   // UPDATE's actions
};

Result<Bound> bindStatement(const Statement& s, const std::vector<AttributeValue>& params);

// The value of a constant expression: a literal, a parameter, or a constructor of them.
Result<AttributeValue> constantValue(const Expr& e, const std::vector<AttributeValue>& params);

}  // namespace cdnlab::store::partiql

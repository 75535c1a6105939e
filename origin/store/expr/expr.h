// The expression API the store engine calls: parse each expression of a request once (against one
// Placeholders for the whole request), then evaluate it against items. One lexer and one parser
// serve all five kinds (ConditionExpression, FilterExpression, KeyConditionExpression,
// ProjectionExpression, UpdateExpression). Pure code: no I/O, no storage, no exceptions; every
// error is a Result with code kValidationError and DynamoDB's message (the engine answers it as a
// ValidationException).
//
// Typical use (UpdateItem):
//   expr::Placeholders ph(namesOrNull, valuesOrNull);
//   auto update = expr::parseUpdate(req.updateExpression, ph);          if (!update) -> 400
//   auto cond = expr::parseCondition(req.conditionExpression, ph);      if (!cond) -> 400
//   if (auto used = ph.checkUnused(); !used) -> 400
//   ... read old item ...
//   if (!expr::evaluate(*cond, old)) -> ConditionalCheckFailedException
//   auto out = expr::applyUpdate(*update, old);                         if (!out) -> 400
//   write out->item; ReturnValues UPDATED_NEW = expr::projectPaths(out->updatedPaths, out->item)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "origin/store/expr/ast.h"
#include "origin/store/expr/path.h"
#include "origin/store/expr/placeholders.h"
#include "origin/store/model/value.h"

namespace cdnlab::store::expr {

// Which request parameter an expression came from: it names the parameter in error messages
// ("Invalid FilterExpression: Syntax error; token: ...").
enum class ExpressionKind { Condition, Filter, KeyCondition, Projection, Update };
std::string_view parameterName(ExpressionKind kind);  // "ConditionExpression", ...

// ---- ConditionExpression / FilterExpression ----

struct Condition {
  std::shared_ptr<const ast::Node> root;
  // Top-level attribute names the condition reads (a Query's FilterExpression may not read key
  // attributes: the engine checks with this).
  std::vector<std::string> topLevelNames() const;
};

// kind is Condition or Filter (only the wording of errors differs).
Result<Condition> parseCondition(std::string_view text, Placeholders& placeholders,
                                 ExpressionKind kind = ExpressionKind::Condition);

// True when the item satisfies the condition. An absent item is the empty Item. Comparisons of
// mismatched types are false, as DynamoDB evaluates them; evaluation never fails.
bool evaluate(const Condition& condition, const Item& item);

// ---- ProjectionExpression ----

struct Projection {
  std::vector<Path> paths;
  std::vector<std::string> topLevelNames() const;
};

Result<Projection> parseProjection(std::string_view text, Placeholders& placeholders);

// A new item with only the projected paths. A list element keeps no gap: projecting a[1] and a[3]
// of [x,y,z,w] gives [y,w] (the elements in list order), as DynamoDB returns it. Paths that do not
// exist are left out; a map or list left empty by missing children is left out too.
Item project(const Projection& projection, const Item& item);
Item projectPaths(const std::vector<Path>& paths, const Item& item);

// ---- UpdateExpression ----

struct Update {
  std::vector<ast::UpdateAction> actions;  // in evaluation order: SET, REMOVE, ADD, DELETE as written
  // Every path an action targets (for the engine's "Cannot update attribute pk. This attribute is
  // part of the key" check on topLevel()).
  std::vector<Path> targetPaths() const;
};

Result<Update> parseUpdate(std::string_view text, Placeholders& placeholders);

struct UpdateOutcome {
  Item item;                       // the new item
  std::vector<Path> updatedPaths;  // the paths written or removed (for UPDATED_OLD / UPDATED_NEW)
};

// Applies the update to `item` (the empty Item when none exists). Errors with DynamoDB's wording:
// "The provided expression refers to an attribute that does not exist in the item",
// "An operand in the update expression has an incorrect data type", number overflow, ...
// All right-hand sides are evaluated against the old item, as DynamoDB does.
Result<UpdateOutcome> applyUpdate(const Update& update, const Item& item);

// ---- KeyConditionExpression ----

// The key of the table or index a Query runs on.
struct KeySchema {
  std::string hashName;
  ValueType hashType = ValueType::S;  // S, N or B
  std::string rangeName;              // empty when the table or index has no sort key
  ValueType rangeType = ValueType::S;
};

struct KeyCondition {
  AttributeValue hashValue;  // the partition key to read
  enum class RangeOp { None, Eq, Lt, Le, Gt, Ge, Between, BeginsWith };
  RangeOp rangeOp = RangeOp::None;
  AttributeValue low;   // operand of Eq..Ge, the prefix of BeginsWith, the lower bound of Between
  AttributeValue high;  // the upper bound of Between
  // True when a sort key value satisfies the range condition (always when rangeOp is None).
  bool matchesRange(const AttributeValue& sortKey) const;
};

// Validates the shape DynamoDB allows ("pk = :v [AND sk <op> :w | sk BETWEEN :a AND :b |
// begins_with(sk, :p)]", either order, parentheses allowed) against the key schema.
Result<KeyCondition> parseKeyCondition(std::string_view text, Placeholders& placeholders,
                                       const KeySchema& schema);

// ---- reserved words ----

// True when `word` (any case) is one of DynamoDB's reserved words and must be written as a #name.
bool isReservedWord(std::string_view word);

}  // namespace cdnlab::store::expr

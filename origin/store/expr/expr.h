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

// One attribute of a key schema.
struct KeyAttribute {
  std::string name;
  ValueType type = ValueType::S;  // S, N or B
};

// The key of a table or index: its partition (HASH) attributes, then its sort (RANGE) attributes,
// each in the order the KeySchema lists them. A table or LSI has one partition attribute and at most
// one sort attribute; a GSI up to four of each (multi-attribute keys, DynamoDB since November 2025):
// the partition is the tuple of the HASH values, and entries sort by the RANGE values left to right.
struct KeySchema {
  std::vector<KeyAttribute> hash;
  std::vector<KeyAttribute> range;

  // The first partition / sort attribute: the whole key of a table or LSI.
  const std::string& hashName() const { return hash.empty() ? noName() : hash.front().name; }
  ValueType hashType() const { return hash.empty() ? ValueType::S : hash.front().type; }
  const std::string& rangeName() const { return range.empty() ? noName() : range.front().name; }  // "": no sort key
  ValueType rangeType() const { return range.empty() ? ValueType::S : range.front().type; }
  bool hasRange() const { return !range.empty(); }
  // True when `name` is one of the key's attributes.
  bool contains(std::string_view name) const {
    for (const auto* part : {&hash, &range})
      for (const auto& a : *part)
        if (a.name == name) return true;
    return false;
  }

 private:
  static const std::string& noName() {
    static const std::string empty;
    return empty;
  }
};

// A key condition as a key range: equality on every partition attribute, equality on the leading
// sort attributes, then at most one condition (rangeOp) on the sort attribute after them.
struct KeyCondition {
  std::vector<AttributeValue> hashValues;   // one per partition attribute, in schema order
  std::vector<AttributeValue> rangeEquals;  // sort attributes 0..n-1 equal these
  enum class RangeOp { None, Eq, Lt, Le, Gt, Ge, Between, BeginsWith };
  RangeOp rangeOp = RangeOp::None;  // on sort attribute rangeEquals.size()
  AttributeValue low;   // operand of Eq..Ge, the prefix of BeginsWith, the lower bound of Between
  AttributeValue high;  // the upper bound of Between
  // True when a sort key value satisfies the range condition (always when rangeOp is None).
  bool matchesRange(const AttributeValue& sortKey) const;
  // The sort attribute rangeOp tests ("" when none).
  const std::string& rangeAttribute(const KeySchema& schema) const {
    static const std::string none;
    return rangeOp != RangeOp::None && rangeEquals.size() < schema.range.size() ? schema.range[rangeEquals.size()].name : none;
  }
};

// Validates the shape DynamoDB allows ("pk = :v [AND sk <op> :w | sk BETWEEN :a AND :b |
// begins_with(sk, :p)]", either order, parentheses allowed) against the key schema.
Result<KeyCondition> parseKeyCondition(std::string_view text, Placeholders& placeholders,
                                       const KeySchema& schema);

// ---- reserved words ----

// True when `word` (any case) is one of DynamoDB's reserved words and must be written as a #name.
bool isReservedWord(std::string_view word);

}  // namespace cdnlab::store::expr

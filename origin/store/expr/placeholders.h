// ExpressionAttributeNames / ExpressionAttributeValues of one request, and which of them the
// request's expressions used. DynamoDB rejects a request whose maps hold an entry no expression
// used, and the check spans every expression of the request (a KeyConditionExpression, a
// FilterExpression and a ProjectionExpression of one Query share the maps), so the engine creates
// one Placeholders per request (per transaction item), parses every expression against it, then
// calls checkUnused().
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "common/result.h"
#include "origin/store/model/value.h"

namespace cdnlab::store::expr {

using NameMap = std::map<std::string, std::string, std::less<>>;  // "#n" -> "name"
using ValueMap = AttributeMap;                                    // ":v" -> value

class Placeholders {
 public:
  // Either map may be null when the request did not carry it. The maps must outlive this object.
  Placeholders(const NameMap* names, const ValueMap* values) : names_(names), values_(values) {}

  // Resolve a placeholder ("#n" / ":v") and mark it used; nullptr when it is not defined.
  const std::string* name(std::string_view placeholder);
  const AttributeValue* value(std::string_view placeholder);

  // Checks the maps themselves before any expression is parsed (DynamoDB's wording):
  //   "ExpressionAttributeNames must not be empty" (same for Values)
  //   "ExpressionAttributeNames contains invalid key: Syntax error; key: \"x\"" (a key that is not #word / :word)
  Result<bool> validateMaps() const;

  // Errors, with DynamoDB's wording, after all expressions of the request were parsed:
  //   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
  //   "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"
  // (names are checked first, as DynamoDB does).
  Result<bool> checkUnused() const;

 private:
  const NameMap* names_;
  const ValueMap* values_;
  std::set<std::string, std::less<>> usedNames_;
  std::set<std::string, std::less<>> usedValues_;
};

}  // namespace cdnlab::store::expr

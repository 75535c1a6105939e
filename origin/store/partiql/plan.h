// How a statement reaches its items: the key conditions of the WHERE clause against a table's or
// an index's key schema. A SELECT whose WHERE pins the whole primary key is a GetItem, one that
// pins the partition key is a Query (with the sort key conditions as its range), anything else a
// Scan; an UPDATE or DELETE must pin the whole primary key. Only top-level AND terms count, as
// for DynamoDB: a key equality under OR or NOT narrows nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "origin/store/expr/expr.h"

namespace cdnlab::store::partiql {

struct KeyAccess {
  std::optional<AttributeValue> hash;        // partition key equality
  expr::KeyCondition range;                  // rangeOp None when no sort key condition
  bool fullKey = false;                      // hash, and sort key equality when the schema has one
  // The partition key is named by a top-level = or IN: what DynamoDB calls a keyed read when it
  // checks an index's projection against the filter, even where IN leaves the read a scan.
  bool keyed = false;
  Item key;                                  // the key map, when fullKey
  // The terms that are not key conditions, each a condition of its own over the same tree.
  std::vector<expr::Condition> rest;
  std::vector<std::string> restNames;        // the top-level attributes those terms read
};

KeyAccess analyzeKeys(const std::optional<expr::Condition>& where, const expr::KeySchema& schema);

// True when every term of `terms` holds for `item` (no terms: true).
bool allHold(const std::vector<expr::Condition>& terms, const Item& item);

}  // namespace cdnlab::store::partiql

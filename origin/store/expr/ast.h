// The syntax trees the expression parser (expr/parser.cc) builds and the evaluators walk.
// Placeholders are already resolved: a tree holds attribute names and copies of the values.
#pragma once

#include <memory>
#include <vector>

#include "origin/store/expr/path.h"
#include "origin/store/model/value.h"

namespace cdnlab::store::expr::ast {

// An operand of a comparison or function: a document path, a constant (:v), or size(path).
struct Operand {
  enum class Kind { Path, Value, Size };
  Kind kind = Kind::Value;
  Path path;             // Path and Size
  AttributeValue value;  // Value
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };

enum class Function { AttributeExists, AttributeNotExists, AttributeType, BeginsWith, Contains };

// A condition (ConditionExpression, FilterExpression, and the pieces of a KeyConditionExpression).
struct Node {
  enum class Kind { And, Or, Not, Compare, Between, In, Function };
  Kind kind = Kind::Compare;
  CompareOp op = CompareOp::Eq;                // Compare
  Function function = Function::AttributeExists;  // Function
  std::vector<std::unique_ptr<Node>> children;    // And, Or: two; Not: one
  std::vector<Operand> operands;  // Compare: 2; Between: 3 (x, low, high); In: x then candidates; Function: its arguments
};

// The right-hand side of a SET action.
struct UpdateValue {
  enum class Kind { Path, Value, Plus, Minus, IfNotExists, ListAppend };
  Kind kind = Kind::Value;
  Path path;                       // Path
  AttributeValue value;            // Value
  std::vector<UpdateValue> args;   // Plus, Minus, ListAppend: two; IfNotExists: (path, fallback)
};

struct UpdateAction {
  enum class Kind { Set, Remove, Add, Delete };
  Kind kind = Kind::Set;
  Path path;
  UpdateValue value;        // Set
  AttributeValue operand;   // Add, Delete
};

}  // namespace cdnlab::store::expr::ast

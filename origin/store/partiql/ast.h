// The syntax tree of one PartiQL statement, as partiql/parser.cc reads it: values are still
// literals and `?` slots (partiql/bind.cc gives them their parameters), conditions are still
// PartiQL's (partiql/bind.cc lowers them onto the store's condition tree, expr/ast.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "origin/store/expr/ast.h"
#include "origin/store/expr/path.h"
#include "origin/store/model/value.h"

namespace cdnlab::store::partiql {

struct Expr {
  enum class Kind {
    Literal,   // value
    Missing,   // MISSING
    Param,     // ? number `param`
    Path,      // path
    Compare,   // children[0] op children[1]; opText as written ("<", "!=")
    Between,   // children: x, low, high
    In,        // children: x, then the candidates
    And, Or, Not,
    Call,      // name (lower case) over children
    IsType,    // children[0] IS [NOT] name ("MISSING", "NULL"); `negated`
    Add, Sub,  // an UPDATE's SET right-hand side
    MapCtor,   // {k: v, ...}: children alternate key, value
    ListCtor,  // [v, ...]
    SetCtor,   // <<v, ...>>
  };
  Kind kind = Kind::Literal;
  AttributeValue value;
  size_t param = 0;
  expr::Path path;
  expr::ast::CompareOp op = expr::ast::CompareOp::Eq;
  std::string opText;
  std::string name;
  bool negated = false;
  std::vector<std::unique_ptr<Expr>> children;
  size_t pos = 0;
};
using ExprPtr = std::unique_ptr<Expr>;

struct SetAction {
  bool remove = false;  // REMOVE path; otherwise SET path = value
  expr::Path path;
  ExprPtr value;
};

struct Statement {
  enum class Kind { Select, Insert, Update, Delete, Exists };
  Kind kind = Kind::Select;
  std::string table;
  std::optional<std::string> index;  // "table"."index"
  bool selectAll = false;            // SELECT *
  std::vector<expr::Path> projection;
  ExprPtr where;
  ExprPtr value;                     // INSERT ... VALUE
  std::vector<SetAction> actions;    // UPDATE
  enum class Returning { None, AllOld, ModifiedOld, AllNew, ModifiedNew };
  Returning returning = Returning::None;
  std::string returningText;         // "RETURNING ALL OLD *", as DynamoDB names it in errors
  std::optional<std::string> orderBy;  // SELECT ... ORDER BY <sort key>
  bool orderDescending = false;
  size_t params = 0;                 // how many ? the statement holds
  std::unique_ptr<Statement> inner;  // EXISTS(SELECT ...)
};

}  // namespace cdnlab::store::partiql

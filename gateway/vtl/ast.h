// The parsed form of a mapping template: a tree of nodes (text, references, directives) and the
// expressions inside them. Parsed once when an API is deployed, rendered per request.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gateway/vtl/value.h"

namespace cdnlab::gateway::vtl {

struct Pos {
  int line = 1;
  int col = 1;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
struct Node;
using Block = std::vector<Node>;

// One step after a reference's name: `.name`, `.name(args)` or `[index]`.
struct Suffix {
  enum class Kind { Property, Method, Index } kind = Kind::Property;
  std::string name;
  std::vector<ExprPtr> args;  // Method arguments; Index: the one index expression
  Pos pos;
};

struct Reference {
  std::string root;
  std::vector<Suffix> suffixes;
  Pos pos;
};

struct Expr {
  enum class Kind { Literal, Interpolated, List, Range, Map, Ref, Not, Negate, Binary } kind = Kind::Literal;
  Pos pos;
  Value literal;                       // Literal
  std::shared_ptr<Block> parts;        // Interpolated: a "double-quoted $string"
  std::vector<ExprPtr> items;          // List items; Range [from, to]; Map [k0, v0, k1, v1...]; operands
  Reference ref;                       // Ref
  std::string op;                      // Binary: == != < > <= >= && || + - * / %
};

struct Node {
  enum class Kind { Text, Ref, Set, If, Foreach, Break, Stop } kind = Kind::Text;
  Pos pos;
  std::string text;    // Text; Ref: its source text
  bool quiet = false;  // Ref written $!x: null writes nothing
  ExprPtr expr;        // Ref: the reference; Set: the value; Foreach: what to iterate
  Reference target;    // Set: what is assigned; Foreach: the loop variable (root only)
  std::vector<std::pair<ExprPtr, Block>> branches;  // If: #if and each #elseif
  Block body;          // Foreach body
  Block elseBody;      // If: #else
};

}  // namespace cdnlab::gateway::vtl

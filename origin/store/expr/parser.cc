// One recursive-descent parser for every DynamoDB expression kind (see expr.h). Grammar:
//
//   condition  := or
//   or         := and ("OR" and)*                      precedence, loosest first:
//   and        := not ("AND" not)*                       OR < AND < NOT < comparison
//   not        := "NOT" not | primary                    (Developer Guide, "Comparison operator
//   primary    := "(" or ")" | function(args)             and function reference": NOT, AND, OR)
//               | operand comparator operand
//               | operand "BETWEEN" operand "AND" operand
//               | operand "IN" "(" operand ("," operand)* ")"
//   operand    := path | :value | size(path) | "(" operand ")"
//   path       := (name | #name) ("." (name | #name) | "[" digits "]")*
//   update     := (("SET" set ("," set)*) | ("REMOVE" path ("," path)*)
//                 | ("ADD" path :value ("," ...)*) | ("DELETE" path :value ("," ...)*))+
//   set        := path "=" value;  value := term (("+" | "-") term)?
//   term       := path | :value | if_not_exists(path, term) | list_append(term, term) | "(" value ")"
//   projection := path ("," path)*
//
// Errors: a syntax error stops the parse at once and is reported as DynamoDB does:
//   Invalid <Parameter>: Syntax error; token: "<tok>", near: "<previous token> <tok>"
// Other problems (reserved words, undefined placeholders, wrong operand types, overlapping paths)
// are collected while parsing and the most important one is reported after the parse succeeds,
// so that a syntax error anywhere wins over them, as in DynamoDB.
#include <algorithm>
#include <climits>

#include "origin/store/expr/expr.h"
#include "origin/store/expr/lexer.h"

namespace cdnlab::store::expr {
namespace {

// The maximum length of an expression string (Developer Guide, "Expression parameters": 4 KB);
// it also bounds the parser's recursion on untrusted input.
constexpr size_t kMaxExpressionLength = 4096;
constexpr int kMaxDepth = 256;
constexpr size_t kMaxInOperands = 100;

// Kinds of non-syntax problems, most important first (the order DynamoDB reports them in when an
// expression has several).
enum class Problem { Parens, UnknownFunction, MisusedFunction, Reserved, Section, Undefined, Overlap, Conflict,
                     OperandCount, Distinct, Type };

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

// "[a, b, [3]]", as DynamoDB prints paths in overlap and distinctness errors.
std::string bracketPath(const Path& p) {
  std::string out = "[";
  for (size_t i = 0; i < p.elements.size(); ++i) {
    if (i) out += ", ";
    if (p.elements[i].isIndex()) {
      out += "[" + std::to_string(p.elements[i].index) + "]";
    } else {
      out += p.elements[i].name;
    }
  }
  return out + "]";
}

// The operand-type words DynamoDB uses for ADD and DELETE operand errors.
std::string_view longTypeName(ValueType t) {
  switch (t) {
    case ValueType::S: return "STRING";
    case ValueType::N: return "NUMBER";
    case ValueType::B: return "BINARY";
    case ValueType::NUL: return "NULL";
    case ValueType::BOOL: return "BOOLEAN";
    case ValueType::L: return "LIST";
    case ValueType::M: return "MAP";
    default: return typeName(t);
  }
}

std::string boundString(const AttributeValue& v) { return "AttributeValue: " + v.debugString(); }

class Parser {
 public:
  Parser(std::string_view text, Placeholders& placeholders, ExpressionKind kind)
      : text_(text), placeholders_(placeholders), kind_(kind) {}

  Result<Condition> condition();
  Result<Projection> projection();
  Result<Update> update();

 private:
  using K = Token::Kind;

  // ---- tokens ----
  const Token& cur() const { return tokens_[pos_]; }
  const Token& peekAt(size_t ahead) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  bool at(K kind) const { return cur().kind == kind; }
  bool atWord(std::string_view word) const { return at(K::Ident) && equalsIgnoreCase(cur().text, word); }
  void advance() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }
  bool failed() const { return syntax_.has_value(); }
  bool expect(K kind) {
    if (failed()) return false;
    if (!at(kind)) {
      syntaxError();
      return false;
    }
    advance();
    return true;
  }
  // Words that are grammar in this kind of expression and so cannot start a path.
  bool isKeyword(std::string_view word) const {
    static constexpr std::string_view kCondition[] = {"AND", "OR", "NOT", "BETWEEN", "IN"};
    static constexpr std::string_view kUpdate[] = {"SET", "REMOVE", "ADD", "DELETE"};
    if (kind_ == ExpressionKind::Update) {
      return std::any_of(std::begin(kUpdate), std::end(kUpdate), [&](auto k) { return equalsIgnoreCase(word, k); });
    }
    if (kind_ == ExpressionKind::Projection) return false;
    return std::any_of(std::begin(kCondition), std::end(kCondition), [&](auto k) { return equalsIgnoreCase(word, k); });
  }

  // ---- errors ----
  std::string prefix() const { return "Invalid " + std::string(parameterName(kind_)) + ": "; }
  void syntaxError() {
    if (failed()) return;
    const Token& t = cur();
    size_t start = pos_ > 0 ? tokens_[pos_ - 1].pos : t.pos;
    size_t end = t.pos + t.text.size();
    // A "!" not followed by "=" fails in DynamoDB's lexer after it has read the next character
    // for "!=", and that character is part of the text it reports ("!!!": near "!!").
    if (t.kind == K::Unknown && t.text == "!") end = std::min(text_.size(), end + 1);
    std::string_view near = text_.substr(start, end - start);
    while (!near.empty() && (near.back() == ' ' || near.back() == '\t' || near.back() == '\n' || near.back() == '\r')) {
      near.remove_suffix(1);
    }
    std::string token = t.kind == K::End ? "<EOF>" : std::string(t.text);
    syntax_ = Error{kValidationError,
                    prefix() + "Syntax error; token: \"" + token + "\", near: \"" + std::string(near) + "\""};
  }
  void problem(Problem kind, std::string message) {
    int rank = static_cast<int>(kind);
    if (rank < problemRank_) {
      problemRank_ = rank;
      problem_ = std::move(message);
    }
  }
  // The error to return after a parse, if any.
  std::optional<Error> finish() {
    if (syntax_) return syntax_;
    if (problemRank_ != INT_MAX) return Error{kValidationError, prefix() + problem_};
    return std::nullopt;
  }
  // Shared start: length limit, empty check, tokenizing.
  std::optional<Error> start() {
    if (text_.size() > kMaxExpressionLength) {
      return Error{kValidationError, prefix() + "Expression size has exceeded the maximum allowed size; expression size: " +
                                         std::to_string(text_.size())};
    }
    tokens_ = tokenize(text_);
    if (tokens_.size() == 1) return Error{kValidationError, prefix() + "The expression can not be empty;"};
    return std::nullopt;
  }

  // ---- paths and placeholders ----
  bool atPathStart() const {
    return at(K::NameRef) || (at(K::Ident) && !isKeyword(cur().text) && peekAt(1).kind != K::LParen);
  }
  bool pathName(Path& path) {
    if (at(K::NameRef)) {
      const std::string* resolved = placeholders_.name(cur().text);
      if (!resolved) {
        problem(Problem::Undefined, "An expression attribute name used in the document path is not defined; attribute name: " +
                                        std::string(cur().text));
        path.elements.push_back(PathElement{std::string(cur().text), -1});
      } else {
        path.elements.push_back(PathElement{*resolved, -1});
      }
      advance();
      return true;
    }
    if (at(K::Ident) && !isKeyword(cur().text)) {
      if (isReservedWord(cur().text)) {
        problem(Problem::Reserved, "Attribute name is a reserved keyword; reserved keyword: " + std::string(cur().text));
      }
      path.elements.push_back(PathElement{std::string(cur().text), -1});
      advance();
      return true;
    }
    syntaxError();
    return false;
  }
  Path parsePath() {
    Path path;
    if (!pathName(path)) return path;
    while (!failed()) {
      if (at(K::Dot)) {
        advance();
        if (!pathName(path)) return path;
      } else if (at(K::LBracket)) {
        advance();
        if (!at(K::Int) || cur().text.size() > 9) {  // a list index beyond 999999999 can never exist
          syntaxError();
          return path;
        }
        int64_t index = 0;
        for (char c : cur().text) index = index * 10 + (c - '0');
        path.elements.push_back(PathElement{"", index});
        advance();
        if (!expect(K::RBracket)) return path;
      } else {
        break;
      }
    }
    return path;
  }
  AttributeValue valueRef() {
    const AttributeValue* v = placeholders_.value(cur().text);
    AttributeValue out;
    if (!v) {
      problem(Problem::Undefined,
              "An expression attribute value used in expression is not defined; attribute value: " + std::string(cur().text));
    } else {
      out = *v;
    }
    advance();
    return out;
  }
  // Paths of one update or projection may neither overlap (one a prefix of the other) nor
  // conflict (a name where the other has an index).
  void checkPathAgainst(const std::vector<Path>& earlier, const Path& path) {
    for (const Path& other : earlier) {
      size_t n = std::min(other.elements.size(), path.elements.size());
      bool differs = false;
      for (size_t i = 0; i < n && !differs; ++i) {
        const PathElement& a = other.elements[i];
        const PathElement& b = path.elements[i];
        if (a.isIndex() != b.isIndex()) {
          problem(Problem::Conflict, "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: " +
                                         bracketPath(other) + ", path two: " + bracketPath(path));
          differs = true;
        } else if (!(a == b)) {
          differs = true;
        }
      }
      if (!differs) {
        problem(Problem::Overlap, "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " +
                                      bracketPath(other) + ", path two: " + bracketPath(path));
      }
    }
  }

  // ---- conditions ----
  std::unique_ptr<ast::Node> parseOr(int depth);
  std::unique_ptr<ast::Node> parseAnd(int depth);
  std::unique_ptr<ast::Node> parseNot(int depth);
  std::unique_ptr<ast::Node> parsePrimary(int depth);
  std::unique_ptr<ast::Node> parseFunctionCondition(std::string_view name, std::vector<ast::Operand> args);
  ast::Operand parseOperand(int depth);
  ast::Operand functionOperand(const std::string& name, std::vector<ast::Operand> args);
  bool atComparison() const {
    return at(K::Eq) || at(K::Ne) || at(K::Lt) || at(K::Le) || at(K::Gt) || at(K::Ge) || atWord("BETWEEN") || atWord("IN");
  }
  std::vector<ast::Operand> parseArguments(int depth);
  void checkDistinct(std::string_view op, const std::vector<ast::Operand>& args);

  // ---- updates ----
  ast::UpdateValue parseSetValue(int depth);
  ast::UpdateValue parseSetTerm(int depth);

  std::string_view text_;
  Placeholders& placeholders_;
  ExpressionKind kind_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::optional<Error> syntax_;
  int problemRank_ = INT_MAX;
  std::string problem_;
  // Set by parsePrimary when the node it returned was written in parentheses; a parenthesised
  // expression that is itself just a parenthesised expression is redundant, which DynamoDB rejects.
  bool lastWasParenthesised_ = false;
};

// ---------------------------------------------------------------------------------------------
// Conditions

std::unique_ptr<ast::Node> Parser::parseOr(int depth) {
  auto left = parseAnd(depth);
  while (!failed() && atWord("OR")) {
    advance();
    auto right = parseAnd(depth);
    auto node = std::make_unique<ast::Node>();
    node->kind = ast::Node::Kind::Or;
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    left = std::move(node);
    lastWasParenthesised_ = false;
  }
  return left;
}

std::unique_ptr<ast::Node> Parser::parseAnd(int depth) {
  auto left = parseNot(depth);
  while (!failed() && atWord("AND")) {
    advance();
    auto right = parseNot(depth);
    auto node = std::make_unique<ast::Node>();
    node->kind = ast::Node::Kind::And;
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    left = std::move(node);
    lastWasParenthesised_ = false;
  }
  return left;
}

std::unique_ptr<ast::Node> Parser::parseNot(int depth) {
  if (depth > kMaxDepth) {
    syntaxError();
    return std::make_unique<ast::Node>();
  }
  if (atWord("NOT")) {
    advance();
    auto node = std::make_unique<ast::Node>();
    node->kind = ast::Node::Kind::Not;
    node->children.push_back(parseNot(depth + 1));
    lastWasParenthesised_ = false;
    return node;
  }
  return parsePrimary(depth);
}

std::unique_ptr<ast::Node> Parser::parsePrimary(int depth) {
  auto node = std::make_unique<ast::Node>();
  if (failed()) return node;
  if (at(K::LParen)) {
    advance();
    lastWasParenthesised_ = false;
    auto inner = parseOr(depth + 1);
    if (!expect(K::RParen)) return node;
    if (lastWasParenthesised_) problem(Problem::Parens, "The expression has redundant parentheses;");
    lastWasParenthesised_ = true;
    return inner;
  }
  lastWasParenthesised_ = false;
  // A function used as a condition: attribute_exists(a), begins_with(a, :p), ...; or, when a
  // comparison follows, a function used as an operand: size(a) > :n.
  ast::Operand left;
  if (at(K::Ident) && peekAt(1).kind == K::LParen) {
    std::string name(cur().text);
    advance();
    auto args = parseArguments(depth + 1);
    if (failed()) return node;
    if (!atComparison()) {
      if (name == "size") {
        problem(Problem::MisusedFunction, "The function is not allowed to be used this way in an expression; function: size");
        return node;
      }
      return parseFunctionCondition(name, std::move(args));
    }
    left = functionOperand(name, std::move(args));
  } else {
    left = parseOperand(depth + 1);
  }
  if (failed()) return node;
  node->operands.push_back(std::move(left));
  static constexpr std::pair<K, ast::CompareOp> kComparators[] = {
      {K::Eq, ast::CompareOp::Eq}, {K::Ne, ast::CompareOp::Ne}, {K::Lt, ast::CompareOp::Lt},
      {K::Le, ast::CompareOp::Le}, {K::Gt, ast::CompareOp::Gt}, {K::Ge, ast::CompareOp::Ge}};
  for (const auto& [tokenKind, op] : kComparators) {
    if (!at(tokenKind)) continue;
    std::string opText(cur().text);
    advance();
    node->kind = ast::Node::Kind::Compare;
    node->op = op;
    node->operands.push_back(parseOperand(depth + 1));
    if (failed()) return node;
    checkDistinct(opText, node->operands);
    if (op != ast::CompareOp::Eq && op != ast::CompareOp::Ne) {
      for (const auto& o : node->operands) {
        if (o.kind == ast::Operand::Kind::Value && !o.value.is(ValueType::S) && !o.value.is(ValueType::N) &&
            !o.value.is(ValueType::B)) {
          problem(Problem::Type, "Incorrect operand type for operator or function; operator or function: " + opText +
                                     ", operand type: " + std::string(typeName(o.value.type())));
        }
      }
    }
    return node;
  }
  if (atWord("BETWEEN")) {
    advance();
    node->kind = ast::Node::Kind::Between;
    node->operands.push_back(parseOperand(depth + 1));
    if (failed()) return node;
    if (!atWord("AND")) {
      syntaxError();
      return node;
    }
    advance();
    node->operands.push_back(parseOperand(depth + 1));
    if (failed()) return node;
    const ast::Operand& low = node->operands[1];
    const ast::Operand& high = node->operands[2];
    // BETWEEN orders its operands: a constant that is not a String, Number or Binary is refused, as
    // for < and >.
    for (const auto& o : node->operands) {
      if (o.kind == ast::Operand::Kind::Value && !o.value.is(ValueType::S) && !o.value.is(ValueType::N) &&
          !o.value.is(ValueType::B)) {
        problem(Problem::Type, "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: " +
                                   std::string(typeName(o.value.type())));
        return node;
      }
    }
    if (low.kind == ast::Operand::Kind::Value && high.kind == ast::Operand::Kind::Value) {
      if (low.value.type() != high.value.type()) {
        problem(Problem::Type, "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: " +
                                   boundString(low.value) + ", upper bound operand: " + boundString(high.value));
      } else if (auto c = compareScalars(low.value, high.value); c && *c > 0) {
        problem(Problem::Type,
                "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: " +
                    boundString(low.value) + ", upper bound operand: " + boundString(high.value));
      }
    }
    return node;
  }
  if (atWord("IN")) {
    advance();
    node->kind = ast::Node::Kind::In;
    if (!at(K::LParen)) {
      syntaxError();
      return node;
    }
    auto args = parseArguments(depth + 1);
    if (failed()) return node;
    if (args.size() > kMaxInOperands) {
      problem(Problem::OperandCount, "The IN operator is provided with too many operands; number of operands: " +
                                         std::to_string(args.size()));
    }
    for (auto& a : args) node->operands.push_back(std::move(a));
    return node;
  }
  syntaxError();
  return node;
}

// "(" operand ("," operand)* ")"
std::vector<ast::Operand> Parser::parseArguments(int depth) {
  std::vector<ast::Operand> args;
  if (!expect(K::LParen)) return args;
  while (!failed()) {
    args.push_back(parseOperand(depth + 1));
    if (failed()) return args;
    if (at(K::Comma)) {
      advance();
      continue;
    }
    expect(K::RParen);
    break;
  }
  return args;
}

ast::Operand Parser::parseOperand(int depth) {
  ast::Operand operand;
  if (failed()) return operand;
  if (depth > kMaxDepth) {
    syntaxError();
    return operand;
  }
  if (at(K::ValueRef)) {
    operand.kind = ast::Operand::Kind::Value;
    operand.value = valueRef();
    return operand;
  }
  if (at(K::LParen)) {
    advance();
    operand = parseOperand(depth + 1);
    expect(K::RParen);
    return operand;
  }
  if (at(K::Ident) && peekAt(1).kind == K::LParen) {
    std::string name(cur().text);
    advance();
    auto args = parseArguments(depth + 1);
    if (failed()) return operand;
    return functionOperand(name, std::move(args));
  }
  if (atPathStart()) {
    operand.kind = ast::Operand::Kind::Path;
    operand.path = parsePath();
    return operand;
  }
  syntaxError();
  return operand;
}

// A function call in operand position: only size() yields a value there.
ast::Operand Parser::functionOperand(const std::string& name, std::vector<ast::Operand> args) {
  ast::Operand operand;
  static constexpr std::string_view kConditionFunctions[] = {"attribute_exists", "attribute_not_exists",
                                                             "attribute_type", "begins_with", "contains"};
  if (name == "size") {
    if (args.size() != 1) {
      problem(Problem::OperandCount, "Incorrect number of operands for operator or function; operator or function: size, number of operands: " +
                                         std::to_string(args.size()));
    } else if (args[0].kind != ast::Operand::Kind::Path) {
      problem(Problem::Type, "Operator or function requires a document path; operator or function: size");
    } else {
      operand.kind = ast::Operand::Kind::Size;
      operand.path = std::move(args[0].path);
    }
    return operand;
  }
  if (std::find(std::begin(kConditionFunctions), std::end(kConditionFunctions), name) != std::end(kConditionFunctions)) {
    problem(Problem::MisusedFunction, "The function is not allowed to be used this way in an expression; function: " + name);
  } else if (name == "if_not_exists" || name == "list_append") {
    problem(Problem::MisusedFunction, "The function is not allowed in a condition expression; function: " + name);
  } else {
    problem(Problem::UnknownFunction, "Invalid function name; function: " + name);
  }
  return operand;
}

void Parser::checkDistinct(std::string_view op, const std::vector<ast::Operand>& args) {
  if (args.size() != 2) return;
  if (args[0].kind != ast::Operand::Kind::Path || args[1].kind != ast::Operand::Kind::Path) return;
  if (!(args[0].path == args[1].path)) return;
  problem(Problem::Distinct, "The first operand must be distinct from the remaining operands for this operator or function; operator: " +
                                 std::string(op) + ", first operand: " + bracketPath(args[0].path));
}

std::unique_ptr<ast::Node> Parser::parseFunctionCondition(std::string_view name, std::vector<ast::Operand> args) {
  auto node = std::make_unique<ast::Node>();
  node->kind = ast::Node::Kind::Function;
  struct Spec {
    std::string_view name;
    ast::Function function;
    size_t operands;
  };
  static constexpr Spec kSpecs[] = {
      {"attribute_exists", ast::Function::AttributeExists, 1},
      {"attribute_not_exists", ast::Function::AttributeNotExists, 1},
      {"attribute_type", ast::Function::AttributeType, 2},
      {"begins_with", ast::Function::BeginsWith, 2},
      {"contains", ast::Function::Contains, 2},
  };
  const Spec* spec = nullptr;
  for (const auto& s : kSpecs) {
    if (s.name == name) spec = &s;
  }
  if (!spec) {
    if (name == "if_not_exists" || name == "list_append") {
      problem(Problem::MisusedFunction, "The function is not allowed in a condition expression; function: " + std::string(name));
    } else {
      problem(Problem::UnknownFunction, "Invalid function name; function: " + std::string(name));
    }
    return node;
  }
  node->function = spec->function;
  std::string fname(name);
  if (args.size() != spec->operands) {
    problem(Problem::OperandCount, "Incorrect number of operands for operator or function; operator or function: " + fname +
                                       ", number of operands: " + std::to_string(args.size()));
    return node;
  }
  checkDistinct(fname, args);
  switch (spec->function) {
    case ast::Function::AttributeExists:
    case ast::Function::AttributeNotExists:
      if (args[0].kind != ast::Operand::Kind::Path) {
        problem(Problem::Type, "Operator or function requires a document path; operator or function: " + fname);
      }
      break;
    case ast::Function::AttributeType: {
      if (args[0].kind != ast::Operand::Kind::Path) {
        problem(Problem::Type, "Operator or function requires a document path; operator or function: " + fname);
        break;
      }
      const ast::Operand& t = args[1];
      if (t.kind != ast::Operand::Kind::Value || !t.value.is(ValueType::S)) {
        std::string type = t.kind == ast::Operand::Kind::Value ? std::string(typeName(t.value.type())) : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}";
        problem(Problem::Type, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: " + type);
      } else if (!typeFromName(t.value.s())) {
        problem(Problem::Type, "Invalid attribute type name found; type: " + t.value.s() +
                                   ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
      }
      break;
    }
    case ast::Function::BeginsWith:
      for (const auto& a : args) {
        if (a.kind == ast::Operand::Kind::Value && !a.value.is(ValueType::S) && !a.value.is(ValueType::B)) {
          problem(Problem::Type, "Incorrect operand type for operator or function; operator or function: begins_with, operand type: " +
                                     std::string(typeName(a.value.type())));
        }
      }
      break;
    case ast::Function::Contains: break;
  }
  node->operands = std::move(args);
  return node;
}

Result<Condition> Parser::condition() {
  if (auto e = start()) return *e;
  auto root = parseOr(0);
  if (!failed() && !at(K::End)) syntaxError();
  if (auto e = finish()) return *e;
  Condition c;
  c.root = std::shared_ptr<const ast::Node>(std::move(root));
  return c;
}

// ---------------------------------------------------------------------------------------------
// Projections

Result<Projection> Parser::projection() {
  if (auto e = start()) return *e;
  Projection p;
  while (!failed()) {
    Path path = parsePath();
    if (failed()) break;
    checkPathAgainst(p.paths, path);
    p.paths.push_back(std::move(path));
    if (at(K::Comma)) {
      advance();
      continue;
    }
    if (!at(K::End)) syntaxError();
    break;
  }
  if (auto e = finish()) return *e;
  return p;
}

// ---------------------------------------------------------------------------------------------
// Updates

ast::UpdateValue Parser::parseSetValue(int depth) {
  ast::UpdateValue left = parseSetTerm(depth);
  if (failed()) return left;
  if (at(K::Plus) || at(K::Minus)) {
    bool plus = at(K::Plus);
    advance();
    ast::UpdateValue right = parseSetTerm(depth);
    if (failed()) return left;
    for (const auto* operand : {&left, &right}) {
      if (operand->kind == ast::UpdateValue::Kind::Value && !operand->value.is(ValueType::N)) {
        problem(Problem::Type, std::string("Incorrect operand type for operator or function; operator or function: ") +
                                   (plus ? "+" : "-") + ", operand type: " + std::string(typeName(operand->value.type())));
      }
    }
    ast::UpdateValue v;
    v.kind = plus ? ast::UpdateValue::Kind::Plus : ast::UpdateValue::Kind::Minus;
    v.args.push_back(std::move(left));
    v.args.push_back(std::move(right));
    return v;
  }
  return left;
}

ast::UpdateValue Parser::parseSetTerm(int depth) {
  ast::UpdateValue v;
  if (failed()) return v;
  if (depth > kMaxDepth) {
    syntaxError();
    return v;
  }
  if (at(K::ValueRef)) {
    v.kind = ast::UpdateValue::Kind::Value;
    v.value = valueRef();
    return v;
  }
  if (at(K::LParen)) {
    advance();
    v = parseSetValue(depth + 1);
    expect(K::RParen);
    return v;
  }
  if (at(K::Ident) && peekAt(1).kind == K::LParen) {
    std::string name(cur().text);
    advance();
    advance();  // "("
    std::vector<ast::UpdateValue> args;
    while (!failed()) {
      args.push_back(parseSetTerm(depth + 1));
      if (failed()) return v;
      if (at(K::Comma)) {
        advance();
        continue;
      }
      expect(K::RParen);
      break;
    }
    if (failed()) return v;
    if (name == "if_not_exists" || name == "list_append") {
      if (args.size() != 2) {
        problem(Problem::OperandCount, "Incorrect number of operands for operator or function; operator or function: " + name +
                                           ", number of operands: " + std::to_string(args.size()));
        return v;
      }
      if (name == "if_not_exists") {
        if (args[0].kind != ast::UpdateValue::Kind::Path) {
          problem(Problem::Type, "Operator or function requires a document path; operator or function: if_not_exists");
        }
        v.kind = ast::UpdateValue::Kind::IfNotExists;
      } else {
        // DynamoDB refuses list_append as the first operand of list_append (seen on AWS by ScyllaDB
        // Alternator's tests; if_not_exists there is fine, and a list_append second operand is taken).
        if (args[0].kind == ast::UpdateValue::Kind::ListAppend)
          problem(Problem::Type, "The function is not allowed to be used this way in an expression; function: list_append");
        for (const auto& a : args) {
          if (a.kind == ast::UpdateValue::Kind::Value && !a.value.is(ValueType::L)) {
            problem(Problem::Type, "Incorrect operand type for operator or function; operator or function: list_append, operand type: " +
                                       std::string(typeName(a.value.type())));
          }
        }
        v.kind = ast::UpdateValue::Kind::ListAppend;
      }
      v.args = std::move(args);
      return v;
    }
    static constexpr std::string_view kConditionFunctions[] = {"attribute_exists", "attribute_not_exists", "attribute_type",
                                                               "begins_with", "contains", "size"};
    if (std::find(std::begin(kConditionFunctions), std::end(kConditionFunctions), name) != std::end(kConditionFunctions)) {
      problem(Problem::MisusedFunction, "The function is not allowed in an update expression; function: " + name);
    } else {
      problem(Problem::UnknownFunction, "Invalid function name; function: " + name);
    }
    return v;
  }
  if (atPathStart()) {
    v.kind = ast::UpdateValue::Kind::Path;
    v.path = parsePath();
    return v;
  }
  syntaxError();
  return v;
}

Result<Update> Parser::update() {
  if (auto e = start()) return *e;
  Update u;
  std::vector<Path> paths;
  bool seen[4] = {false, false, false, false};
  while (!failed() && !at(K::End)) {
    static constexpr std::pair<std::string_view, ast::UpdateAction::Kind> kClauses[] = {
        {"SET", ast::UpdateAction::Kind::Set}, {"REMOVE", ast::UpdateAction::Kind::Remove},
        {"ADD", ast::UpdateAction::Kind::Add}, {"DELETE", ast::UpdateAction::Kind::Delete}};
    int clause = -1;
    for (int i = 0; i < 4; ++i) {
      if (atWord(kClauses[i].first)) clause = i;
    }
    if (clause < 0) {
      syntaxError();
      break;
    }
    if (seen[clause]) {
      problem(Problem::Section, "The \"" + upper(kClauses[clause].first) + "\" section can only be used once in an update expression;");
    }
    seen[clause] = true;
    advance();
    while (!failed()) {
      ast::UpdateAction action;
      action.kind = kClauses[clause].second;
      action.path = parsePath();
      if (failed()) break;
      checkPathAgainst(paths, action.path);
      paths.push_back(action.path);
      switch (action.kind) {
        case ast::UpdateAction::Kind::Set:
          if (!expect(K::Eq)) break;
          action.value = parseSetValue(1);
          break;
        case ast::UpdateAction::Kind::Remove: break;
        case ast::UpdateAction::Kind::Add:
        case ast::UpdateAction::Kind::Delete: {
          if (!at(K::ValueRef)) {
            syntaxError();
            break;
          }
          const AttributeValue* operand = placeholders_.value(cur().text);
          if (!operand) {
            problem(Problem::Undefined, "An expression attribute value used in expression is not defined; attribute value: " +
                                            std::string(cur().text));
          } else {
            action.operand = *operand;
            ValueType t = operand->type();
            bool isSet = t == ValueType::SS || t == ValueType::NS || t == ValueType::BS;
            bool allowed = isSet || (action.kind == ast::UpdateAction::Kind::Add && t == ValueType::N);
            if (!allowed) {
              problem(Problem::Type, std::string("Incorrect operand type for operator or function; operator: ") +
                                         (action.kind == ast::UpdateAction::Kind::Add ? "ADD" : "DELETE") +
                                         ", operand type: " + std::string(longTypeName(t)));
            }
          }
          advance();
          break;
        }
      }
      if (failed()) break;
      u.actions.push_back(std::move(action));
      if (at(K::Comma)) {
        advance();
        continue;
      }
      break;
    }
  }
  if (auto e = finish()) return *e;
  return u;
}

}  // namespace

std::string_view parameterName(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::Condition: return "ConditionExpression";
    case ExpressionKind::Filter: return "FilterExpression";
    case ExpressionKind::KeyCondition: return "KeyConditionExpression";
    case ExpressionKind::Projection: return "ProjectionExpression";
    case ExpressionKind::Update: return "UpdateExpression";
  }
  return "Expression";
}

Result<Condition> parseCondition(std::string_view text, Placeholders& placeholders, ExpressionKind kind) {
  return Parser(text, placeholders, kind).condition();
}

Result<Projection> parseProjection(std::string_view text, Placeholders& placeholders) {
  return Parser(text, placeholders, ExpressionKind::Projection).projection();
}

Result<Update> parseUpdate(std::string_view text, Placeholders& placeholders) {
  return Parser(text, placeholders, ExpressionKind::Update).update();
}

}  // namespace cdnlab::store::expr

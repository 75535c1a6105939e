// Recursive descent over the tokens of one statement (partiql/lexer.h), precedence from loosest:
//   OR < AND < NOT < comparison (= <> != < <= > >=, BETWEEN, IN, IS [NOT] MISSING|NULL) < + - < unary
// Depth is counted on every recursive entry, so no input nests past kMaxDepth.
#include "origin/store/partiql/parser.h"

#include <strings.h>

#include "origin/store/model/number.h"
#include "origin/store/partiql/lexer.h"

namespace cdnlab::store::partiql {
namespace {

using K = Token::Kind;

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  Result<Statement> statement() {
    Statement s;
    if (isWord("SELECT")) {
      if (!select(s)) return err_;
    } else if (isWord("INSERT")) {
      if (!insert(s)) return err_;
    } else if (isWord("UPDATE")) {
      if (!update(s)) return err_;
    } else if (isWord("DELETE")) {
      if (!del(s)) return err_;
    } else if (isWord("EXISTS")) {
      next();
      s.kind = Statement::Kind::Exists;
      if (!punct("(")) return fail();
      auto inner = std::make_unique<Statement>();
      if (!isWord("SELECT") || !select(*inner)) return err_.code ? err_ : fail();
      if (!punct(")")) return fail();
      s.inner = std::move(inner);
    } else {
      // DynamoDB's words for a statement that starts with no statement keyword.
      return failWith(malformed("Expected data manipulation")), err_;
    }
    if (peek().kind != K::End) return fail();
    s.params = params_;
    return s;
  }

 private:
  const Token& peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  const Token& next() {
    const Token& t = t_[i_];
    if (i_ + 1 < t_.size()) ++i_;
    return t;
  }
  bool isWord(const char* w, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == K::Ident && strcasecmp(t.text.c_str(), w) == 0;
  }
  bool word(const char* w) {
    if (!isWord(w)) return false;
    next();
    return true;
  }
  bool isPunct(std::string_view p, size_t ahead = 0) const {
    return peek(ahead).kind == K::Punct && peek(ahead).text == p;
  }
  bool punct(std::string_view p) {
    if (!isPunct(p)) return false;
    next();
    return true;
  }
  // A syntax error at the current token (the first error wins).
  Error fail() {
    if (err_.code) return err_;
    const Token& t = peek();
    if (t.kind == K::End) err_ = malformed("Unexpected end of statement");
    else err_ = malformed("Unexpected token: " + shown(t) + " at position " + std::to_string(t.pos));
    return err_;
  }
  bool failWith(Error e) {
    if (!err_.code) err_ = std::move(e);
    return false;
  }
  static std::string shown(const Token& t) {
    std::string s = t.kind == K::String ? "'" + t.text + "'" : t.kind == K::QuotedIdent ? "\"" + t.text + "\"" : t.text;
    if (s.size() > 64) s = s.substr(0, 64) + "...";
    return s;
  }
  struct Depth {
    Parser& p;
    explicit Depth(Parser& parser) : p(parser) { ++p.depth_; }
    ~Depth() { --p.depth_; }
    bool ok() const {
      if (p.depth_ <= kMaxDepth) return true;
      p.failWith(malformed("Statement nests deeper than " + std::to_string(kMaxDepth) + " levels"));
      return false;
    }
  };

  // FROM "table"[."index"]: at most two components, none empty (checked before any table lookup).
  bool source(Statement& s) {
    std::vector<std::string> parts;
    bool empty = false;
    do {
      const Token& t = peek();
      if (t.kind != K::Ident && t.kind != K::QuotedIdent) return (fail(), false);
      if (t.text.empty()) empty = true;
      parts.push_back(next().text);
    } while (punct("."));
    if (empty) return failWith(Error{kValidationError, "Path component cannot be an empty string"});
    if (parts.size() > 2)
      return failWith(Error{kValidationError, "A path may contain at most 2 components in the FROM clause"});
    s.table = parts[0];
    if (parts.size() == 2) s.index = parts[1];
    return true;
  }

  bool path(expr::Path& p) {
    const Token& t = peek();
    if (t.kind != K::Ident && t.kind != K::QuotedIdent) return (fail(), false);
    p.elements.push_back(expr::PathElement{next().text, -1});
    for (;;) {
      if (punct(".")) {
        const Token& n = peek();
        if (n.kind != K::Ident && n.kind != K::QuotedIdent) return (fail(), false);
        p.elements.push_back(expr::PathElement{next().text, -1});
      } else if (isPunct("[")) {
        next();
        const Token& n = peek();
        if (n.kind == K::Number) {
          int64_t idx = 0;
          for (char c : n.text) {
            if (c < '0' || c > '9' || idx > (int64_t{1} << 40)) return (fail(), false);
            idx = idx * 10 + (c - '0');
          }
          next();
          p.elements.push_back(expr::PathElement{"", idx});
        } else if (n.kind == K::String) {
          p.elements.push_back(expr::PathElement{next().text, -1});
        } else {
          return (fail(), false);
        }
        if (!punct("]")) return (fail(), false);
      } else {
        return true;
      }
    }
  }

  bool returning(Statement& s) {
    if (!word("RETURNING")) return true;
    bool all = word("ALL");
    if (!all && !word("MODIFIED")) return (fail(), false);
    bool old = word("OLD");
    if (!old && !word("NEW")) return (fail(), false);
    if (!punct("*")) return (fail(), false);
    using R = Statement::Returning;
    s.returning = all ? (old ? R::AllOld : R::AllNew) : (old ? R::ModifiedOld : R::ModifiedNew);
    s.returningText = std::string("RETURNING ") + (all ? "ALL" : "MODIFIED") + (old ? " OLD *" : " NEW *");
    return true;
  }

  bool select(Statement& s) {
    next();  // SELECT
    s.kind = Statement::Kind::Select;
    if (punct("*")) {
      s.selectAll = true;
    } else {
      do {
        expr::Path p;
        if (!path(p)) return false;
        s.projection.push_back(std::move(p));
      } while (punct(","));
    }
    if (!word("FROM")) return (fail(), false);
    if (!source(s)) return false;
    if (word("WHERE")) {
      s.where = orExpr();
      if (!s.where) return false;
    }
    if (word("ORDER")) {
      if (!word("BY")) return (fail(), false);
      expr::Path p;
      if (!path(p)) return false;
      s.orderBy = p.toString();
      if (word("DESC")) s.orderDescending = true;
      else word("ASC");
    }
    return true;
  }

  bool insert(Statement& s) {
    next();  // INSERT
    s.kind = Statement::Kind::Insert;
    if (!word("INTO")) return (fail(), false);
    if (!source(s)) return false;
    if (s.index) return failWith(malformed("FROM clause may only contain a single table name"));
    if (!word("VALUE")) return (fail(), false);
    s.value = additive();
    return s.value != nullptr;
  }

  bool update(Statement& s) {
    next();  // UPDATE
    s.kind = Statement::Kind::Update;
    if (!source(s)) return false;
    bool any = false;
    for (;;) {
      if (word("SET")) {
        do {
          SetAction a;
          if (!path(a.path)) return false;
          if (!punct("=")) return (fail(), false);
          a.value = additive();
          if (!a.value) return false;
          s.actions.push_back(std::move(a));
        } while (punct(","));
      } else if (word("REMOVE")) {
        do {
          SetAction a;
          a.remove = true;
          if (!path(a.path)) return false;
          s.actions.push_back(std::move(a));
        } while (punct(","));
      } else {
        break;
      }
      any = true;
    }
    if (!any || !word("WHERE")) return (fail(), false);
    s.where = orExpr();
    if (!s.where) return false;
    return returning(s);
  }

  bool del(Statement& s) {
    next();  // DELETE
    s.kind = Statement::Kind::Delete;
    if (!word("FROM")) return (fail(), false);
    if (!source(s)) return false;
    if (!word("WHERE")) return (fail(), false);
    s.where = orExpr();
    if (!s.where) return false;
    return returning(s);
  }

  ExprPtr make(Expr::Kind k, size_t pos) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->pos = pos;
    return e;
  }

  ExprPtr orExpr() {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    auto left = andExpr();
    while (left && isWord("OR")) {
      auto e = make(Expr::Kind::Or, next().pos);
      auto right = andExpr();
      if (!right) return nullptr;
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  ExprPtr andExpr() {
    auto left = notExpr();
    while (left && isWord("AND")) {
      auto e = make(Expr::Kind::And, next().pos);
      auto right = notExpr();
      if (!right) return nullptr;
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  ExprPtr notExpr() {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    if (isWord("NOT")) {
      auto e = make(Expr::Kind::Not, next().pos);
      auto inner = notExpr();
      if (!inner) return nullptr;
      e->children.push_back(std::move(inner));
      return e;
    }
    return predicate();
  }

  ExprPtr predicate() {
    auto left = additive();
    if (!left) return nullptr;
    static const std::pair<std::string_view, expr::ast::CompareOp> ops[] = {
        {"=", expr::ast::CompareOp::Eq}, {"<>", expr::ast::CompareOp::Ne}, {"!=", expr::ast::CompareOp::Ne},
        {"<", expr::ast::CompareOp::Lt}, {"<=", expr::ast::CompareOp::Le}, {">", expr::ast::CompareOp::Gt},
        {">=", expr::ast::CompareOp::Ge}};
    for (const auto& [text, op] : ops) {
      if (!isPunct(text)) continue;
      auto e = make(Expr::Kind::Compare, next().pos);
      e->op = op;
      e->opText = std::string(text);
      auto right = additive();
      if (!right) return nullptr;
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(right));
      return e;
    }
    bool negated = false;
    if (isWord("NOT") && (isWord("BETWEEN", 1) || isWord("IN", 1))) {
      next();
      negated = true;
    }
    if (isWord("BETWEEN")) {
      auto e = make(Expr::Kind::Between, next().pos);
      auto low = additive();
      if (!low) return nullptr;
      if (!word("AND")) return (fail(), nullptr);
      auto high = additive();
      if (!high) return nullptr;
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(low));
      e->children.push_back(std::move(high));
      return negate(std::move(e), negated);
    }
    if (isWord("IN")) {
      auto e = make(Expr::Kind::In, next().pos);
      e->children.push_back(std::move(left));
      const char* close = punct("[") ? "]" : punct("(") ? ")" : nullptr;
      if (!close) return (fail(), nullptr);
      do {
        auto c = additive();
        if (!c) return nullptr;
        e->children.push_back(std::move(c));
      } while (punct(","));
      if (!punct(close)) return (fail(), nullptr);
      return negate(std::move(e), negated);
    }
    if (isWord("IS")) {
      auto e = make(Expr::Kind::IsType, next().pos);
      e->negated = word("NOT");
      if (word("MISSING")) e->name = "MISSING";
      else if (word("NULL")) e->name = "NULL";
      else return (fail(), nullptr);
      e->children.push_back(std::move(left));
      return e;
    }
    return left;
  }

  ExprPtr negate(ExprPtr e, bool negated) {
    if (!negated) return e;
    auto n = make(Expr::Kind::Not, e->pos);
    n->children.push_back(std::move(e));
    return n;
  }

  ExprPtr additive() {
    auto left = unary();
    while (left && (isPunct("+") || isPunct("-"))) {
      auto e = make(peek().text == "+" ? Expr::Kind::Add : Expr::Kind::Sub, peek().pos);
      next();
      auto right = unary();
      if (!right) return nullptr;
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  ExprPtr unary() {
    if (isPunct("-") && peek(1).kind == K::Number) {
      size_t pos = next().pos;
      return number("-" + next().text, pos);
    }
    if (isPunct("+") && peek(1).kind == K::Number) next();
    return primary();
  }

  ExprPtr number(const std::string& text, size_t pos) {
    auto n = Number::parse(text);
    if (!n) return failWith(malformed(n.error().message)), nullptr;
    auto e = make(Expr::Kind::Literal, pos);
    e->value = AttributeValue::number(*n);
    return e;
  }

  // Items of a constructor up to `close`; a map's keys are string literals.
  bool items(Expr& e, std::string_view close, bool map) {
    if (punct(close)) return true;
    do {
      if (map) {
        if (peek().kind != K::String) return (fail(), false);
        auto k = make(Expr::Kind::Literal, peek().pos);
        k->value = AttributeValue::string(next().text);
        e.children.push_back(std::move(k));
        if (!punct(":")) return (fail(), false);
      }
      auto v = orExpr();
      if (!v) return false;
      e.children.push_back(std::move(v));
    } while (punct(","));
    if (!punct(close)) return (fail(), false);
    return true;
  }

  ExprPtr primary() {
    Depth d(*this);
    if (!d.ok()) return nullptr;
    const Token& t = peek();
    size_t pos = t.pos;
    switch (t.kind) {
      case K::String: {
        auto e = make(Expr::Kind::Literal, pos);
        e->value = AttributeValue::string(next().text);
        return e;
      }
      case K::Number: return number(next().text, pos);
      case K::Param: {
        next();
        auto e = make(Expr::Kind::Param, pos);
        e->param = params_++;
        return e;
      }
      case K::Punct: {
        if (punct("(")) {
          auto e = orExpr();
          if (!e) return nullptr;
          if (!punct(")")) return (fail(), nullptr);
          return e;
        }
        Expr::Kind k;
        std::string_view close;
        if (isPunct("{")) k = Expr::Kind::MapCtor, close = "}";
        else if (isPunct("[")) k = Expr::Kind::ListCtor, close = "]";
        else if (isPunct("<<")) k = Expr::Kind::SetCtor, close = ">>";
        else return (fail(), nullptr);
        next();
        auto e = make(k, pos);
        if (!items(*e, close, k == Expr::Kind::MapCtor)) return nullptr;
        return e;
      }
      case K::Ident: {
        if (isWord("TRUE") || isWord("FALSE")) {
          auto e = make(Expr::Kind::Literal, pos);
          e->value = AttributeValue::boolean(isWord("TRUE"));
          next();
          return e;
        }
        if (isWord("NULL")) {
          next();
          return make(Expr::Kind::Literal, pos);
        }
        if (isWord("MISSING")) {
          next();
          return make(Expr::Kind::Missing, pos);
        }
        if (isPunct("(", 1)) {
          auto e = make(Expr::Kind::Call, pos);
          for (char c : next().text) e->name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
          next();  // (
          if (!punct(")")) {
            do {
              auto a = orExpr();
              if (!a) return nullptr;
              e->children.push_back(std::move(a));
            } while (punct(","));
            if (!punct(")")) return (fail(), nullptr);
          }
          return e;
        }
        [[fallthrough]];
      }
      case K::QuotedIdent: {
        auto e = make(Expr::Kind::Path, pos);
        if (!path(e->path)) return nullptr;
        return e;
      }
      case K::End: break;
    }
    return (fail(), nullptr);
  }

  std::vector<Token> t_;
  size_t i_ = 0;
  int depth_ = 0;
  size_t params_ = 0;
  Error err_;
};

}  // namespace

Result<Statement> parseStatement(std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tokens.error();
  Parser p(std::move(*tokens));
  return p.statement();
}

}  // namespace cdnlab::store::partiql

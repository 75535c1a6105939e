// The template parser (see parser.h): a hand-written scanner over the text that splits it into
// text, references and directives, and a precedence-climbing parser for the expressions inside
// directives and method arguments. Whitespace follows Velocity's "lines" gobbling: a directive or
// comment alone on its line takes the line (indentation and newline) with it.
#include "gateway/vtl/parser.h"

#include <cctype>
#include <cstdlib>
#include <optional>

namespace cdnlab::gateway::vtl {
namespace {

bool identStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// How a block ended: the directive that closed it, or the end of the text.
enum class Terminator { Eof, End, Else, ElseIf };

class Parser {
 public:
  Parser(std::string_view name, std::string_view src, Pos start) : name_(name), src_(src), line_(start.line), col_(start.col) {}

  Result<Block> parseAll() {
    Terminator t;
    Block b = parseBlock(0, t);
    if (!err_.empty()) return Error{400, err_};
    if (t != Terminator::Eof) {
      fail(termPos_, std::string(t == Terminator::End ? "#end" : t == Terminator::Else ? "#else" : "#elseif") +
                         " without a matching #if or #foreach");
      return Error{400, err_};
    }
    return b;
  }

 private:
  // ---- position and errors ----
  bool eof() const { return i_ >= src_.size(); }
  char peek(size_t k = 0) const { return i_ + k < src_.size() ? src_[i_ + k] : '\0'; }
  Pos pos() const { return Pos{line_, col_}; }
  void advance(size_t n = 1) {
    for (size_t k = 0; k < n && i_ < src_.size(); ++k, ++i_) {
      if (src_[i_] == '\n') {
        ++line_;
        col_ = 1;
      } else {
        ++col_;
      }
    }
  }
  bool fail(Pos p, const std::string& msg) {
    if (err_.empty()) err_ = name_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.col) + ": " + msg;
    return false;
  }
  bool failed() const { return !err_.empty(); }

  void skipWs() {
    while (!eof() && std::isspace(static_cast<unsigned char>(peek()))) advance();
  }
  bool expect(char c, const char* what) {
    skipWs();
    if (peek() != c) return fail(pos(), std::string("expected ") + what);
    advance();
    return true;
  }

  // ---- whitespace gobbling ----
  // Number of spaces/tabs before `at` back to the start of its line, or -1 when something else
  // stands on the line before it.
  int indentBefore(size_t at) const {
    size_t k = at;
    while (k > 0 && (src_[k - 1] == ' ' || src_[k - 1] == '\t')) --k;
    if (k == 0 || src_[k - 1] == '\n') return static_cast<int>(at - k);
    return -1;
  }
  // After a directive: when it stood alone on its line, drop its indentation from the text
  // before it and consume the rest of the line.
  void gobbleLine(int indent, std::string& text) {
    if (indent < 0) return;
    size_t k = i_;
    while (k < src_.size() && (src_[k] == ' ' || src_[k] == '\t')) ++k;
    bool lineEnds = k == src_.size() || src_[k] == '\n' || (src_[k] == '\r' && k + 1 < src_.size() && src_[k + 1] == '\n');
    if (!lineEnds) return;
    if (text.size() >= static_cast<size_t>(indent)) text.resize(text.size() - indent);
    advance(k - i_);
    if (peek() == '\r') advance();
    if (peek() == '\n') advance();
  }

  // ---- blocks ----
  Block parseBlock(int depth, Terminator& term) {
    Block out;
    std::string text;
    Pos textPos = pos();
    auto flush = [&] {
      if (!text.empty()) {
        Node n;
        n.kind = Node::Kind::Text;
        n.pos = textPos;
        n.text = std::move(text);
        out.push_back(std::move(n));
        text.clear();
      }
    };
    term = Terminator::Eof;
    if (depth > kMaxNesting) {
      fail(pos(), "directives nested deeper than " + std::to_string(kMaxNesting) + " levels");
      return out;
    }
    while (!eof() && !failed()) {
      char c = peek();
      if (text.empty()) textPos = pos();
      if (c == '\\' && (peek(1) == '$' || peek(1) == '#')) {
        // \$x and \#x write the reference or directive as text.
        text += peek(1);
        advance(2);
        continue;
      }
      if (c == '$') {
        Pos p = pos();
        size_t start = i_;
        std::optional<Node> ref = tryReference();
        if (failed()) break;
        if (!ref) {
          text += '$';
          advance();
          continue;
        }
        flush();
        ref->pos = p;
        ref->text = std::string(src_.substr(start, i_ - start));
        out.push_back(std::move(*ref));
        continue;
      }
      if (c != '#') {
        text += c;
        advance();
        continue;
      }
      // '#': comment, unparsed block, directive, or plain text.
      size_t start = i_;
      int indent = indentBefore(start);
      Pos p = pos();
      if (peek(1) == '#') {
        while (!eof() && peek() != '\n') advance();
        if (indent >= 0) {
          if (text.size() >= static_cast<size_t>(indent)) text.resize(text.size() - indent);
        }
        if (peek() == '\n') advance();
        continue;
      }
      if (peek(1) == '*') {
        advance(2);
        while (!eof() && !(peek() == '*' && peek(1) == '#')) advance();
        if (eof()) {
          fail(p, "#* comment without its closing *#");
          break;
        }
        advance(2);
        gobbleLine(indent, text);
        continue;
      }
      if (peek(1) == '[' && peek(2) == '[') {
        advance(3);
        while (!eof() && !(peek() == ']' && peek(1) == ']' && peek(2) == '#')) {
          text += peek();
          advance();
        }
        if (eof()) {
          fail(p, "#[[ without its closing ]]#");
          break;
        }
        advance(3);
        continue;
      }
      bool braced = peek(1) == '{';
      size_t k = i_ + (braced ? 2 : 1);
      if (k >= src_.size() || !identStart(src_[k])) {
        text += c;
        advance();
        continue;
      }
      size_t e = k;
      while (e < src_.size() && std::isalpha(static_cast<unsigned char>(src_[e]))) ++e;
      std::string word(src_.substr(k, e - k));
      if (braced && (e >= src_.size() || src_[e] != '}')) {
        text += c;
        advance();
        continue;
      }
      if (word == "macro" || word == "parse" || word == "include" || word == "define" || word == "evaluate") {
        fail(p, "#" + word + " is not supported in mapping templates");
        break;
      }
      static const char* kKnown[] = {"set", "if", "elseif", "else", "end", "foreach", "break", "stop"};
      bool known = false;
      for (const char* w : kKnown) known = known || word == w;
      if (!known) {  // Velocity writes an unknown #word as text
        text += c;
        advance();
        continue;
      }
      advance(e - i_ + (braced ? 1 : 0));
      if (word == "end" || word == "else") {
        gobbleLine(indent, text);
        flush();
        term = word == "end" ? Terminator::End : Terminator::Else;
        termPos_ = p;
        return out;
      }
      if (word == "elseif") {
        term = Terminator::ElseIf;
        termPos_ = p;
        pendingCond_ = parseParenExpr(depth);
        gobbleLine(indent, text);
        flush();
        return out;
      }
      Node n;
      n.pos = p;
      if (word == "break" || word == "stop") {
        n.kind = word == "break" ? Node::Kind::Break : Node::Kind::Stop;
        gobbleLine(indent, text);
        flush();
        out.push_back(std::move(n));
        continue;
      }
      if (word == "set") {
        n.kind = Node::Kind::Set;
        if (!expect('(', "( after #set")) break;
        skipWs();
        if (!parseSetTarget(n.target, depth)) break;
        if (!expect('=', "= in #set")) break;
        n.expr = parseExpr(depth + 1);
        if (failed() || !expect(')', ") closing #set")) break;
        gobbleLine(indent, text);
        flush();
        out.push_back(std::move(n));
        continue;
      }
      if (word == "if") {
        n.kind = Node::Kind::If;
        ExprPtr cond = parseParenExpr(depth);
        if (failed()) break;
        gobbleLine(indent, text);
        flush();
        while (true) {
          Terminator t;
          Block b = parseBlock(depth + 1, t);
          if (failed()) break;
          n.branches.emplace_back(std::move(cond), std::move(b));
          if (t == Terminator::ElseIf) {
            cond = std::move(pendingCond_);
            continue;
          }
          if (t == Terminator::Else) {
            Terminator t2;
            n.elseBody = parseBlock(depth + 1, t2);
            if (failed()) break;
            if (t2 != Terminator::End) fail(t2 == Terminator::Eof ? p : termPos_, "#if without its #end");
          } else if (t != Terminator::End) {
            fail(p, "#if without its #end");
          }
          break;
        }
        if (failed()) break;
        out.push_back(std::move(n));
        continue;
      }
      // foreach
      n.kind = Node::Kind::Foreach;
      if (!expect('(', "( after #foreach")) break;
      skipWs();
      if (peek() != '$') {
        fail(pos(), "expected $variable in #foreach");
        break;
      }
      advance();
      if (peek() == '{') advance();
      if (!identStart(peek())) {
        fail(pos(), "expected $variable in #foreach");
        break;
      }
      size_t vs = i_;
      while (identChar(peek())) advance();
      n.target.root = std::string(src_.substr(vs, i_ - vs));
      if (peek() == '}') advance();
      skipWs();
      if (!(peek() == 'i' && peek(1) == 'n' && !identChar(peek(2)))) {
        fail(pos(), "expected 'in' in #foreach");
        break;
      }
      advance(2);
      n.expr = parseExpr(depth + 1);
      if (failed() || !expect(')', ") closing #foreach")) break;
      gobbleLine(indent, text);
      flush();
      Terminator t;
      n.body = parseBlock(depth + 1, t);
      if (failed()) break;
      if (t != Terminator::End) {
        fail(t == Terminator::Eof ? p : termPos_, t == Terminator::Eof ? "#foreach without its #end" : "#else/#elseif inside #foreach");
        break;
      }
      out.push_back(std::move(n));
    }
    flush();
    return out;
  }

  ExprPtr parseParenExpr(int depth) {
    if (!expect('(', "( after the directive")) return nullptr;
    ExprPtr e = parseExpr(depth + 1);
    if (failed()) return nullptr;
    if (!expect(')', ") closing the condition")) return nullptr;
    return e;
  }

  bool parseSetTarget(Reference& target, int depth) {
    if (peek() != '$') return fail(pos(), "expected $variable as the #set target");
    Pos p = pos();
    std::optional<Node> ref = tryReference(depth);
    if (failed()) return false;
    if (!ref) return fail(p, "expected $variable as the #set target");
    target = std::move(ref->expr->ref);
    for (const auto& s : target.suffixes)
      if (s.kind == Suffix::Kind::Method) return fail(s.pos, "a #set target cannot call a method");
    return true;
  }

  // ---- references ----
  // At '$': a reference ($x, $!x, ${x}, $!{x} with .props, .methods(...) and [index]) or nothing
  // (the '$' is text).
  std::optional<Node> tryReference(int depth = 0) {
    size_t k = i_ + 1;
    bool quiet = false, braced = false;
    if (k < src_.size() && src_[k] == '!') {
      quiet = true;
      ++k;
    }
    if (k < src_.size() && src_[k] == '{') {
      braced = true;
      ++k;
    }
    if (k >= src_.size() || !identStart(src_[k])) return std::nullopt;
    Pos p = pos();
    advance(k - i_);
    Node n;
    n.kind = Node::Kind::Ref;
    n.quiet = quiet;
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Ref;
    e->pos = p;
    e->ref.pos = p;
    size_t s = i_;
    while (identChar(peek())) advance();
    e->ref.root = std::string(src_.substr(s, i_ - s));
    while (!failed()) {
      if (peek() == '.' && identStart(peek(1))) {
        Suffix suf;
        suf.pos = pos();
        advance();
        size_t ns = i_;
        while (identChar(peek())) advance();
        suf.name = std::string(src_.substr(ns, i_ - ns));
        if (peek() == '(') {
          suf.kind = Suffix::Kind::Method;
          advance();
          skipWs();
          if (peek() != ')') {
            while (!failed()) {
              suf.args.push_back(parseExpr(depth + 1));
              if (failed()) break;
              skipWs();
              if (peek() == ',') {
                advance();
                continue;
              }
              break;
            }
          }
          if (failed() || !expect(')', ") closing the method's arguments")) break;
        }
        e->ref.suffixes.push_back(std::move(suf));
        continue;
      }
      if (peek() == '[') {
        Suffix suf;
        suf.kind = Suffix::Kind::Index;
        suf.pos = pos();
        advance();
        suf.args.push_back(parseExpr(depth + 1));
        if (failed() || !expect(']', "] closing the index")) break;
        e->ref.suffixes.push_back(std::move(suf));
        continue;
      }
      break;
    }
    if (failed()) return std::nullopt;
    if (braced) {
      if (peek() != '}') {
        fail(pos(), "expected } closing ${...}");
        return std::nullopt;
      }
      advance();
    }
    n.expr = std::move(e);
    return n;
  }

  // ---- expressions ----
  bool word(const char* w) {
    size_t n = std::char_traits<char>::length(w);
    if (src_.substr(i_, n) != w) return false;
    if (i_ + n < src_.size() && identChar(src_[i_ + n])) return false;
    advance(n);
    return true;
  }
  bool sym(const char* s) {
    size_t n = std::char_traits<char>::length(s);
    if (src_.substr(i_, n) != s) return false;
    advance(n);
    return true;
  }
  ExprPtr binary(std::string op, ExprPtr a, ExprPtr b, Pos p) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Binary;
    e->op = std::move(op);
    e->pos = p;
    e->items.push_back(std::move(a));
    e->items.push_back(std::move(b));
    return e;
  }

  ExprPtr parseExpr(int depth) {
    if (depth > kMaxNesting) {
      fail(pos(), "expression nested deeper than " + std::to_string(kMaxNesting) + " levels");
      return nullptr;
    }
    return parseOr(depth);
  }
  ExprPtr parseOr(int depth) {
    ExprPtr a = parseAnd(depth);
    while (!failed()) {
      skipWs();
      Pos p = pos();
      if (!sym("||") && !word("or")) break;
      a = binary("||", std::move(a), parseAnd(depth), p);
    }
    return a;
  }
  ExprPtr parseAnd(int depth) {
    ExprPtr a = parseEquality(depth);
    while (!failed()) {
      skipWs();
      Pos p = pos();
      if (!sym("&&") && !word("and")) break;
      a = binary("&&", std::move(a), parseEquality(depth), p);
    }
    return a;
  }
  ExprPtr parseEquality(int depth) {
    ExprPtr a = parseRelational(depth);
    while (!failed()) {
      skipWs();
      Pos p = pos();
      std::string op;
      if (sym("==") || word("eq")) {
        op = "==";
      } else if (sym("!=") || word("ne")) {
        op = "!=";
      } else {
        break;
      }
      a = binary(op, std::move(a), parseRelational(depth), p);
    }
    return a;
  }
  ExprPtr parseRelational(int depth) {
    ExprPtr a = parseAdditive(depth);
    while (!failed()) {
      skipWs();
      Pos p = pos();
      std::string op;
      if (sym("<=") || word("le")) {
        op = "<=";
      } else if (sym(">=") || word("ge")) {
        op = ">=";
      } else if (sym("<") || word("lt")) {
        op = "<";
      } else if (sym(">") || word("gt")) {
        op = ">";
      } else {
        break;
      }
      a = binary(op, std::move(a), parseAdditive(depth), p);
    }
    return a;
  }
  ExprPtr parseAdditive(int depth) {
    ExprPtr a = parseMultiplicative(depth);
    while (!failed()) {
      skipWs();
      Pos p = pos();
      char c = peek();
      if (c != '+' && c != '-') break;
      advance();
      a = binary(std::string(1, c), std::move(a), parseMultiplicative(depth), p);
    }
    return a;
  }
  ExprPtr parseMultiplicative(int depth) {
    ExprPtr a = parseUnary(depth);
    while (!failed()) {
      skipWs();
      Pos p = pos();
      char c = peek();
      if (c != '*' && c != '/' && c != '%') break;
      advance();
      a = binary(std::string(1, c), std::move(a), parseUnary(depth), p);
    }
    return a;
  }
  ExprPtr parseUnary(int depth) {
    if (depth > kMaxNesting) {
      fail(pos(), "expression nested deeper than " + std::to_string(kMaxNesting) + " levels");
      return nullptr;
    }
    skipWs();
    Pos p = pos();
    if ((peek() == '!' && peek(1) != '=') || word("not")) {
      if (peek() == '!') advance();
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::Not;
      e->pos = p;
      e->items.push_back(parseUnary(depth + 1));
      return e;
    }
    if (peek() == '-' && !std::isdigit(static_cast<unsigned char>(peek(1)))) {
      advance();
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::Negate;
      e->pos = p;
      e->items.push_back(parseUnary(depth + 1));
      return e;
    }
    return parsePrimary(depth);
  }

  ExprPtr literal(Value v, Pos p) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Literal;
    e->literal = std::move(v);
    e->pos = p;
    return e;
  }

  ExprPtr parsePrimary(int depth) {
    skipWs();
    Pos p = pos();
    char c = peek();
    if (c == '(') {
      advance();
      ExprPtr e = parseExpr(depth + 1);
      if (failed() || !expect(')', ")")) return nullptr;
      return e;
    }
    if (c == '$') {
      std::optional<Node> ref = tryReference(depth + 1);
      if (failed()) return nullptr;
      if (!ref) {
        fail(p, "expected a reference after $");
        return nullptr;
      }
      return std::move(ref->expr);
    }
    if (c == '\'' || c == '"') return parseString(depth, p);
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      size_t s = i_;
      if (c == '-') advance();
      while (std::isdigit(static_cast<unsigned char>(peek()))) advance();
      bool isDouble = false;
      if (peek() == '.' && std::isdigit(static_cast<unsigned char>(peek(1)))) {
        isDouble = true;
        advance();
        while (std::isdigit(static_cast<unsigned char>(peek()))) advance();
      }
      std::string t(src_.substr(s, i_ - s));
      if (t == "-") {
        fail(p, "expected a number");
        return nullptr;
      }
      if (isDouble) return literal(Value(std::strtod(t.c_str(), nullptr)), p);
      errno = 0;
      long long v = std::strtoll(t.c_str(), nullptr, 10);
      if (errno == ERANGE) {
        fail(p, "integer out of range: " + t);
        return nullptr;
      }
      return literal(Value(static_cast<int64_t>(v)), p);
    }
    if (c == '[') {
      advance();
      skipWs();
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::List;
      e->pos = p;
      if (peek() == ']') {
        advance();
        return e;
      }
      e->items.push_back(parseExpr(depth + 1));
      skipWs();
      if (!failed() && sym("..")) {
        e->kind = Expr::Kind::Range;
        e->items.push_back(parseExpr(depth + 1));
        if (failed() || !expect(']', "] closing the range")) return nullptr;
        return e;
      }
      while (!failed() && peek() == ',') {
        advance();
        e->items.push_back(parseExpr(depth + 1));
        skipWs();
      }
      if (failed() || !expect(']', "] closing the list")) return nullptr;
      return e;
    }
    if (c == '{') {
      advance();
      skipWs();
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::Map;
      e->pos = p;
      if (peek() == '}') {
        advance();
        return e;
      }
      while (!failed()) {
        e->items.push_back(parseExpr(depth + 1));
        if (failed() || !expect(':', ": in the map")) return nullptr;
        e->items.push_back(parseExpr(depth + 1));
        skipWs();
        if (peek() == ',') {
          advance();
          continue;
        }
        break;
      }
      if (failed() || !expect('}', "} closing the map")) return nullptr;
      return e;
    }
    if (word("true")) return literal(Value(true), p);
    if (word("false")) return literal(Value(false), p);
    if (word("null")) return literal(Value(), p);
    if (identStart(c)) {
      size_t s = i_;
      while (identChar(peek())) advance();
      fail(p, "unexpected '" + std::string(src_.substr(s, i_ - s)) + "' (variables start with $)");
      return nullptr;
    }
    fail(p, eof() ? "unexpected end of the template" : std::string("unexpected '") + c + "'");
    return nullptr;
  }

  // 'single' strings are literal; "double" ones interpolate $references and #directives.
  // A quote is written doubled inside ('it''s').
  ExprPtr parseString(int depth, Pos p) {
    char q = peek();
    advance();
    std::string content;
    Pos contentPos = pos();
    while (true) {
      if (eof()) {
        fail(p, "string without its closing quote");
        return nullptr;
      }
      if (peek() == q) {
        if (peek(1) == q) {
          content += q;
          advance(2);
          continue;
        }
        advance();
        break;
      }
      content += peek();
      advance();
    }
    if (q == '\'' || (content.find('$') == std::string::npos && content.find('#') == std::string::npos))
      return literal(Value(std::move(content)), p);
    Parser sub(name_, content, contentPos);
    if (depth + 1 > kMaxNesting) {
      fail(p, "strings nested deeper than " + std::to_string(kMaxNesting) + " levels");
      return nullptr;
    }
    Terminator t;
    Block b = sub.parseBlock(depth + 1, t);
    if (sub.failed()) {
      err_ = sub.err_;
      return nullptr;
    }
    if (t != Terminator::Eof) {
      fail(p, "#end/#else without a matching #if or #foreach in a string");
      return nullptr;
    }
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Interpolated;
    e->pos = p;
    e->parts = std::make_shared<Block>(std::move(b));
    return e;
  }

  std::string name_;
  std::string_view src_;
  size_t i_ = 0;
  int line_;
  int col_;
  std::string err_;
  Pos termPos_;
  ExprPtr pendingCond_;
};

}  // namespace

Result<std::shared_ptr<const Template>> parseTemplate(std::string_view name, std::string_view text) {
  Parser p(name, text, Pos{});
  Result<Block> b = p.parseAll();
  if (!b) return b.error();
  auto t = std::make_shared<Template>();
  t->name = std::string(name);
  t->root = std::move(b.value());
  return std::shared_ptr<const Template>(std::move(t));
}

}  // namespace cdnlab::gateway::vtl

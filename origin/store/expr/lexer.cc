// The expression lexer (see lexer.h).
#include "origin/store/expr/lexer.h"

namespace cdnlab::store::expr {
namespace {

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isWordChar(char c) { return isAlpha(c) || isDigit(c) || c == '_'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Length of the UTF-8 sequence starting with byte c (1 for stray continuation bytes), so an
// Unknown token is a whole character in error messages.
size_t utf8Length(unsigned char c) {
  if (c >= 0xF0 && c <= 0xF7) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  auto push = [&](Token::Kind kind, size_t start, size_t end) {
    out.push_back(Token{kind, text.substr(start, end - start), start});
  };
  while (i < text.size()) {
    char c = text[i];
    if (isSpace(c)) {
      ++i;
      continue;
    }
    size_t start = i;
    if (isAlpha(c)) {  // a name starts with a letter: "_a" is a syntax error on "_", as in DynamoDB
      while (i < text.size() && isWordChar(text[i])) ++i;
      push(Token::Kind::Ident, start, i);
      continue;
    }
    if (isDigit(c)) {
      while (i < text.size() && isDigit(text[i])) ++i;
      push(Token::Kind::Int, start, i);
      continue;
    }
    if ((c == '#' || c == ':') && i + 1 < text.size() && isWordChar(text[i + 1])) {
      ++i;
      while (i < text.size() && isWordChar(text[i])) ++i;
      push(c == '#' ? Token::Kind::NameRef : Token::Kind::ValueRef, start, i);
      continue;
    }
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    Token::Kind kind = Token::Kind::Unknown;
    size_t len = 1;
    switch (c) {
      case '(': kind = Token::Kind::LParen; break;
      case ')': kind = Token::Kind::RParen; break;
      case '[': kind = Token::Kind::LBracket; break;
      case ']': kind = Token::Kind::RBracket; break;
      case ',': kind = Token::Kind::Comma; break;
      case '.': kind = Token::Kind::Dot; break;
      case '=': kind = Token::Kind::Eq; break;
      case '+': kind = Token::Kind::Plus; break;
      case '-': kind = Token::Kind::Minus; break;
      case '<':
        if (next == '>') {
          kind = Token::Kind::Ne;
          len = 2;
        } else if (next == '=') {
          kind = Token::Kind::Le;
          len = 2;
        } else {
          kind = Token::Kind::Lt;
        }
        break;
      case '>':
        if (next == '=') {
          kind = Token::Kind::Ge;
          len = 2;
        } else {
          kind = Token::Kind::Gt;
        }
        break;
      default:
        len = utf8Length(static_cast<unsigned char>(c));
        if (start + len > text.size()) len = text.size() - start;
        break;
    }
    i = start + len;
    push(kind, start, i);
  }
  out.push_back(Token{Token::Kind::End, text.substr(text.size()), text.size()});
  return out;
}

}  // namespace cdnlab::store::expr

// PartiQL tokens (partiql/lexer.h). The statement is hostile input: every byte is either part
// of a token or an error, and no token is longer than the statement.
#include "origin/store/partiql/lexer.h"

#include <cctype>

#include "origin/store/model/number.h"

namespace cdnlab::store::partiql {
namespace {

bool identStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identPart(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// A quoted run starting at text[i] (the opening quote), with the quote doubled inside for itself.
// Sets `end` past the closing quote; false when the statement ends first.
bool readQuoted(std::string_view text, size_t i, std::string& out, size_t& end) {
  const char q = text[i];
  for (size_t j = i + 1; j < text.size(); ++j) {
    if (text[j] != q) {
      out.push_back(text[j]);
      continue;
    }
    if (j + 1 < text.size() && text[j + 1] == q) {
      out.push_back(q);
      ++j;
      continue;
    }
    end = j + 1;
    return true;
  }
  return false;
}

}  // namespace

Error malformed(std::string_view detail) {
  return Error{kValidationError, "Statement wasn't well formed, can't be processed: " + std::string(detail)};
}

Result<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {  // a line comment
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    Token t;
    t.pos = i;
    if (identStart(c)) {
      size_t j = i;
      while (j < text.size() && identPart(text[j])) ++j;
      t.kind = Token::Kind::Ident;
      t.text = std::string(text.substr(i, j - i));
      i = j;
    } else if (c == '"' || c == '\'') {
      size_t end = 0;
      if (!readQuoted(text, i, t.text, end))
        return malformed(c == '"' ? "Unterminated quoted identifier" : "Unterminated string literal");
      t.kind = c == '"' ? Token::Kind::QuotedIdent : Token::Kind::String;
      i = end;
    } else if (digit(c) || (c == '.' && i + 1 < text.size() && digit(text[i + 1]))) {
      size_t j = i;
      while (j < text.size() && digit(text[j])) ++j;
      if (j < text.size() && text[j] == '.') {
        ++j;
        while (j < text.size() && digit(text[j])) ++j;
      }
      if (j < text.size() && (text[j] == 'e' || text[j] == 'E')) {
        size_t k = j + 1;
        if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
        if (k < text.size() && digit(text[k])) {
          while (k < text.size() && digit(text[k])) ++k;
          j = k;
        }
      }
      t.kind = Token::Kind::Number;
      t.text = std::string(text.substr(i, j - i));
      i = j;
    } else if (c == '?') {
      t.kind = Token::Kind::Param;
      t.text = "?";
      ++i;
    } else {
      static constexpr std::string_view two[] = {"<=", ">=", "<>", "!=", "<<", ">>"};
      t.kind = Token::Kind::Punct;
      std::string_view rest = text.substr(i);
      for (auto p : two)
        if (rest.starts_with(p)) t.text = std::string(p);
      if (t.text.empty()) {
        static constexpr std::string_view one = "()[]{},.:*+-=<>";
        if (one.find(c) == std::string_view::npos) {
          std::string shown = std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c) : "?";
          return malformed("Unexpected character: " + shown + " at position " + std::to_string(i));
        }
        t.text = std::string(1, c);
      }
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.pos = text.size();
  out.push_back(end);
  return out;
}

}  // namespace cdnlab::store::partiql

// Tokens of DynamoDB's expression language, shared by every expression kind (expr/parser.cc).
// The lexer never fails: a character it does not know becomes an Unknown token, which the parser
// reports as DynamoDB does ("Syntax error; token: \"!\", near: \"a !\"").
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace cdnlab::store::expr {

struct Token {
  enum class Kind {
    Ident,     // attribute name, keyword or function name: [A-Za-z_][A-Za-z0-9_]*
    NameRef,   // #name placeholder
    ValueRef,  // :value placeholder
    Int,       // a list index
    LParen, RParen, LBracket, RBracket, Comma, Dot,
    Eq, Ne, Lt, Le, Gt, Ge, Plus, Minus,
    Unknown,   // any other character (one UTF-8 sequence)
    End,       // end of input; text is empty
  };
  Kind kind = Kind::End;
  std::string_view text;  // a view into the expression text
  size_t pos = 0;         // byte offset of text
};

// Splits the whole text into tokens; the last is always End. Views point into `text`.
std::vector<Token> tokenize(std::string_view text);

}  // namespace cdnlab::store::expr

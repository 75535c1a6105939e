// Tokens of DynamoDB's PartiQL dialect (partiql/parser.cc reads them). Identifiers are bare
// (`pk`) or double-quoted (`"my table"`, `""` inside for a quote); strings are single-quoted
// (`'it''s'`); `?` is a positional parameter. Keywords are bare identifiers the parser
// recognises in any case. Errors carry DynamoDB's envelope, "Statement wasn't well formed, can't
// be processed: ...".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdnlab::store::partiql {

struct Token {
  enum class Kind {
    Ident,        // bare identifier or keyword: [A-Za-z_][A-Za-z0-9_$]*
    QuotedIdent,  // "..." (text: unescaped)
    String,       // '...' (text: unescaped)
    Number,       // 12, 1.5, .5, 1e3 (no sign: the parser folds a leading minus)
    Param,        // ?
    Punct,        // ( ) [ ] { } , . : * + - = < > <= >= <> != << >>
    End,
  };
  Kind kind = Kind::End;
  std::string text;
  size_t pos = 0;  // byte offset in the statement
};

// Every token of `text`, the last one End. An unterminated quote or a character outside the
// grammar is an error.
Result<std::vector<Token>> tokenize(std::string_view text);

// "Statement wasn't well formed, can't be processed: <detail>".
Error malformed(std::string_view detail);

}  // namespace cdnlab::store::partiql

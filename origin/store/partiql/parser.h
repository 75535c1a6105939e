// The PartiQL parser: a statement's text to its tree (partiql/ast.h). Hostile input: the text is
// bounded by the request's 8192 characters, nesting by kMaxDepth, and every failure is a
// ValidationException worded as DynamoDB's ("Statement wasn't well formed, can't be processed:
// ...", "A path may contain at most 2 components in the FROM clause", ...).
#pragma once

#include <string_view>

#include "common/result.h"
#include "origin/store/partiql/ast.h"

namespace cdnlab::store::partiql {

// Deeper nesting (parentheses, NOT, constructors) is refused before the recursion could
// exhaust the stack; DynamoDB's own documents stop at 32 levels.
inline constexpr int kMaxDepth = 64;

Result<Statement> parseStatement(std::string_view text);

}  // namespace cdnlab::store::partiql

// A bound on JSON nesting checked before any parse: RapidJSON's DOM parser and everything that
// walks a parsed tree recurse once per level, so a body of ~200,000 '[' would overflow the stack.
// The scan is one non-recursive pass (it skips string contents, escapes included). Depths up to
// the limit parse normally, and DynamoDB's own limit of 32 nested M/L levels (json.h) answers
// with its ValidationException; anything deeper than kMaxJsonDepth is refused before parsing.
#pragma once

#include <string_view>

namespace cdnlab::store {

// 32 attribute levels take 2 JSON levels each ({"M":{"a":...}}), under at most ~6 levels of
// request structure (TransactItems[i].Update.ExpressionAttributeValues...): 128 leaves room.
inline constexpr int kMaxJsonDepth = 128;

// True if arrays/objects in `text` nest deeper than `maxDepth`. Malformed JSON is not judged
// here (the parser reports it); only the bracket depth outside strings counts.
bool jsonNestsDeeperThan(std::string_view text, int maxDepth = kMaxJsonDepth);

}  // namespace cdnlab::store

// A bound on JSON nesting checked before any parse: RapidJSON's DOM parser and everything that
// walks a parsed tree recurse once per level, so a body of ~200,000 '[' would overflow the stack.
// The scan is one non-recursive pass (it skips string contents, escapes included). Depths up to
// the limit parse normally, and DynamoDB's own limit of 32 nested M/L levels (json.h) answers
// with its ValidationException; a text deeper than kMaxJsonDepth is refused before parsing, with
// that same ValidationException when it is well-formed (only an attribute value can nest that deep
// in a DynamoDB request, and it is then far past 32 levels) and as unreadable JSON otherwise.
#pragma once

#include <string_view>

#include "common/json_depth.h"

namespace cdnlab::store {

// 32 attribute levels take 2 JSON levels each ({"M":{"a":...}}), under at most ~6 levels of
// request structure (TransactItems[i].Update.ExpressionAttributeValues...): 128 leaves room.
inline constexpr int kMaxJsonDepth = 128;

// True if arrays/objects in `text` nest deeper than `maxDepth` (the scan in common/json_depth.h).
inline bool jsonNestsDeeperThan(std::string_view text, int maxDepth = kMaxJsonDepth) {
  return cdnlab::jsonNestsDeeperThan(text, maxDepth);
}

// True if `text` is exactly one well-formed JSON object (surrounding whitespace allowed). Checked
// with RapidJSON's iterative reader and no document, so any depth costs heap, never stack.
bool isWellFormedJsonObject(std::string_view text);

// DynamoDB's ValidationException message for an attribute value nested past its 32 levels
// (Developer Guide, "Service, account, and table quotas": nested attributes up to 32 levels deep).
inline constexpr const char* kNestingTooDeepMessage =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

}  // namespace cdnlab::store

// Reading a document path out of an item: shared by condition evaluation, projection and update.
#pragma once

#include "origin/store/expr/path.h"
#include "origin/store/model/value.h"

namespace cdnlab::store::expr {

// The value at `path`, or nullptr when any step is missing or of the wrong type (a name step into
// a non-map, an index step into a non-list or past its end).
const AttributeValue* resolvePath(const Item& item, const Path& path);

}  // namespace cdnlab::store::expr

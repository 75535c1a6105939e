// UpdateItem's second size gate. DynamoDB refuses an UpdateItem whose finished item is over 400 KB,
// like every write, and also one whose mutation is: the top-level attributes the update writes
// (name and finished value) plus a fixed charge per action, so the key and any attribute the
// update leaves alone are out of that figure. At a short key this puts UpdateItem's ceiling below
// 400 KB ("Item size to update has exceeded the maximum allowed size" where a PutItem of the same
// item succeeds). Only the standalone operation measures this way: an Update inside
// TransactWriteItems is measured by its finished item alone.
#pragma once

#include <cstddef>
#include <vector>

#include "origin/store/expr/expr.h"
#include "origin/store/item_splice.h"
#include "origin/store/model/value.h"

namespace cdnlab::store {

// The mutation's size for `update` yielding the finished item `next`: what is compared with
// kMaxItemSize besides itemSize(next).
size_t updateMutationSize(const expr::Update& update, const Item& next);

// The same for the fast path's top-level constant SETs (each writes its own value).
size_t updateMutationSize(const std::vector<TopLevelSet>& sets);

}  // namespace cdnlab::store

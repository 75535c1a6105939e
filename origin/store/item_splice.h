// UpdateItem's fast path for the commonest update, `SET a = :x, b = :y` on top-level attributes:
// the new item's stored JSON is spliced from the stored text and the new values, without parsing
// the stored item into a map and serialising it again (those two conversions were 40% of an
// UpdateItem's instructions). The result is byte-identical to toJson(applyUpdate(...).item): the
// stored text is what toJson wrote (members in name order, values in canonical form), kept
// members are copied verbatim and new ones are written by the same writer. Anything this path
// does not recognise - an escaped name, members out of order, a malformed record - makes it
// decline, and the caller takes the general path.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "origin/store/expr/expr.h"
#include "origin/store/model/value.h"

namespace cdnlab::store {

// One `SET name = :value` action on a top-level attribute.
struct TopLevelSet {
  std::string_view name;
  const AttributeValue* value;
};

// The update's actions as top-level SETs of constants, sorted by name, when that is all it does
// (no REMOVE / ADD / DELETE, no nested path, no arithmetic, if_not_exists or list_append);
// otherwise nullopt. The parser has already rejected two actions on one path.
std::optional<std::vector<TopLevelSet>> topLevelConstantSets(const expr::Update& update);

// A stored attribute the update replaced: its name and its stored JSON value (for UPDATED_OLD).
struct ReplacedAttribute {
  std::string_view name;
  std::string_view json;
};

struct SplicedItem {
  std::string json;  // the new item's stored JSON
  size_t oldSize = 0;  // itemSize() of the stored item
  size_t newSize = 0;  // itemSize() of the new item
  std::vector<ReplacedAttribute> replaced;  // in name order; views into the stored text
};

// Applies `sets` (as topLevelConstantSets returns them) to the stored item JSON `stored`; nullopt
// when `stored` is not in the form toJson writes (the caller then parses it the general way).
std::optional<SplicedItem> spliceTopLevelSets(std::string_view stored, const std::vector<TopLevelSet>& sets);

// itemSize() of the stored item JSON `stored`, measured on the text (PutItem's old item when only
// its size matters); nullopt when it is not in the form toJson writes.
std::optional<size_t> storedItemSize(std::string_view stored);

// The size (model/size.h) of one stored AttributeValue JSON text, without building the value for
// S, N, B, BOOL and NULL; nullopt when the text is malformed.
std::optional<size_t> storedValueSize(std::string_view json);

}  // namespace cdnlab::store

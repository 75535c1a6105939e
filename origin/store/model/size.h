// Item size as DynamoDB counts it, for the 400 KB item limit, key size limits, the 1 MB page
// limit and capacity units (the engine calls these on every write and read it meters).
//
// Formula (Developer Guide, "Item sizes and formats" / "Working with items: size calculation"):
//   item        = sum over attributes of (UTF-8 length of the name + size of the value)
//   S           = UTF-8 byte length
//   N           = 1 + ceil(integer digits / 2) + ceil(fraction digits / 2) + 1 if negative, over the
//                 significant digits (documented as "approximately ... / 2 + 1"; Number::storageSize
//                 has the rule DynamoDB's size gate applies)
//   B           = raw byte length (not base64)
//   BOOL, NULL  = 1
//   L, M        = 3 bytes of overhead + 1 byte per element + the elements' sizes (map keys count
//                 their UTF-8 length), as documented: "3 bytes + length of each element + 1 byte each"
//   SS, NS, BS  = the sum of the members' sizes
#pragma once

#include <cstddef>

#include "origin/store/model/value.h"

namespace cdnlab::store {

inline constexpr size_t kMaxItemSize = 400 * 1024;  // "The maximum item size in DynamoDB is 400 KB"

size_t valueSize(const AttributeValue& value);
size_t itemSize(const Item& item);

}  // namespace cdnlab::store

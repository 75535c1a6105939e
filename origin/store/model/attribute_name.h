// The attribute name limit: at most 65535 bytes, and DynamoDB's answer to a longer name, wherever
// a request names one (an item, a map value, ExpressionAttributeNames, AttributesToGet,
// AttributeUpdates).
#pragma once

#include <cstddef>

namespace cdnlab::store {

inline constexpr size_t kMaxAttributeNameBytes = 65535;
inline constexpr const char* kAttributeNameTooLarge =
    "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";

}  // namespace cdnlab::store

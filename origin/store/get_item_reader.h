// The GetItem fast path's request reader: the common GetItem body - a table name, a key of one or
// two string attributes, ConsistentRead, ReturnConsumedCapacity NONE - read straight from the
// request bytes with no DOM and no shape walk (ops_get_fast.cc answers it). It accepts only text
// the general path parses and validates the same way, and declines (nullopt) everything else: any
// other member, a duplicate member, an escape, a byte outside printable ASCII, an empty string,
// a non-S key value, malformed JSON. A declined body takes the general path, which gives every
// error its usual text and order, so the reader never produces an error of its own.
#pragma once

#include <optional>
#include <string_view>

namespace cdnlab::store {

struct GetItemRequestView {
  struct KeyAttribute {
    std::string_view name;
    std::string_view value;  // the S value's characters (no escapes, so exactly its bytes)
  };
  std::string_view table;
  KeyAttribute key[2];
  int keyCount = 0;
  bool consistentRead = false;
};

// Views into `body`; valid while `body` is.
std::optional<GetItemRequestView> readSimpleGetItem(std::string_view body);

}  // namespace cdnlab::store

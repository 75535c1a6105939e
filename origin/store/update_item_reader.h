// The UpdateItem fast path's request reader: a table name, a key of S attributes, an
// UpdateExpression with its ExpressionAttributeNames and ExpressionAttributeValues (S values),
// ReturnValues NONE and ReturnConsumedCapacity NONE - YCSB's field update - read straight from the
// request bytes with no DOM and no shape walk (ops_update_fast.cc answers it). As the GetItem
// reader (get_item_reader.h), it accepts only text the general path reads the same way and
// declines everything else, so it never produces an error of its own.
#pragma once

#include <optional>
#include <string_view>

#include "origin/store/lean_json_cursor.h"

namespace cdnlab::store {

struct UpdateItemRequestView {
  static constexpr int kMaxPlaceholders = 8;  // more: the general path
  std::string_view table;
  LeanJsonCursor::Pair key[2];
  int keyCount = 0;
  std::string_view updateExpression;
  LeanJsonCursor::Pair names[kMaxPlaceholders];  // "#n" -> attribute name
  int nameCount = 0;
  LeanJsonCursor::Pair values[kMaxPlaceholders];  // ":v" -> the S value's characters
  int valueCount = 0;
};

// Views into `body`; valid while `body` is.
std::optional<UpdateItemRequestView> readSimpleUpdateItem(std::string_view body);

}  // namespace cdnlab::store

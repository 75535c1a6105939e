// A lean reader over an UpdateItem body (see update_item_reader.h): one forward pass, no allocation.
#include "origin/store/update_item_reader.h"

namespace cdnlab::store {

std::optional<UpdateItemRequestView> readSimpleUpdateItem(std::string_view body) {
  LeanJsonCursor in(body);
  UpdateItemRequestView out;
  bool haveTable = false, haveKey = false, haveExpression = false, haveNames = false, haveValues = false,
       haveReturn = false, haveCapacity = false;
  constexpr int kMax = UpdateItemRequestView::kMaxPlaceholders;
  if (!in.take('{')) return std::nullopt;
  do {
    auto member = in.plainString();
    if (!member || !in.take(':')) return std::nullopt;
    bool ok = false;
    if (*member == "TableName" && !haveTable) {
      auto table = in.plainString();
      if (table) out.table = *table;
      ok = haveTable = table.has_value();
    } else if (*member == "Key" && !haveKey) {
      ok = haveKey = in.flatMap(out.key, 2, out.keyCount, /*attributeValues=*/true);
    } else if (*member == "UpdateExpression" && !haveExpression) {
      auto text = in.plainString();
      if (text) out.updateExpression = *text;
      ok = haveExpression = text.has_value();
    } else if (*member == "ExpressionAttributeNames" && !haveNames) {
      ok = haveNames = in.flatMap(out.names, kMax, out.nameCount, /*attributeValues=*/false);
    } else if (*member == "ExpressionAttributeValues" && !haveValues) {
      ok = haveValues = in.flatMap(out.values, kMax, out.valueCount, /*attributeValues=*/true);
    } else if (*member == "ReturnValues" && !haveReturn) {
      auto rv = in.plainString();
      ok = haveReturn = rv && *rv == "NONE";
    } else if (*member == "ReturnConsumedCapacity" && !haveCapacity) {
      auto mode = in.plainString();
      ok = haveCapacity = mode && *mode == "NONE";
    }
    if (!ok) return std::nullopt;  // another member, one given twice, or a value of another form
  } while (in.take(','));
  if (!in.take('}') || !in.atEnd() || !haveTable || !haveKey || !haveExpression) return std::nullopt;
  return out;
}

}  // namespace cdnlab::store

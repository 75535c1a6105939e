// A lean reader over a GetItem body (see get_item_reader.h): one forward pass, no allocation.
#include "origin/store/get_item_reader.h"

#include "origin/store/lean_json_cursor.h"

namespace cdnlab::store {
namespace {

// {"name":{"S":"value"}, ...} with one or two distinct names.
bool readKey(LeanJsonCursor& in, GetItemRequestView& out) {
  LeanJsonCursor::Pair pairs[2];
  if (!in.flatMap(pairs, 2, out.keyCount, /*attributeValues=*/true)) return false;
  for (int i = 0; i < out.keyCount; ++i) out.key[i] = {pairs[i].name, pairs[i].value};
  return true;
}

}  // namespace

std::optional<GetItemRequestView> readSimpleGetItem(std::string_view body) {
  LeanJsonCursor in(body);
  GetItemRequestView out;
  bool haveTable = false, haveKey = false, haveConsistent = false, haveCapacity = false;
  if (!in.take('{')) return std::nullopt;
  do {
    auto member = in.plainString();
    if (!member || !in.take(':')) return std::nullopt;
    if (*member == "TableName" && !haveTable) {
      auto table = in.plainString();
      if (!table) return std::nullopt;
      out.table = *table;
      haveTable = true;
    } else if (*member == "Key" && !haveKey) {
      if (!readKey(in, out)) return std::nullopt;
      haveKey = true;
    } else if (*member == "ConsistentRead" && !haveConsistent) {
      if (in.takeLiteral("true")) out.consistentRead = true;
      else if (!in.takeLiteral("false")) return std::nullopt;
      haveConsistent = true;
    } else if (*member == "ReturnConsumedCapacity" && !haveCapacity) {
      auto mode = in.plainString();
      if (!mode || *mode != "NONE") return std::nullopt;
      haveCapacity = true;
    } else {
      return std::nullopt;  // another member, or one given twice
    }
  } while (in.take(','));
  if (!in.take('}') || !in.atEnd() || !haveTable || !haveKey) return std::nullopt;
  return out;
}

}  // namespace cdnlab::store

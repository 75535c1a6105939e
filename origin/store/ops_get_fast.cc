// GetItem's fast path: the common request (get_item_reader.h) on a table that is not throttled,
// answered from the stored item's JSON text with no request DOM, no shape walk and no response
// writer. It runs only where the general path (Service::getItem) would succeed with the same
// bytes: anything the reader declines, a table name that fails its constraints, an unknown or
// deleted table, a key that does not match the schema - every case with an error - returns false
// before any effect, and the general path answers it with its usual error in its usual order.
#include "origin/store/get_item_reader.h"
#include "origin/store/request_util.h"
#include "origin/store/service.h"

namespace cdnlab::store {

bool Service::getItemFast(std::string_view body, ApiResponse& r) {
  auto req = readSimpleGetItem(body);
  if (!req) return false;
  ApiError err;
  if (!validateTableName(req->table, "tableName", err)) return false;
  auto st = catalog_.find(req->table);
  if (!st || st->deleted.load()) return false;
  auto desc = st->schema();
  if (throttles(*desc)) return false;  // the bucket needs the item's size: the general path has it
  Item key;
  for (int i = 0; i < req->keyCount; ++i)
    key.emplace(std::string(req->key[i].name), AttributeValue::string(std::string(req->key[i].value)));
  auto itemKey = encodeKeyMap(*desc, key, &err);
  if (!itemKey) return false;
  // What Service::getItem writes for this request: {"Item":<stored JSON>} or {} when absent, and
  // the read units of an unsized item (throttled tables, which size it, are not on this path).
  std::string stored;
  if (engine_.get(*itemKey, &stored)) {
    constexpr std::string_view kOpen = "{\"Item\":";
    r.body.reserve(kOpen.size() + stored.size() + 1);
    r.body.append(kOpen).append(stored).push_back('}');
  } else {
    r.body = "{}";
  }
  readUnits(0, req->consistentRead);
  fastPathAnswers.fetch_add(1, std::memory_order_relaxed);
  return true;
}

}  // namespace cdnlab::store

// UpdateItem's fast path: the common request (update_item_reader.h) whose actions are all top-level
// SETs of constants, on an existing item of a table with no index, no stream and no throttling -
// the case Service::updateItem splices (item_splice.h) - without the request DOM, the shape walk
// or the response writer. Every check the general path makes is made here through the same
// functions; where one fails, or the request is anything else, this returns false before any
// effect and the general path answers, with its errors in its order. Its answer is the general
// path's: {} (ReturnValues and ReturnConsumedCapacity NONE), the same record written, the same
// table size and write units.
#include "origin/store/item_splice.h"
#include "origin/store/model/size.h"
#include "origin/store/ops_common.h"
#include "origin/store/request_util.h"
#include "origin/store/service.h"
#include "origin/store/update_item_reader.h"

namespace cdnlab::store {
bool Service::updateItemFast(std::string_view body, ApiResponse& r) {
  auto req = readSimpleUpdateItem(body);
  if (!req) return false;
  ApiError err;
  if (!validateTableName(req->table, "tableName", err)) return false;
  // The placeholders' maps and the expression, as readExpressionMaps and parseUpdate read them.
  for (int i = 0; i < req->nameCount; ++i)
    if (!isPlaceholderKey(req->names[i].name, '#')) return false;
  for (int i = 0; i < req->valueCount; ++i)
    if (!isPlaceholderKey(req->values[i].name, ':')) return false;
  ExpressionMaps maps;
  if (req->nameCount > 0) {
    maps.names.emplace();
    for (int i = 0; i < req->nameCount; ++i) maps.names->emplace(std::string(req->names[i].name), std::string(req->names[i].value));
  }
  if (req->valueCount > 0) {
    maps.values.emplace();
    for (int i = 0; i < req->valueCount; ++i)
      maps.values->emplace(std::string(req->values[i].name), AttributeValue::string(std::string(req->values[i].value)));
  }
  auto ph = maps.placeholders();
  auto update = expr::parseUpdate(req->updateExpression, ph);
  if (!update || !checkAllUsed(ph, err)) return false;
  auto sets = topLevelConstantSets(*update);
  if (!sets) return false;
  auto st = catalog_.find(req->table);
  if (!st || st->deleted.load()) return false;

  std::shared_lock<std::shared_mutex> writers(st->writers);
  auto desc = st->schema();
  if (throttles(*desc) || !desc->indexes.empty() || desc->streamEnabled) return false;
  Item key;
  for (int i = 0; i < req->keyCount; ++i)
    key.emplace(std::string(req->key[i].name), AttributeValue::string(std::string(req->key[i].value)));
  auto itemKey = encodeKeyMap(*desc, key, &err);
  if (!itemKey) return false;
  for (const auto& action : update->actions)  // a key attribute cannot be updated
    if (action.path.topLevel() == desc->key.hashName || action.path.topLevel() == desc->key.rangeName) return false;
  std::optional<SplicedItem> spliced;
  uint64_t ticket = 0;
  {
    auto guard = locks_.lockKeys({*itemKey});
    std::string stored;
    if (!engine_.get(*itemKey, &stored)) return false;  // a new item: the general path builds it
    spliced = spliceTopLevelSets(stored, *sets);
    if (!spliced || spliced->newSize > kMaxItemSize) return false;
    rocksdb::WriteBatch batch;
    batch.Put(*itemKey, spliced->json);
    auto t = engine_.write(batch);
    if (!t) {  // what writeBatch answers
      errors.fetch_add(1, std::memory_order_relaxed);
      ApiError e = internalError(t.error().message);
      r.status = e.status;
      r.body = errorBody(e);
      return true;
    }
    ticket = *t;
    st->stats.bytes += static_cast<int64_t>(spliced->newSize) - static_cast<int64_t>(spliced->oldSize);
  }
  const double units = writeUnits(std::max(spliced->newSize, spliced->oldSize));
  chargeCapacity(*st, *desc, CapacityKind::Write, units - 1);  // as updateItem: the estimate was one unit
  r.body = "{}";
  r.durableTicket = ticket;
  fastPathAnswers.fetch_add(1, std::memory_order_relaxed);
  return true;
}

}  // namespace cdnlab::store

// UpdateItem's fast path: the common request (update_item_reader.h) whose actions are all top-level
// SETs of constants, on an existing item of a table with no index, no stream and no throttling -
// the case Service::updateItem splices (item_splice.h) - without the request DOM, the shape walk
// or the response writer. Every check the general path makes is made here through the same
// functions; where one fails, or the request is anything else, this returns false before any
// effect and the general path answers, with its errors in its order. Its answer is the general
// path's: {} (ReturnValues and ReturnConsumedCapacity NONE), the same record written, the same
// table size and write units.
#include "origin/store/field_update_plan.h"
#include "origin/store/item_splice.h"
#include "origin/store/model/size.h"
#include "origin/store/ops_common.h"
#include "origin/store/request_util.h"
#include "origin/store/service.h"
#include "origin/store/update_item_reader.h"
#include "origin/store/update_size.h"

namespace cdnlab::store {
namespace {

// Caches the plan of the request's text when it gives exactly the SETs the parser gave (`sets`).
void rememberPlan(FieldUpdatePlans& plans, const UpdateItemRequestView& req, const std::vector<TopLevelSet>& sets) {
  auto plan = planFieldUpdate(req.updateExpression);
  if (!plan) return;
  std::vector<AttributeValue> values;
  std::vector<TopLevelSet> resolved;
  if (!resolveFieldUpdate(*plan, req, values, resolved) || resolved.size() != sets.size()) return;
  for (size_t i = 0; i < sets.size(); ++i)
    if (resolved[i].name != sets[i].name || *resolved[i].value != *sets[i].value) return;
  plans.insert(req.updateExpression, std::move(*plan));
}

}  // namespace

bool Service::updateItemFast(std::string_view body, ApiResponse& r) {
  auto req = readSimpleUpdateItem(body);
  if (!req) return false;
  ApiError err;
  if (!validateTableName(req->table, "tableName", err)) return false;
  for (int i = 0; i < req->nameCount; ++i)  // as readExpressionMaps checks the maps' keys
    if (!isPlaceholderKey(req->names[i].name, '#')) return false;
  for (int i = 0; i < req->valueCount; ++i)
    if (!isPlaceholderKey(req->values[i].name, ':')) return false;
  // The SETs: from this thread's plan of the text when it has one (field_update_plan.h), else
  // the placeholders' maps and the expression as readExpressionMaps and parseUpdate read them.
  std::vector<AttributeValue> planValues;
  std::optional<ExpressionMaps> maps;
  std::optional<expr::Update> update;
  std::vector<TopLevelSet> sets;
  FieldUpdatePlans& plans = FieldUpdatePlans::forThisThread();
  if (const FieldUpdatePlan* plan = plans.find(req->updateExpression)) {
    if (!resolveFieldUpdate(*plan, *req, planValues, sets)) return false;
  } else {
    maps.emplace();
    if (req->nameCount > 0) {
      maps->names.emplace();
      for (int i = 0; i < req->nameCount; ++i) maps->names->emplace(std::string(req->names[i].name), std::string(req->names[i].value));
    }
    if (req->valueCount > 0) {
      maps->values.emplace();
      for (int i = 0; i < req->valueCount; ++i)
        maps->values->emplace(std::string(req->values[i].name), AttributeValue::string(std::string(req->values[i].value)));
    }
    auto ph = maps->placeholders();
    auto parsed = expr::parseUpdate(req->updateExpression, ph);
    if (!parsed || !checkAllUsed(ph, err)) return false;
    update.emplace(std::move(*parsed));
    auto constant = topLevelConstantSets(*update);
    if (!constant) return false;
    sets = std::move(*constant);
    rememberPlan(plans, *req, sets);
  }
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
  for (const auto& set : sets)  // a key attribute cannot be updated
    if (set.name == desc->key.hashName() || set.name == desc->key.rangeName()) return false;
  std::optional<SplicedItem> spliced;
  uint64_t ticket = 0;
  {
    auto guard = locks_.lockKeys({*itemKey});
    std::string stored;
    if (!engine_.get(*itemKey, &stored)) return false;  // a new item: the general path builds it
    spliced = spliceTopLevelSets(stored, sets);
    if (!spliced || spliced->newSize > kMaxItemSize || updateMutationSize(sets) > kMaxItemSize) return false;
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

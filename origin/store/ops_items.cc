// Single-item operations: PutItem, GetItem, UpdateItem, DeleteItem. A conditional write holds
// its item's lock stripe from the read of the old item to the write of the new one, so the
// check and the write are atomic under concurrent clients.
#include "origin/store/item_splice.h"
#include "origin/store/json_out.h"
#include "origin/store/legacy.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"
#include "origin/store/ops_common.h"
#include "origin/store/service.h"
#include "origin/store/update_size.h"
#include "origin/store/write_capacity.h"

namespace cdnlab::store {
namespace {

bool hasLocalIndex(const TableDesc& t) {
  for (const auto& i : t.indexes)
    if (!i.global) return true;
  return false;
}

void writeItemMember(JsonWriter& w, const char* name, const Item& item) {
  key(w, name);
  writeAttributeMap(item, w);
}

// The required map member `name` (Item or Key); `field` is its name in the null-value message.
std::optional<Item> requiredItem(const rapidjson::Value& d, const char* name, const char* field, ApiError& err) {
  auto item = itemMember(d, name, err);
  if (!err.type.empty()) return std::nullopt;
  if (!item)
    err = validation(std::string("1 validation error detected: Value null at '") + field +
                     "' failed to satisfy constraint: Member must not be null");
  return item;
}

// The return and capacity options shared by the three writes.
struct WriteOptions {
  ReturnValues rv;
  bool returnOldOnFailure;
  CapacityMode cap;
  bool metrics;
};

bool readWriteOptions(const rapidjson::Value& d, bool updateAllowed, WriteOptions& o, ApiError& err) {
  if (!readReturnValues(d, updateAllowed, o.rv, err) || !readReturnOnFailure(d, o.returnOldOnFailure, err) ||
      !readCapacityMode(d, o.cap, err))
    return false;
  o.metrics = wantsCollectionMetrics(d, err);
  return err.type.empty();
}

// Expected or ConditionExpression (with its name/value maps, every placeholder used): the
// condition PutItem and DeleteItem share.
bool readWriteCondition(const rapidjson::Value& d, std::optional<expr::Condition>& cond, ApiError& err) {
  if (!legacy::readExpected(d, cond, err)) return false;
  ExpressionMaps maps;
  if (!readExpressionMaps(d, maps, err)) return false;
  auto ph = maps.placeholders();
  return parseOptionalCondition(d, "ConditionExpression", expr::ExpressionKind::Condition, ph, cond, err) &&
         checkAllUsed(ph, err);
}

// The stored record as an item; false when it does not parse (then it counts as absent, as
// Service::readItem treats it).
bool parseStoredItem(std::string_view stored, Item& item) {
  auto m = attributeMapFromJson(stored);
  if (!m) return false;
  item = std::move(*m);
  return true;
}

// ReturnValues of an update the splice applied: the stored JSON (ALL_OLD) and the spliced one
// (ALL_NEW) as they are, the replaced attributes' stored values (UPDATED_OLD), the SET values
// (UPDATED_NEW); the same bytes the general path writes from its maps.
void writeSplicedAttributes(JsonWriter& w, rapidjson::StringBuffer& sb, ReturnValues rv, std::string_view stored, const SplicedItem& spliced,
                            const std::vector<TopLevelSet>& sets) {
  switch (rv) {
    case ReturnValues::None: return;
    case ReturnValues::AllOld:
      key(w, "Attributes");
      rawValue(w, sb, stored, rapidjson::kObjectType);
      return;
    case ReturnValues::AllNew:
      key(w, "Attributes");
      rawValue(w, sb, spliced.json, rapidjson::kObjectType);
      return;
    case ReturnValues::UpdatedOld:
      if (spliced.replaced.empty()) return;
      key(w, "Attributes");
      w.StartObject();
      for (const auto& r : spliced.replaced) {
        key(w, r.name);
        rawValue(w, sb, r.json, rapidjson::kObjectType);
      }
      w.EndObject();
      return;
    case ReturnValues::UpdatedNew:
      if (sets.empty()) return;  // an update with no actions returns no Attributes
      key(w, "Attributes");
      w.StartObject();
      for (const auto& s : sets) {
        key(w, s.name);
        writeAttributeValue(*s.value, w);
      }
      w.EndObject();
      return;
  }
}

// An update whose actions all remove something (REMOVE, DELETE) leaves a missing item missing:
// DynamoDB neither creates it nor checks the removed paths against it.
bool onlyRemovals(const std::optional<expr::Update>& u) {
  if (!u || u->actions.empty()) return false;
  for (const auto& a : u->actions)
    if (a.kind != expr::ast::UpdateAction::Kind::Remove && a.kind != expr::ast::UpdateAction::Kind::Delete) return false;
  return true;
}

// Before any write is admitted its cost is one unit; it pays the rest once it knows the item sizes.
constexpr double kWriteEstimate = 1;
double readEstimate(bool consistent) { return consistent ? 1 : 0.5; }

}  // namespace

bool Service::readChecked(const std::string& itemKey, const std::optional<expr::Condition>& cond, bool returnOldOnFailure,
                          Item& old, bool& hadOld, ApiError& err) {
  hadOld = readItem(itemKey, &old);
  return conditionHolds(cond, returnOldOnFailure, hadOld ? &old : nullptr, err);
}

bool Service::conditionHolds(const std::optional<expr::Condition>& cond, bool returnOldOnFailure, const Item* old,
                             ApiError& err) {
  if (cond && !expr::evaluate(*cond, old ? *old : Item{})) {
    err = conditionFailedWith(old, returnOldOnFailure);
    return false;
  }
  return true;
}

bool Service::putItem(const Doc& d, Out& out, ApiError& err) {
  // Everything about the request is validated before the table is looked up, as DynamoDB does.
  if (!legacy::checkExpressionParams(d, {"ConditionExpression"}, {"Expected"}, err)) return false;
  auto item = requiredItem(d, "Item", "item", err);
  if (!item) return false;
  WriteOptions opt;
  if (!readWriteOptions(d, false, opt, err)) return false;
  size_t newSize = itemSize(*item);
  if (newSize > kMaxItemSize) {
    err = validation("Item size has exceeded the maximum allowed size");
    return false;
  }
  std::optional<expr::Condition> cond;
  if (!readWriteCondition(d, cond, err)) return false;
  auto st = requireTable(d, err);
  if (!st) return false;

  std::shared_lock<std::shared_mutex> writers(st->writers);
  auto desc = st->schema();
  auto itemKey = encodeItemKey(*desc, *item, &err);
  if (!itemKey) return false;
  if (!admitCapacity(*st, *desc, CapacityKind::Write, kWriteEstimate, err)) return false;
  // Without a condition, ALL_OLD, index entries or a stream record, the old item matters only by
  // its size (counters and capacity): it is measured on the stored text, not parsed into a map.
  const bool sizeOnly = !cond && opt.rv != ReturnValues::AllOld && desc->indexes.empty() && !desc->streamEnabled;
  Item old;
  bool hadOld;
  size_t oldSize = 0;
  WriteDelta delta;
  {
    auto guard = locks_.lockKeys({*itemKey});
    std::string stored;
    std::optional<size_t> storedSize;  // set when the fast path applies: 0 for no old item
    bool found = false;
    if (sizeOnly) {
      found = engine_.get(*itemKey, &stored);
      storedSize = found ? storedItemSize(stored) : size_t{0};
    }
    rocksdb::WriteBatch batch;
    if (storedSize) {
      hadOld = found;
      oldSize = *storedSize;
      batch.Put(*itemKey, toJson(*item));
      if (!writeBatch(batch, out, err)) return false;
      if (!found) st->stats.items += 1;
      st->stats.bytes += static_cast<int64_t>(newSize) - static_cast<int64_t>(oldSize);
    } else {
      if (!readChecked(*itemKey, cond, opt.returnOldOnFailure, old, hadOld, err)) return false;
      appendItemWrite(batch, *desc, *itemKey, hadOld ? &old : nullptr, &*item, &delta);
      if (!writeBatch(batch, out, err)) return false;
      applyDelta(st->stats, delta);
      if (hadOld) oldSize = itemSize(old);
    }
  }
  out.w.StartObject();
  if (opt.rv == ReturnValues::AllOld && hadOld) writeItemMember(out.w, "Attributes", old);
  const double units = writeUnits(std::max(newSize, oldSize));  // metered even when not returned
  meterIndexUnits(*desc, delta);
  chargeWrite(*st, *desc, units - kWriteEstimate, delta);
  if (opt.cap != CapacityMode::None) {
    key(out.w, "ConsumedCapacity");
    writeWriteCapacity(out.w, *desc, units, delta, opt.cap);
  }
  if (opt.metrics && hasLocalIndex(*desc)) {
    key(out.w, "ItemCollectionMetrics");
    writeCollectionMetrics(out.w, *desc, *item);
  }
  out.w.EndObject();
  return true;
}

bool Service::getItem(const Doc& d, Out& out, ApiError& err) {
  if (!legacy::checkExpressionParams(d, {"ProjectionExpression"}, {"AttributesToGet"}, err)) return false;
  auto keyMap = requiredItem(d, "Key", "key", err);
  if (!keyMap) return false;
  if (!checkDuplicateAttributesToGet(d, err)) return false;
  ExpressionMaps maps;
  if (!readExpressionMaps(d, maps, err)) return false;
  auto ph = maps.placeholders();
  std::optional<expr::Projection> proj;
  if (!parseOptionalProjection(d, ph, proj, err) || !readAttributesToGet(d, proj, err)) return false;
  if (!checkAllUsed(ph, err)) return false;
  CapacityMode cap;
  if (!readCapacityMode(d, cap, err)) return false;
  bool consistent = boolMember(d, "ConsistentRead", false);
  auto st = requireTable(d, err);
  if (!st) return false;
  auto desc = st->schema();
  auto itemKey = encodeKeyMap(*desc, *keyMap, &err);
  if (!itemKey) return false;
  if (!admitCapacity(*st, *desc, CapacityKind::Read, readEstimate(consistent), err)) return false;
  std::string raw;
  bool found = engine_.get(*itemKey, &raw);
  size_t size = 0;
  out.w.StartObject();
  if (found) {
    if (!proj && cap == CapacityMode::None && !throttles(*desc)) {
      // The stored record is the item's DynamoDB JSON already: splice it without a parse (a
      // throttled table needs the item's size for its bucket).
      key(out.w, "Item");
      rawValue(out.w, out.sb, raw, rapidjson::kObjectType);
    } else {
      auto item = attributeMapFromJson(raw);
      if (item) {
        size = itemSize(*item);
        writeItemMember(out.w, "Item", proj ? expr::project(*proj, *item) : *item);
      }
    }
  }
  const double units = readUnits(size, consistent);  // metered even when not returned
  chargeCapacity(*st, *desc, CapacityKind::Read, units - readEstimate(consistent));
  if (cap != CapacityMode::None) {
    key(out.w, "ConsumedCapacity");
    writeConsumedCapacity(out.w, desc->name, units, cap);
  }
  out.w.EndObject();
  return true;
}

bool Service::deleteItem(const Doc& d, Out& out, ApiError& err) {
  if (!legacy::checkExpressionParams(d, {"ConditionExpression"}, {"Expected"}, err)) return false;
  auto keyMap = requiredItem(d, "Key", "key", err);
  if (!keyMap) return false;
  WriteOptions opt;
  if (!readWriteOptions(d, false, opt, err)) return false;
  std::optional<expr::Condition> cond;
  if (!readWriteCondition(d, cond, err)) return false;
  auto st = requireTable(d, err);
  if (!st) return false;

  std::shared_lock<std::shared_mutex> writers(st->writers);
  auto desc = st->schema();
  auto itemKey = encodeKeyMap(*desc, *keyMap, &err);
  if (!itemKey) return false;
  if (!admitCapacity(*st, *desc, CapacityKind::Write, kWriteEstimate, err)) return false;
  Item old;
  bool hadOld;
  WriteDelta delta;
  {
    auto guard = locks_.lockKeys({*itemKey});
    if (!readChecked(*itemKey, cond, opt.returnOldOnFailure, old, hadOld, err)) return false;
    if (hadOld) {
      rocksdb::WriteBatch batch;
      appendItemWrite(batch, *desc, *itemKey, &old, nullptr, &delta);
      if (!writeBatch(batch, out, err)) return false;
      applyDelta(st->stats, delta);
    }
  }
  out.w.StartObject();
  if (opt.rv == ReturnValues::AllOld && hadOld) writeItemMember(out.w, "Attributes", old);
  const double units = writeUnits(hadOld ? itemSize(old) : 0);  // metered even when not returned
  meterIndexUnits(*desc, delta);
  chargeWrite(*st, *desc, units - kWriteEstimate, delta);
  if (opt.cap != CapacityMode::None) {
    key(out.w, "ConsumedCapacity");
    writeWriteCapacity(out.w, *desc, units, delta, opt.cap);
  }
  if (opt.metrics && hasLocalIndex(*desc)) {
    key(out.w, "ItemCollectionMetrics");
    writeCollectionMetrics(out.w, *desc, *keyMap);
  }
  out.w.EndObject();
  return true;
}

bool Service::updateItem(const Doc& d, Out& out, ApiError& err) {
  if (!legacy::checkExpressionParams(d, {"UpdateExpression", "ConditionExpression"}, {"AttributeUpdates", "Expected"}, err))
    return false;
  auto keyMap = requiredItem(d, "Key", "key", err);
  if (!keyMap) return false;
  std::optional<expr::Update> update;
  if (!legacy::readAttributeUpdates(d, update, err)) return false;
  std::optional<expr::Condition> cond;
  if (!legacy::readExpected(d, cond, err)) return false;
  ExpressionMaps maps;
  if (!readExpressionMaps(d, maps, err)) return false;
  auto ph = maps.placeholders();
  if (auto text = stringMember(d, "UpdateExpression", err)) {
    auto u = expr::parseUpdate(*text, ph);
    if (!u) {
      err = fromExpr(u.error());
      return false;
    }
    update = std::move(*u);
  }
  if (!err.type.empty()) return false;
  if (!parseOptionalCondition(d, "ConditionExpression", expr::ExpressionKind::Condition, ph, cond, err)) return false;
  if (!checkAllUsed(ph, err)) return false;
  WriteOptions opt;
  if (!readWriteOptions(d, true, opt, err)) return false;
  auto st = requireTable(d, err);
  if (!st) return false;

  std::shared_lock<std::shared_mutex> writers(st->writers);
  auto desc = st->schema();
  auto itemKey = encodeKeyMap(*desc, *keyMap, &err);
  if (!itemKey) return false;
  if (update) {
    for (const auto& action : update->actions) {  // what targetPaths() lists, without copying the paths
      const expr::Path& p = action.path;
      if (p.topLevel() == desc->key.hashName() || p.topLevel() == desc->key.rangeName()) {
        err = validation("One or more parameter values were invalid: Cannot update attribute " + p.topLevel() +
                         ". This attribute is part of the key");
        return false;
      }
    }
  }
  if (!admitCapacity(*st, *desc, CapacityKind::Write, kWriteEstimate, err)) return false;
  // The fast path: top-level SETs of constants, no condition, on a table whose write is one record
  // (no index entries or stream records to derive from the old and new item).
  std::optional<std::vector<TopLevelSet>> sets;
  if (update && !cond && desc->indexes.empty() && !desc->streamEnabled) sets = topLevelConstantSets(*update);
  std::string stored;
  std::optional<SplicedItem> spliced;
  Item old;
  bool hadOld;
  Item next;
  bool noop = false;  // a removal on a missing item: nothing is written
  std::vector<expr::Path> updated;
  WriteDelta delta;
  {
    auto guard = locks_.lockKeys({*itemKey});
    hadOld = engine_.get(*itemKey, &stored);
    if (hadOld && sets) spliced = spliceTopLevelSets(stored, *sets);
    if (spliced) {
      if (spliced->newSize > kMaxItemSize || updateMutationSize(*sets) > kMaxItemSize) {
        err = validation("Item size to update has exceeded the maximum allowed size");
        return false;
      }
      rocksdb::WriteBatch batch;
      batch.Put(*itemKey, spliced->json);
      if (!writeBatch(batch, out, err)) return false;
      st->stats.bytes += static_cast<int64_t>(spliced->newSize) - static_cast<int64_t>(spliced->oldSize);
    } else {
      hadOld = hadOld && parseStoredItem(stored, old);
      if (!conditionHolds(cond, opt.returnOldOnFailure, hadOld ? &old : nullptr, err)) return false;
      Item base = hadOld ? old : *keyMap;
      noop = !hadOld && onlyRemovals(update);
      if (noop) {
        next = std::move(base);
      } else if (update) {
        auto o = expr::applyUpdate(*update, base);
        if (!o) {
          err = fromExpr(o.error());
          // AttributeUpdates' ADD / DELETE on a value of another type: DynamoDB's legacy wording.
          if (member(d, "AttributeUpdates") && err.message == "An operand in the update expression has an incorrect data type")
            err.message = "Type mismatch for attribute to update";
          return false;
        }
        next = std::move(o->item);
        updated = std::move(o->updatedPaths);
      } else {
        next = std::move(base);
      }
      if (itemSize(next) > kMaxItemSize || (update && !noop && updateMutationSize(*update, next) > kMaxItemSize)) {
        err = validation("Item size to update has exceeded the maximum allowed size");
        return false;
      }
      if (!noop) {
        if (!encodeItemKey(*desc, next, &err)) return false;  // index key types and empty values
        rocksdb::WriteBatch batch;
        appendItemWrite(batch, *desc, *itemKey, hadOld ? &old : nullptr, &next, &delta);
        if (!writeBatch(batch, out, err)) return false;
        applyDelta(st->stats, delta);
      }
    }
  }
  if (spliced) {
    out.w.StartObject();
    writeSplicedAttributes(out.w, out.sb, opt.rv, stored, *spliced, *sets);
    const double units = writeUnits(std::max(spliced->newSize, spliced->oldSize));
    chargeCapacity(*st, *desc, CapacityKind::Write, units - kWriteEstimate);
    if (opt.cap != CapacityMode::None) {
      key(out.w, "ConsumedCapacity");
      writeConsumedCapacity(out.w, desc->name, units, opt.cap);
    }
    out.w.EndObject();
    return true;
  }
  out.w.StartObject();
  switch (opt.rv) {
    case ReturnValues::None: break;
    case ReturnValues::AllOld:
      if (hadOld) writeItemMember(out.w, "Attributes", old);
      break;
    case ReturnValues::AllNew:
      if (!noop) writeItemMember(out.w, "Attributes", next);
      break;
    case ReturnValues::UpdatedOld: {
      Item p = hadOld ? expr::projectPaths(updated, old) : Item{};
      if (!p.empty()) writeItemMember(out.w, "Attributes", p);
      break;
    }
    case ReturnValues::UpdatedNew: {
      Item p = expr::projectPaths(updated, next);
      if (!p.empty()) writeItemMember(out.w, "Attributes", p);
      break;
    }
  }
  const double units = writeUnits(std::max(itemSize(next), hadOld ? itemSize(old) : 0));  // metered even when not returned
  meterIndexUnits(*desc, delta);
  chargeWrite(*st, *desc, units - kWriteEstimate, delta);
  if (opt.cap != CapacityMode::None) {
    key(out.w, "ConsumedCapacity");
    writeWriteCapacity(out.w, *desc, units, delta, opt.cap);
  }
  if (opt.metrics && hasLocalIndex(*desc)) {
    key(out.w, "ItemCollectionMetrics");
    writeCollectionMetrics(out.w, *desc, next);
  }
  out.w.EndObject();
  return true;
}

}  // namespace cdnlab::store

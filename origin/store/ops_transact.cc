// Multi-item writes: BatchWriteItem and TransactWriteItems, plus TransactGetItems.
//
// Both writes run the same plan: look every table up and hold it against schema changes, lock
// the stripes of every item (ascending stripe order, so concurrent transactions cannot deadlock),
// read the old items, check every condition, then write everything in ONE RocksDB WriteBatch:
// all items, their index entries and (for a transaction with a ClientRequestToken) the token
// record. A crash therefore leaves either the whole transaction or none of it.

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "origin/store/client_token.h"
#include "origin/store/json_out.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"
#include "origin/store/ops_common.h"
#include "origin/store/service.h"
#include "origin/store/write_capacity.h"

namespace cdnlab::store {
namespace {

constexpr size_t kMaxBatchWrite = 25;
constexpr size_t kMaxTransactItems = 100;
constexpr double kTransactEstimate = 2;  // a transactional read or write costs two units

struct Planned {
  enum class Kind { Put, Delete, Update, Check } kind = Kind::Put;
  TableStatePtr st;
  TableDescPtr desc;
  std::string key;
  Item item;    // Put: the item; others: the key map
  std::optional<expr::Update> update;
  std::optional<expr::Condition> cond;
  bool returnOldOnFailure = false;
  const rapidjson::Value* request = nullptr;  // BatchWriteItem: the WriteRequest, for UnprocessedItems
  // Filled in by execution.
  bool hadOld = false;
  Item old;
  Item next;
};

struct HeldTables {
  std::vector<std::shared_lock<std::shared_mutex>> locks;
};

// Shared locks on every distinct table, in name order.
void holdTables(std::vector<Planned>& plans, HeldTables& held) {
  std::map<std::string, TableState*> tables;
  for (auto& p : plans) tables[p.desc->name] = p.st.get();
  for (auto& [n, st] : tables) held.locks.emplace_back(st->writers);
  // Reload the schema now that no schema change can slip in between.
  for (auto& p : plans) p.desc = p.st->schema();
}

// What a batch write is admitted at before it knows the old item: a put's own size, one unit for
// a delete (the difference is charged once the old item is read).
double admissionEstimate(const Planned& p) {
  if (p.kind != Planned::Kind::Put) return 1;
  return std::max(1.0, std::ceil(static_cast<double>(itemSize(p.item)) / 1024.0));
}

// UnprocessedItems: the throttled WriteRequests, per table, in the shape they were sent.
void writeUnprocessedItems(JsonWriter& w, const std::vector<const Planned*>& throttled) {
  std::map<std::string, std::vector<const Planned*>> byTable;
  for (const Planned* p : throttled) byTable[p->desc->name].push_back(p);
  key(w, "UnprocessedItems");
  w.StartObject();
  for (const auto& [table, ps] : byTable) {
    key(w, table);
    w.StartArray();
    for (const Planned* p : ps) p->request->Accept(w);
    w.EndArray();
  }
  w.EndObject();
}

std::string tokenKey(std::string_view token) { return "t" + std::string(token); }

// ItemCollectionMetrics of a BatchWriteItem / TransactWriteItems answer: per table that has a
// local secondary index, one entry per item collection a write touched (DynamoDB reports item
// collections only for tables with LSIs); tables without one are left out, so the map may be empty.
void writeCollectionMetricsByTable(JsonWriter& w, const std::vector<Planned>& plans) {
  std::map<std::string, std::vector<const Planned*>> byTable;
  for (const auto& p : plans) {
    if (p.kind == Planned::Kind::Check) continue;  // a condition check writes nothing
    bool local = std::any_of(p.desc->indexes.begin(), p.desc->indexes.end(), [](const auto& i) { return !i.global; });
    if (local) byTable[p.desc->name].push_back(&p);
  }
  key(w, "ItemCollectionMetrics");
  w.StartObject();
  for (const auto& [table, ps] : byTable) {
    key(w, table);
    w.StartArray();
    for (const Planned* p : ps) writeCollectionMetrics(w, *p->desc, p->item);  // item or key map: both hold the hash key
    w.EndArray();
  }
  w.EndObject();
}

// The TransactItems array of TransactWriteItems/TransactGetItems: present, 1 to 100 entries.
const rapidjson::Value* transactItems(const rapidjson::Value& d, ApiError& err) {
  const auto* items = member(d, "TransactItems");
  if (!items || !items->IsArray()) {
    err = validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
    return nullptr;
  }
  if (items->Size() == 0 || items->Size() > kMaxTransactItems) {
    err = constraintError("[...]", "transactItems", items->Size() == 0 ? "Member must have length greater than or equal to 1"
                                                                       : "Member must have length less than or equal to 100");
    return nullptr;
  }
  return items;
}

// TransactionCanceledException with one CancellationReasons entry per action, in order: `reasons[i]`
// is "" (None), a code, or "Code:message"; `reasonItems[i]` the item's JSON for ALL_OLD.
ApiError transactionCanceled(const std::vector<std::string>& reasons, const std::vector<std::string>& reasonItems) {
  std::string codes, extra = "\"CancellationReasons\":[";
  for (size_t i = 0; i < reasons.size(); ++i) {
    std::string code = reasons[i].empty() ? "None" : reasons[i].substr(0, reasons[i].find(':'));
    codes += (i ? ", " : "") + code;
    extra += i ? "," : "";
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartObject();
    kv(w, "Code", code);
    if (code == "ConditionalCheckFailed") kv(w, "Message", "The conditional request failed");
    if (code == "ValidationError" || code == "ProvisionedThroughputExceeded" || code == "ThrottlingError")
      kv(w, "Message", reasons[i].substr(reasons[i].find(':') + 1));
    w.EndObject();
    std::string obj(sb.GetString(), sb.GetSize());
    if (!reasonItems[i].empty()) obj.insert(obj.size() - 1, ",\"Item\":" + reasonItems[i]);
    extra += obj;
  }
  extra += "]";
  ApiError err = dynamoError("TransactionCanceledException",
                             "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]");
  err.extraJson = extra;
  return err;
}

}  // namespace

bool Service::batchWriteItem(const Doc& d, Out& out, ApiError& err) {
  const auto* req = member(d, "RequestItems");
  if (!req || !req->IsObject()) {
    err = validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
    return false;
  }
  CapacityMode cap;
  if (!readCapacityMode(d, cap, err)) return false;
  bool metrics = wantsCollectionMetrics(d, err);
  if (!err.type.empty()) return false;
  std::vector<Planned> plans;
  size_t total = 0;
  for (const auto& t : req->GetObject()) {
    std::string name = t.name.GetString();
    if (!t.value.IsArray() || t.value.Size() == 0) {
      err = validation("1 validation error detected: Value null at 'requestItems." + name + ".member' failed to satisfy constraint: Member must have length greater than or equal to 1");
      return false;
    }
    total += t.value.Size();
    if (total > kMaxBatchWrite) {
      err = validation("Too many items requested for the BatchWriteItem call");
      return false;
    }
  }
  if (total == 0) {
    err = validation("The requestItems parameter is required for BatchWriteItem");
    return false;
  }
  // Every request's values and sizes are checked before any table is looked up, as DynamoDB does.
  for (const auto& t : req->GetObject()) {
    for (const auto& r : t.value.GetArray()) {
      const auto* put = member(r, "PutRequest");
      const auto* del = member(r, "DeleteRequest");
      if ((put != nullptr) == (del != nullptr)) {
        // DynamoDB's (odd) wording for a WriteRequest with neither or both requests.
        err = validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        return false;
      }
      auto m = itemMember(put ? *put : *del, put ? "Item" : "Key", err);
      if (!err.type.empty()) return false;
      if (put && m && itemSize(*m) > kMaxItemSize) {
        err = validation("Item size has exceeded the maximum allowed size");
        return false;
      }
    }
  }
  for (const auto& t : req->GetObject()) {
    std::string name = t.name.GetString();
    auto st = requireTableNamedOrArn(name, "requestItems.member.key", err);
    if (!st) return false;
    auto desc = st->schema();
    std::set<std::string> seen;
    for (const auto& r : t.value.GetArray()) {
      Planned p;
      p.st = st;
      p.desc = desc;
      p.request = &r;
      const auto* put = member(r, "PutRequest");
      const auto* del = member(r, "DeleteRequest");
      if ((put != nullptr) == (del != nullptr)) {
        err = validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        if (!put) err = validation("1 validation error detected: Value null at 'requestItems." + name + ".member.member.putRequest' failed to satisfy constraint: Member must not be null");
        return false;
      }
      if (put) {
        auto item = itemMember(*put, "Item", err);
        if (!err.type.empty()) return false;
        if (!item) {
          err = validation("1 validation error detected: Value null at 'requestItems." + name + ".member.member.putRequest.item' failed to satisfy constraint: Member must not be null");
          return false;
        }
        if (itemSize(*item) > kMaxItemSize) {
          err = validation("Item size has exceeded the maximum allowed size");
          return false;
        }
        auto k = encodeItemKey(*desc, *item, &err);
        if (!k) {
          // A put item without the key, or with a key of another type: BatchWriteItem words it as a
          // key error, unlike PutItem.
          if (err.message.starts_with("One or more parameter values were invalid: Type mismatch for key") ||
              err.message.starts_with("One or more parameter values were invalid: Missing the key"))
            err = validation("The provided key element does not match the schema");
          return false;
        }
        p.kind = Planned::Kind::Put;
        p.key = *k;
        p.item = std::move(*item);
      } else {
        auto keyMap = itemMember(*del, "Key", err);
        if (!err.type.empty()) return false;
        if (!keyMap) {
          err = validation("1 validation error detected: Value null at 'requestItems." + name + ".member.member.deleteRequest.key' failed to satisfy constraint: Member must not be null");
          return false;
        }
        auto k = encodeKeyMap(*desc, *keyMap, &err);
        if (!k) return false;
        p.kind = Planned::Kind::Delete;
        p.key = *k;
        p.item = std::move(*keyMap);
      }
      if (!seen.insert(p.key).second) {
        err = validation("Provided list of item keys contains duplicates");
        return false;
      }
      plans.push_back(std::move(p));
    }
  }
  HeldTables held;
  holdTables(plans, held);
  // Provisioned throughput, in request order: what a table cannot take now goes back as
  // UnprocessedItems; if no table could take anything, the whole call is throttled.
  std::vector<Planned> admitted;
  std::vector<const Planned*> throttled;
  std::vector<double> estimates;
  ApiError firstRefusal;
  for (auto& p : plans) {
    const double estimate = admissionEstimate(p);
    ApiError why;
    if (admitCapacity(*p.st, *p.desc, CapacityKind::Write, estimate, why)) {
      estimates.push_back(estimate);
      admitted.push_back(std::move(p));
    } else {
      if (firstRefusal.type.empty()) firstRefusal = why;
      throttled.push_back(&p);
    }
  }
  if (admitted.empty()) {
    err = firstRefusal.type.empty() ? throughputExceeded() : firstRefusal;
    return false;
  }
  std::vector<std::string_view> keys;
  for (auto& p : admitted) keys.push_back(p.key);
  std::map<std::string, double> units;
  std::map<TableState*, WriteDelta> deltas;
  std::map<std::string, const Planned*> firstOfTable;  // its desc and state, for the index units
  {
    auto guard = locks_.lockKeys(keys);
    rocksdb::WriteBatch batch;
    for (size_t i = 0; i < admitted.size(); ++i) {
      Planned& p = admitted[i];
      firstOfTable.emplace(p.desc->name, &p);
      p.hadOld = readItem(p.key, &p.old);
      const Item* oldPtr = p.hadOld ? &p.old : nullptr;
      double u;
      if (p.kind == Planned::Kind::Put) {
        appendItemWrite(batch, *p.desc, p.key, oldPtr, &p.item, &deltas[p.st.get()]);
        u = writeUnits(std::max(itemSize(p.item), p.hadOld ? itemSize(p.old) : 0));
      } else {
        if (p.hadOld) appendItemWrite(batch, *p.desc, p.key, oldPtr, nullptr, &deltas[p.st.get()]);
        u = writeUnits(p.hadOld ? itemSize(p.old) : 0);
      }
      units[p.desc->name] += u;
      chargeCapacity(*p.st, *p.desc, CapacityKind::Write, u - estimates[i]);
    }
    if (!writeBatch(batch, out, err)) return false;
    for (auto& [st, delta] : deltas) applyDelta(st->stats, delta);
  }
  static const WriteDelta kNoIndexWrites;
  auto deltaOf = [&](const Planned& p) -> const WriteDelta& {
    auto it = deltas.find(p.st.get());
    return it == deltas.end() ? kNoIndexWrites : it->second;
  };
  for (const auto& [name, p] : firstOfTable) {
    meterIndexUnits(*p->desc, deltaOf(*p));
    chargeWrite(*p->st, *p->desc, 0, deltaOf(*p));
  }
  out.w.StartObject();
  writeUnprocessedItems(out.w, throttled);
  if (cap != CapacityMode::None) {
    key(out.w, "ConsumedCapacity");
    out.w.StartArray();
    for (const auto& [name, u] : units) writeWriteCapacity(out.w, *firstOfTable[name]->desc, u, deltaOf(*firstOfTable[name]), cap);
    out.w.EndArray();
  }
  if (metrics) writeCollectionMetricsByTable(out.w, admitted);
  out.w.EndObject();
  return true;
}

bool Service::transactWriteItems(const Doc& d, Out& out, ApiError& err) {
  const auto* items = transactItems(d, err);
  if (!items) return false;
  CapacityMode cap;
  if (!readCapacityMode(d, cap, err)) return false;
  bool metrics = wantsCollectionMetrics(d, err);
  if (!err.type.empty()) return false;
  auto token = stringMember(d, "ClientRequestToken", err);
  if (!err.type.empty()) return false;
  if (token && (token->empty() || token->size() > 36)) {
    err = constraintError(*token, "clientRequestToken", "Member must have length less than or equal to 36");
    return false;
  }

  // "The aggregate size of the items in the transaction cannot exceed 4 MB."
  size_t aggregate = 0;
  for (const auto& ti : items->GetArray()) {
    const auto* put = member(ti, "Put");
    const auto* item = put ? member(*put, "Item") : nullptr;
    if (!item || !item->IsObject()) continue;
    if (auto m = parseAttributeMap(*item)) aggregate += itemSize(*m);
  }
  if (aggregate > 4 * 1024 * 1024) {
    err = validation("Transaction request cannot be larger than 4 MB");
    return false;
  }

  std::vector<Planned> plans;
  // A key that does not fit its table's schema cancels the transaction with a ValidationError
  // reason on that action (the first such action only; the others say None), where errors in the
  // request itself are a ValidationException for the whole request.
  std::optional<size_t> keyErrorAt;
  std::string keyError;
  // An empty string or binary as a key value is wrong in the request itself, whatever the table
  // holds: DynamoDB answers it with a ValidationException for the whole request.
  auto keyFailed = [&](ApiError& e) {
    if (e.message.rfind(kEmptyKeyValuePrefix, 0) == 0) return false;
    if (!keyErrorAt) {
      keyErrorAt = plans.size();
      keyError = e.message;
    }
    e = ApiError{};
    return true;
  };
  auto unusableKey = [&] { return std::string("\xff\xff invalid key ") + std::to_string(plans.size()); };
  for (const auto& ti : items->GetArray()) {
    // Each action is authorised as its own IAM action (API reference, TransactWriteItems).
    struct Kind {
      const char* member;
      Planned::Kind kind;
      const char* iamAction;
    };
    static const Kind kinds[] = {{"Put", Planned::Kind::Put, "PutItem"},
                                 {"Delete", Planned::Kind::Delete, "DeleteItem"},
                                 {"Update", Planned::Kind::Update, "UpdateItem"},
                                 {"ConditionCheck", Planned::Kind::Check, "ConditionCheckItem"}};
    const rapidjson::Value* op = nullptr;
    const char* iamAction = nullptr;
    Planned p;
    int found = 0;
    for (const auto& k : kinds) {
      if (const auto* v = member(ti, k.member)) {
        op = v;
        p.kind = k.kind;
        iamAction = k.iamAction;
        ++found;
      }
    }
    if (found != 1) {
      err = validation("TransactItems can only contain one of Check, Put, Update or Delete");
      return false;
    }
    {
      IamAction action(iamAction);
      p.st = requireTable(*op, err);
    }
    if (!p.st) return false;
    p.desc = p.st->schema();
    ExpressionMaps maps;
    if (!readExpressionMaps(*op, maps, err)) return false;
    auto ph = maps.placeholders();
    if (p.kind == Planned::Kind::Put) {
      auto item = itemMember(*op, "Item", err);
      if (!err.type.empty()) return false;
      if (!item) {
        err = validation("1 validation error detected: Value null at 'transactItems.1.member.put.item' failed to satisfy constraint: Member must not be null");
        return false;
      }
      if (itemSize(*item) > kMaxItemSize) {
        err = validation("Item size has exceeded the maximum allowed size");
        return false;
      }
      auto k = encodeItemKey(*p.desc, *item, &err);
      if (!k && !keyFailed(err)) return false;
      p.key = k ? *k : unusableKey();
      p.item = std::move(*item);
    } else {
      auto keyMap = itemMember(*op, "Key", err);
      if (!err.type.empty()) return false;
      if (!keyMap) {
        err = validation("1 validation error detected: Value null at 'transactItems.1.member.key' failed to satisfy constraint: Member must not be null");
        return false;
      }
      auto k = encodeKeyMap(*p.desc, *keyMap, &err);
      if (!k && !keyFailed(err)) return false;
      p.key = k ? *k : unusableKey();
      p.item = std::move(*keyMap);
    }
    if (p.kind == Planned::Kind::Update) {
      auto text = stringMember(*op, "UpdateExpression", err);
      if (!err.type.empty()) return false;
      if (!text) {
        err = validation("1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null");
        return false;
      }
      auto u = expr::parseUpdate(*text, ph);
      if (!u) {
        err = fromExpr(u.error());
        return false;
      }
      for (const auto& path : u->targetPaths()) {
        if (path.topLevel() == p.desc->key.hashName() || path.topLevel() == p.desc->key.rangeName()) {
          err = validation("One or more parameter values were invalid: Cannot update attribute " + path.topLevel() +
                           ". This attribute is part of the key");
          return false;
        }
      }
      p.update = std::move(*u);
    }
    if (!parseOptionalCondition(*op, "ConditionExpression", expr::ExpressionKind::Condition, ph, p.cond, err)) return false;
    if (p.kind == Planned::Kind::Check && !p.cond) {
      err = validation("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
      return false;
    }
    if (!checkAllUsed(ph, err)) return false;
    if (!readReturnOnFailure(*op, p.returnOldOnFailure, err)) return false;
    plans.push_back(std::move(p));
  }
  {
    std::set<std::string> seen;
    for (const auto& p : plans)
      if (!seen.insert(p.key).second) {
        err = validation("Transaction request cannot include multiple operations on one item");
        return false;
      }
  }
  if (keyErrorAt) {
    std::vector<std::string> reasons(plans.size()), reasonItems(plans.size());
    reasons[*keyErrorAt] = "ValidationError:" + keyError;
    err = transactionCanceled(reasons, reasonItems);
    return false;
  }
  // The request's fingerprint for ClientRequestToken idempotency.
  std::string fingerprint = token ? requestFingerprint(*items) : std::string();

  HeldTables held;
  holdTables(plans, held);
  std::vector<std::string_view> keys;
  for (auto& p : plans) keys.push_back(p.key);
  std::string tk = token ? tokenKey(*token) : std::string();
  if (token) keys.push_back(tk);
  std::map<std::string, double> units;
  std::map<TableState*, WriteDelta> deltas;
  std::map<std::string, const Planned*> firstOfTable;  // its desc and state, for the index units
  bool replay = false;
  {
    auto guard = locks_.lockKeys(keys);
    int64_t now = static_cast<int64_t>(clock_.wallSeconds());
    if (token) {
      std::string prior;
      switch (clientTokenState(engine_.get(tk, &prior) ? &prior : nullptr, fingerprint, now)) {
        case TokenState::Mismatch: err = clientTokenMismatch(); return false;
        case TokenState::Replay: replay = true; break;  // already applied: answer success without applying it twice
        case TokenState::New: break;
      }
    }
    if (!replay) {
      std::vector<std::string> reasons(plans.size());
      std::vector<std::string> reasonItems(plans.size());
      bool cancelled = false;
      // Provisioned throughput: each action is admitted at a transactional unit's cost (2); one
      // its table cannot take cancels the transaction, and a cancelled transaction gives back
      // what it was admitted at.
      std::vector<bool> admitted(plans.size(), false);
      auto kindOf = [](const Planned& p) { return p.kind == Planned::Kind::Check ? CapacityKind::Read : CapacityKind::Write; };
      for (size_t i = 0; i < plans.size(); ++i) {
        auto& p = plans[i];
        ApiError why;
        admitted[i] = admitCapacity(*p.st, *p.desc, kindOf(p), kTransactEstimate, why);
        if (!admitted[i]) {
          // An on-demand maximum is an on-demand throttle: ThrottlingError, worded for the table
          // or for its global index (API reference, TransactionCanceledException).
          if (!why.type.ends_with("#ThrottlingException"))
            reasons[i] = "ProvisionedThroughputExceeded:" + why.message;
          else if (why.extraJson.find("\"Index") != std::string::npos)
            reasons[i] = "ThrottlingError:Throughput exceeds the current capacity for one or more global secondary indexes. "
                         "DynamoDB is automatically scaling your index so please try again shortly.";
          else
            reasons[i] = "ThrottlingError:Throughput exceeds the current capacity of your table or index. DynamoDB is "
                         "automatically scaling your table or index so please try again shortly. If exceptions persist, "
                         "check if you have a hot key: "
                         "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html.";
          cancelled = true;
          continue;
        }
        p.hadOld = readItem(p.key, &p.old);
        const Item& oldOrEmpty = p.hadOld ? p.old : Item{};
        if (p.cond && !expr::evaluate(*p.cond, oldOrEmpty)) {
          reasons[i] = "ConditionalCheckFailed";
          if (p.returnOldOnFailure && p.hadOld) reasonItems[i] = toJson(p.old);
          cancelled = true;
          continue;
        }
        if (p.kind == Planned::Kind::Update) {
          auto o = expr::applyUpdate(*p.update, p.hadOld ? p.old : p.item);
          ApiError e;
          if (!o) {
            reasons[i] = "ValidationError:" + o.error().message;
            cancelled = true;
            continue;
          }
          p.next = std::move(o->item);
          if (itemSize(p.next) > kMaxItemSize || !encodeItemKey(*p.desc, p.next, &e)) {
            reasons[i] = "ValidationError:" + (e.message.empty() ? std::string("Item size to update has exceeded the maximum allowed size") : e.message);
            cancelled = true;
          }
        }
      }
      if (cancelled) {
        for (size_t i = 0; i < plans.size(); ++i)
          if (admitted[i]) chargeCapacity(*plans[i].st, *plans[i].desc, kindOf(plans[i]), -kTransactEstimate);
        err = transactionCanceled(reasons, reasonItems);
        return false;
      }
      rocksdb::WriteBatch batch;
      for (auto& p : plans) {
        firstOfTable.emplace(p.desc->name, &p);
        const Item* oldPtr = p.hadOld ? &p.old : nullptr;
        size_t oldSize = p.hadOld ? itemSize(p.old) : 0;
        double u = 0;
        switch (p.kind) {
          case Planned::Kind::Put:
            appendItemWrite(batch, *p.desc, p.key, oldPtr, &p.item, &deltas[p.st.get()]);
            u = 2 * writeUnits(std::max(oldSize, itemSize(p.item)));
            break;
          case Planned::Kind::Update:
            appendItemWrite(batch, *p.desc, p.key, oldPtr, &p.next, &deltas[p.st.get()]);
            u = 2 * writeUnits(std::max(oldSize, itemSize(p.next)));
            break;
          case Planned::Kind::Delete:
            if (p.hadOld) appendItemWrite(batch, *p.desc, p.key, oldPtr, nullptr, &deltas[p.st.get()]);
            u = 2 * writeUnits(oldSize);
            break;
          case Planned::Kind::Check:
            u = 2 * readUnits(oldSize, true);
            break;
        }
        units[p.desc->name] += u;
        chargeCapacity(*p.st, *p.desc, kindOf(p), u - kTransactEstimate);
      }
      if (token) batch.Put(tk, clientTokenRecord(fingerprint, now));
      if (!writeBatch(batch, out, err)) return false;
      for (auto& [st, delta] : deltas) applyDelta(st->stats, delta);
      // An index entry a transaction writes costs two units per KB, as the item's write does.
      for (const auto& [name, p] : firstOfTable) {
        auto it = deltas.find(p->st.get());
        if (it == deltas.end()) continue;
        scaleIndexUnits(it->second, 2);
        meterIndexUnits(*p->desc, it->second);
        chargeWrite(*p->st, *p->desc, 0, it->second);
      }
    }
  }
  out.w.StartObject();
  if (cap != CapacityMode::None) {
    static const WriteDelta kNoIndexWrites;
    key(out.w, "ConsumedCapacity");
    out.w.StartArray();
    for (const auto& [name, u] : units) {
      const Planned* p = firstOfTable.at(name);
      auto it = deltas.find(p->st.get());
      writeWriteCapacity(out.w, *p->desc, u, it == deltas.end() ? kNoIndexWrites : it->second, cap);
    }
    out.w.EndArray();
  }
  if (metrics) writeCollectionMetricsByTable(out.w, plans);
  out.w.EndObject();
  return true;
}

bool Service::transactGetItems(const Doc& d, Out& out, ApiError& err) {
  const auto* items = transactItems(d, err);
  if (!items) return false;
  CapacityMode cap;
  if (!readCapacityMode(d, cap, err)) return false;
  struct Get {
    TableDescPtr desc;
    std::string key;
    std::optional<expr::Projection> projection;
  };
  std::vector<Get> gets;
  std::set<std::string> seen;
  std::optional<size_t> keyErrorAt;
  std::string keyError;
  for (const auto& ti : items->GetArray()) {
    const auto* g = member(ti, "Get");
    if (!g) {
      err = validation("1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null");
      return false;
    }
    Get get;
    IamAction action("GetItem");
    auto st = requireTable(*g, err);
    if (!st) return false;
    get.desc = st->schema();
    auto keyMap = itemMember(*g, "Key", err);
    if (!err.type.empty()) return false;
    if (!keyMap) {
      err = validation("1 validation error detected: Value null at 'transactItems.1.member.get.key' failed to satisfy constraint: Member must not be null");
      return false;
    }
    // A key that does not fit its table's schema cancels the transaction with a ValidationError
    // reason on that action, as in TransactWriteItems (the first such action; the others None).
    auto k = encodeKeyMap(*get.desc, *keyMap, &err);
    if (!k) {
      if (!keyErrorAt) {
        keyErrorAt = gets.size();
        keyError = err.message;
      }
      err = ApiError{};
    } else if (!seen.insert(*k).second) {
      err = validation("Transaction request cannot include multiple operations on one item");
      return false;
    } else {
      get.key = *k;
    }
    ExpressionMaps maps;
    if (!readExpressionMaps(*g, maps, err)) return false;
    auto ph = maps.placeholders();
    if (!parseOptionalProjection(*g, ph, get.projection, err)) return false;
    if (!checkAllUsed(ph, err)) return false;
    gets.push_back(std::move(get));
  }
  if (keyErrorAt) {
    std::vector<std::string> reasons(gets.size()), reasonItems(gets.size());
    reasons[*keyErrorAt] = "ValidationError:" + keyError;
    err = transactionCanceled(reasons, reasonItems);
    return false;
  }
  // One snapshot: every transaction's WriteBatch is either wholly in it or wholly not.
  const rocksdb::Snapshot* snap = engine_.db()->GetSnapshot();
  std::map<std::string, double> units;
  out.w.StartObject();
  key(out.w, "Responses");
  out.w.StartArray();
  for (const auto& g : gets) {
    Item item;
    out.w.StartObject();
    if (readItem(g.key, &item, snap)) {
      key(out.w, "Item");
      writeAttributeMap(g.projection ? expr::project(*g.projection, item) : item, out.w);
      units[g.desc->name] += 2 * readUnits(itemSize(item), true);
    } else {
      units[g.desc->name] += 2 * readUnits(0, true);
    }
    out.w.EndObject();
  }
  out.w.EndArray();
  engine_.db()->ReleaseSnapshot(snap);
  writeConsumedCapacities(out.w, units, cap);
  out.w.EndObject();
  return true;
}

}  // namespace cdnlab::store

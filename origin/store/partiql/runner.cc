// PartiQL statements as item operations (partiql/runner.h).
#include "origin/store/partiql/runner.h"

#include <rocksdb/iterator.h>
#include <xxhash.h>

#include <algorithm>
#include <set>

#include "origin/store/client_token.h"
#include "origin/store/expr/document.h"
#include "origin/store/item_codec.h"
#include "origin/store/model/base64.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"
#include "origin/store/ops_common.h"
#include "origin/store/write_capacity.h"

namespace cdnlab::store {
namespace {

using partiql::Statement;

constexpr size_t kPageBytes = 1024 * 1024;  // a page of a Query or Scan, and of a SELECT

ApiError duplicateItem() { return dynamoError("DuplicateItemException", "Duplicate primary key exists in table"); }

// `prefix` followed by the encoded key value `v`: with its terminator (an exact key component), or
// without (every component that `v` begins).
std::string keyBytes(const std::string& prefix, const AttributeValue& v, bool terminator) {
  std::string out = prefix;
  auto kv = keyValueOf(v);
  if (!kv) return out;
  if (terminator) {
    (void)appendKeyComponent(out, *kv);
  } else {
    std::string esc;
    appendEscaped(esc, kv->bytes);
    out.append(esc, 0, esc.size() - 2);
  }
  return out;
}

// Top-level attributes an index keeps: both keys and, for INCLUDE, the named ones (ALL: all).
bool projects(const TableDesc& t, const IndexDesc& i, const std::string& name) {
  if (i.projection == ProjectionType::All) return true;
  if (t.key.contains(name) || i.key.contains(name)) return true;
  if (i.projection == ProjectionType::Include)
    return std::find(i.nonKeyAttributes.begin(), i.nonKeyAttributes.end(), name) != i.nonKeyAttributes.end();
  return false;
}

std::string listed(const std::vector<std::string>& names) {
  std::string s = "[";
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s + "]";
}

}  // namespace

struct PartiqlRunner::WritePlan {
  const Prepared* p = nullptr;
  TableStatePtr st;
  std::string key;
  Item keyMap;
  partiql::KeyAccess keys;
  bool hadOld = false;
  Item old;
  Item next;
  bool writes = false;  // whether the plan changes the item
};

bool PartiqlRunner::prepare(std::string_view text, const std::vector<AttributeValue>& params, Prepared& p,
                            ApiError& err) {
  auto parsed = partiql::parseStatement(text);
  if (!parsed) {
    err = fromExpr(parsed.error());
    return false;
  }
  p.stmt = std::move(*parsed);
  const Statement& s = p.stmt.kind == Statement::Kind::Exists ? *p.stmt.inner : p.stmt;
  auto bound = partiql::bindStatement(s, params);
  if (!bound) {
    err = fromExpr(bound.error());
    return false;
  }
  p.bound = std::move(*bound);
  if (p.stmt.kind == Statement::Kind::Delete && p.stmt.returning != Statement::Returning::None &&
      p.stmt.returning != Statement::Returning::AllOld) {
    err = validation("Invalid returning clause: " + p.stmt.returningText +
                     ". Only RETURNING ALL OLD * is allowed in DELETE statements.");
    return false;
  }
  p.st = s_.catalog_.find(s.table);
  if (!p.st || p.st->deleted.load()) {
    err = resourceNotFound();
    return false;
  }
  p.desc = p.st->schema();
  if (s.index) {
    p.index = p.desc->findIndex(*s.index);
    if (!p.index) {
      err = validation("The table does not have the specified index");
      return false;
    }
  }
  return true;
}

Item PartiqlRunner::projectRow(const Statement& s, const Item& item) {
  if (s.selectAll) return item;
  Item out;
  for (const auto& path : s.projection) {
    const AttributeValue* v = expr::resolvePath(item, path);
    if (!v) continue;
    std::string name;
    for (const auto& e : path.elements)
      if (!e.isIndex()) name = e.name;
    out.insert_or_assign(name, *v);
  }
  return out;
}

bool PartiqlRunner::select(const Prepared& p, const ReadOptions& o, ReadResult& r, ApiError& err) {
  const Statement& s = p.stmt;
  const TableDesc& desc = *p.desc;
  const IndexDesc* index = p.index;
  if (o.consistent && index && index->global) {
    err = validation("Strongly consistent read is not supported on Global Secondary Indexes");
    return false;
  }
  const expr::KeySchema& schema = index ? index->key : desc.key;
  partiql::KeyAccess keys = partiql::analyzeKeys(p.bound.where, schema);
  bool fetchFromTable = false;
  if (index && index->projection != ProjectionType::All) {
    std::vector<std::string> missing;
    if (keys.keyed) {
      for (const auto& n : keys.restNames)
        if (!projects(desc, *index, n)) missing.push_back(n);
      if (!missing.empty()) {
        err = validation("One or more parameter values were invalid: Secondary index " + index->name +
                         " does not project one or more filter attributes: " + listed(missing));
        return false;
      }
    }
    if (!s.selectAll) {
      for (const auto& path : s.projection)
        if (!projects(desc, *index, path.topLevel()) &&
            std::find(missing.begin(), missing.end(), path.topLevel()) == missing.end())
          missing.push_back(path.topLevel());
      if (!missing.empty()) {
        if (index->global) {
          err = validation("One or more parameter values were invalid: Global secondary index " + index->name +
                           " does not project " + listed(missing));
          return false;
        }
        fetchFromTable = true;  // an LSI shares the table's partition: read the rest from the item
      }
    }
  }
  if (s.orderBy && (!keys.hash || *s.orderBy != schema.rangeName())) {
    err = validation("Must have a key condition on the partition key to use ORDER BY, and only on the sort key");
    return false;
  }
  auto& engine = s_.engine_;
  if (!index && keys.fullKey) {  // GetItem
    r.fullKey = true;
    auto itemKey = encodeKeyMap(desc, keys.key, &err);
    if (!itemKey) return false;
    std::string raw;
    size_t size = 0;
    if (engine.get(*itemKey, &raw)) {
      if (auto item = attributeMapFromJson(raw)) {
        size = itemSize(*item);
        if (!p.bound.where || expr::evaluate(*p.bound.where, *item)) r.items.push_back(projectRow(s, *item));
      }
    }
    r.tableUnits = readUnits(size, o.consistent);
    return true;
  }
  std::string prefix = index ? indexPrefix(desc.id, index->id) : tablePrefix(desc.id);
  std::string lower = prefix, upper = prefixSuccessor(prefix);
  if (keys.hash) {
    auto kv = keyValueOf(*keys.hash);
    auto part = kv ? partitionPrefix(prefix, *kv) : Result<std::string>(Error{kValidationError, "bad key"});
    if (!part) {
      err = validation(part.error().message);
      return false;
    }
    const std::string& P = *part;
    const auto& kc = keys.range;
    using Op = expr::KeyCondition::RangeOp;
    switch (kc.rangeOp) {
      case Op::None: lower = P; upper = prefixSuccessor(P); break;
      case Op::Eq: lower = keyBytes(P, kc.low, true); upper = prefixSuccessor(lower); break;
      case Op::Lt: lower = P; upper = keyBytes(P, kc.low, true); break;
      case Op::Le: lower = P; upper = prefixSuccessor(keyBytes(P, kc.low, true)); break;
      case Op::Gt: lower = prefixSuccessor(keyBytes(P, kc.low, true)); upper = prefixSuccessor(P); break;
      case Op::Ge: lower = keyBytes(P, kc.low, true); upper = prefixSuccessor(P); break;
      case Op::Between:
        lower = keyBytes(P, kc.low, true);
        upper = prefixSuccessor(keyBytes(P, kc.high, true));
        break;
      case Op::BeginsWith:
        lower = keyBytes(P, kc.low, false);
        upper = prefixSuccessor(lower);
        break;
    }
    if (upper < lower) upper = lower;
  }
  const bool reverse = s.orderBy && s.orderDescending;
  if (!o.startToken.empty()) {
    // The token is the encoded key of the last row the page before walked: it must lie inside
    // this statement's range, or it belongs to another statement.
    auto k = base64Decode(o.startToken);
    if (!k || *k < lower || *k >= upper) {
      err = validation("The provided NextToken is not valid for this statement");
      return false;
    }
    if (reverse) upper = *k;
    else lower = *k + std::string(1, '\0');
  }
  rocksdb::ReadOptions ro;
  rocksdb::Slice lo(lower), hi(upper);
  ro.iterate_lower_bound = &lo;
  ro.iterate_upper_bound = &hi;
  std::unique_ptr<rocksdb::Iterator> it(engine.db()->NewIterator(ro));
  if (reverse) it->SeekToLast();
  else it->SeekToFirst();
  int64_t walked = 0;
  size_t bytes = 0;
  std::string lastRowKey;
  bool more = false;
  for (; it->Valid(); reverse ? it->Prev() : it->Next()) {
    if ((o.limit > 0 && walked >= o.limit) || bytes >= kPageBytes) {
      more = true;
      break;
    }
    auto row = attributeMapFromJson(it->value().ToStringView());
    if (!row) continue;
    ++walked;
    bytes += itemSize(*row);
    lastRowKey = it->key().ToString();
    r.lastKey = keyOf(desc, index, *row);
    if (fetchFromTable) {
      std::string raw;
      size_t size = 0;
      if (engine.get(storedItemKey(desc, *row), &raw)) {
        if (auto full = attributeMapFromJson(raw)) {
          size = itemSize(*full);
          *row = std::move(*full);
        }
      }
      r.tableUnits += readUnits(size, o.consistent);
    }
    if (p.bound.where && !expr::evaluate(*p.bound.where, *row)) continue;
    r.items.push_back(projectRow(s, *row));
  }
  if (o.limit > 0 && walked >= o.limit) more = true;
  if (more && !lastRowKey.empty()) r.nextToken = base64Encode(lastRowKey);
  else r.lastKey.reset();
  double units = readUnits(bytes, o.consistent);
  (index ? r.indexUnits : r.tableUnits) += units;
  return true;
}

bool PartiqlRunner::planWrite(const Prepared& p, const TableDesc& desc, WritePlan& w, ApiError& err) {
  w.p = &p;
  w.st = p.st;
  const Statement& s = p.stmt.kind == Statement::Kind::Exists ? *p.stmt.inner : p.stmt;
  if (p.index) {
    err = validation("This operation is not supported on an index");
    return false;
  }
  if (s.kind == Statement::Kind::Insert) {
    if (itemSize(p.bound.value) > kMaxItemSize) {
      err = validation("Item size has exceeded the maximum allowed size");
      return false;
    }
    auto k = encodeItemKey(desc, p.bound.value, &err);
    if (!k) return false;
    w.key = *k;
    return true;
  }
  w.keys = partiql::analyzeKeys(p.bound.where, desc.key);
  if (!w.keys.fullKey) {
    err = validation("Where clause does not contain a mandatory equality on all key attributes");
    return false;
  }
  for (const auto& a : p.bound.update.actions) {
    if (a.path.topLevel() == desc.key.hashName() || a.path.topLevel() == desc.key.rangeName()) {
      err = validation("One or more parameter values were invalid: Cannot update attribute " + a.path.topLevel() +
                       ". This attribute is part of the key");
      return false;
    }
  }
  auto k = encodeKeyMap(desc, w.keys.key, &err);
  if (!k) return false;
  w.key = *k;
  w.keyMap = w.keys.key;
  return true;
}

// Decides one write against the old item (read into w): its condition, its new item.
PartiqlRunner::Outcome PartiqlRunner::checkWrite(WritePlan& w, const TableDesc& desc, std::string& message) {
  const Prepared& p = *w.p;
  switch (p.stmt.kind) {
    case Statement::Kind::Insert:
      if (w.hadOld) return Outcome::Duplicate;
      w.next = p.bound.value;
      w.writes = true;
      return Outcome::Ok;
    case Statement::Kind::Exists:
      // EXISTS(SELECT ...): the item must exist and satisfy the rest of the WHERE clause.
      if (!w.hadOld || !partiql::allHold(w.keys.rest, w.old)) return Outcome::ConditionFailed;
      return Outcome::Ok;
    case Statement::Kind::Delete:
      // A missing item is no error and its condition is not evaluated: there is nothing to delete.
      if (w.hadOld && !partiql::allHold(w.keys.rest, w.old)) return Outcome::ConditionFailed;
      w.writes = w.hadOld;
      return Outcome::Ok;
    case Statement::Kind::Update: {
      // The whole WHERE clause, key terms included: an UPDATE of a missing item fails its check.
      if (!w.hadOld || !expr::evaluate(*p.bound.where, w.old)) return Outcome::ConditionFailed;
      auto o = expr::applyUpdate(p.bound.update, w.old);
      if (!o) {
        message = o.error().message;
        return Outcome::Invalid;
      }
      w.next = std::move(o->item);
      ApiError e;
      if (itemSize(w.next) > kMaxItemSize) {
        message = "Item size to update has exceeded the maximum allowed size";
        return Outcome::Invalid;
      }
      if (!encodeItemKey(desc, w.next, &e)) {
        message = e.message;
        return Outcome::Invalid;
      }
      w.writes = true;
      return Outcome::Ok;
    }
    case Statement::Kind::Select: break;
  }
  message = "A read cannot be run as a write";
  return Outcome::Invalid;
}

bool PartiqlRunner::write(const Prepared& p, bool returnOldOnFailure, WriteResult& r, Service::Out& out, ApiError& err) {
  std::shared_lock<std::shared_mutex> writers(p.st->writers);
  auto desc = p.st->schema();
  WritePlan w;
  if (!planWrite(p, *desc, w, err)) return false;
  r.reached = true;
  if (!s_.admitCapacity(*p.st, *desc, Service::CapacityKind::Write, 1, err)) return false;
  {
    auto guard = s_.locks_.lockKeys({w.key});
    w.hadOld = s_.readItem(w.key, &w.old);
    std::string message;
    switch (checkWrite(w, *desc, message)) {
      case Outcome::Ok: break;
      case Outcome::Duplicate: err = duplicateItem(); return false;
      case Outcome::ConditionFailed: err = conditionFailedWith(w.hadOld ? &w.old : nullptr, returnOldOnFailure); return false;
      case Outcome::Invalid: err = validation(message); return false;
    }
    if (w.writes) {
      rocksdb::WriteBatch batch;
      const bool removes = p.stmt.kind == Statement::Kind::Delete;
      appendItemWrite(batch, *desc, w.key, w.hadOld ? &w.old : nullptr, removes ? nullptr : &w.next, &r.delta);
      if (!s_.writeBatch(batch, out, err)) return false;
      applyDelta(p.st->stats, r.delta);
    }
  }
  size_t oldSize = w.hadOld ? itemSize(w.old) : 0;
  size_t newSize = w.writes && p.stmt.kind != Statement::Kind::Delete ? itemSize(w.next) : 0;
  r.units = writeUnits(std::max(oldSize, newSize));  // the table's own; its indexes' are in r.delta
  meterIndexUnits(*desc, r.delta);
  s_.chargeWrite(*p.st, *desc, r.units - 1, r.delta);
  using R = Statement::Returning;
  switch (p.stmt.returning) {
    case R::None: break;
    case R::AllOld: if (w.hadOld) r.returned = w.old; break;
    case R::AllNew: r.returned = w.next; break;
    // MODIFIED projects the paths as the statement names them on the old or the new item: an
    // append past a list's end names an index neither holds, a removed attribute has no new value.
    case R::ModifiedOld: r.returned = expr::projectPaths(p.bound.update.targetPaths(), w.old); break;
    case R::ModifiedNew: r.returned = expr::projectPaths(p.bound.update.targetPaths(), w.next); break;
  }
  return true;
}

bool PartiqlRunner::transactWrites(const std::vector<Prepared>& ps, const std::vector<bool>& returnOldOnFailure, std::string_view token,
                                   const std::string& fingerprint, std::map<std::string, double>& units,
                                   bool& replayed, Service::Out& out, ApiError& err) {
  replayed = false;
  // Every table held against schema changes (in name order), then every item's stripe.
  std::map<std::string, TableState*> tables;
  for (const auto& p : ps) tables[p.desc->name] = p.st.get();
  std::vector<std::shared_lock<std::shared_mutex>> held;
  for (auto& [n, st] : tables) held.emplace_back(st->writers);
  std::vector<WritePlan> plans(ps.size());
  std::vector<TableDescPtr> descs;
  std::set<std::string> seen;
  for (size_t i = 0; i < ps.size(); ++i) {
    descs.push_back(ps[i].st->schema());
    if (!planWrite(ps[i], *descs[i], plans[i], err)) {
      err.message = "Validation failed in TransactStatements[" + std::to_string(i) + "]: " + err.message;
      return false;
    }
    if (!seen.insert(plans[i].key).second) {
      err = validation("Transaction request cannot include multiple operations on one item");
      return false;
    }
  }
  std::vector<std::string_view> keys;
  for (auto& w : plans) keys.push_back(w.key);
  std::string tk = token.empty() ? std::string() : "t" + std::string(token);
  if (!tk.empty()) keys.push_back(tk);
  auto guard = s_.locks_.lockKeys(keys);
  int64_t now = static_cast<int64_t>(s_.clock_.wallSeconds());
  if (!tk.empty()) {
    std::string prior;
    switch (clientTokenState(s_.engine_.get(tk, &prior) ? &prior : nullptr, fingerprint, now)) {
      case TokenState::Mismatch: err = clientTokenMismatch(); return false;
      case TokenState::Replay:
        // Applied already: the same answer, not a second application; DynamoDB charges the
        // replay as a transactional read of each statement's result.
        replayed = true;
        for (const auto& d : descs) units[d->name] += 2;
        return true;
      case TokenState::New: break;
    }
  }
  std::vector<std::string> codes(plans.size(), "None"), messages(plans.size()), reasonItems(plans.size());
  bool cancelled = false;
  for (size_t i = 0; i < plans.size(); ++i) {
    auto& w = plans[i];
    w.hadOld = s_.readItem(w.key, &w.old);
    std::string message;
    switch (checkWrite(w, *descs[i], message)) {
      case Outcome::Ok: continue;
      case Outcome::Duplicate:
        codes[i] = "DuplicateItem";
        messages[i] = "Duplicate primary key exists in table";
        break;
      case Outcome::ConditionFailed:
        codes[i] = "ConditionalCheckFailed";
        messages[i] = "The conditional request failed";
        if (returnOldOnFailure[i] && w.hadOld) reasonItems[i] = toJson(w.old);
        break;
      case Outcome::Invalid:
        codes[i] = "ValidationError";
        messages[i] = message;
        break;
    }
    cancelled = true;
  }
  if (cancelled) {
    std::string list, extra = "\"CancellationReasons\":[";
    for (size_t i = 0; i < plans.size(); ++i) {
      list += (i ? ", " : "") + codes[i];
      rapidjson::StringBuffer sb;
      JsonWriter jw(sb);
      jw.StartObject();
      kv(jw, "Code", codes[i]);
      if (!messages[i].empty()) kv(jw, "Message", messages[i]);
      jw.EndObject();
      std::string obj(sb.GetString(), sb.GetSize());
      if (!reasonItems[i].empty()) obj.insert(obj.size() - 1, ",\"Item\":" + reasonItems[i]);
      extra += (i ? "," : "") + obj;
    }
    err = dynamoError("TransactionCanceledException",
                      "Transaction cancelled, please refer cancellation reasons for specific reasons [" + list + "]");
    err.extraJson = extra + "]";
    return false;
  }
  rocksdb::WriteBatch batch;
  std::map<TableState*, WriteDelta> deltas;
  for (size_t i = 0; i < plans.size(); ++i) {
    auto& w = plans[i];
    const bool removes = ps[i].stmt.kind == Statement::Kind::Delete;
    size_t oldSize = w.hadOld ? itemSize(w.old) : 0;
    double u;
    if (ps[i].stmt.kind == Statement::Kind::Exists) {
      u = 2 * readUnits(oldSize, true);
    } else {
      if (w.writes)
        appendItemWrite(batch, *descs[i], w.key, w.hadOld ? &w.old : nullptr, removes ? nullptr : &w.next,
                        &deltas[w.st.get()]);
      u = 2 * writeUnits(std::max(oldSize, w.writes && !removes ? itemSize(w.next) : size_t{0}));
    }
    units[descs[i]->name] += u;
  }
  if (!tk.empty()) batch.Put(tk, clientTokenRecord(fingerprint, now));
  if (!s_.writeBatch(batch, out, err)) return false;
  for (auto& [st, delta] : deltas) applyDelta(st->stats, delta);
  return true;
}

bool PartiqlRunner::transactReads(const std::vector<Prepared>& ps, std::vector<std::optional<Item>>& items,
                                  std::map<std::string, double>& units, ApiError& err) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (size_t i = 0; i < ps.size(); ++i) {
    auto k = partiql::analyzeKeys(ps[i].bound.where, ps[i].desc->key);
    std::optional<Result<std::string>> enc;
    if (k.fullKey) enc = encodeKeyMap(*ps[i].desc, k.key, &err);
    if (!k.fullKey || !*enc) {
      err = validation("Validation failed in TransactStatements[" + std::to_string(i) +
                       "]: Select statements within a transaction must specify the full primary key with equality conditions");
      return false;
    }
    if (!seen.insert(**enc).second) {
      err = validation("Transaction request cannot include multiple operations on one item");
      return false;
    }
    keys.push_back(**enc);
  }
  const rocksdb::Snapshot* snap = s_.engine_.db()->GetSnapshot();
  for (size_t i = 0; i < ps.size(); ++i) {
    Item item;
    size_t size = 0;
    if (s_.readItem(keys[i], &item, snap)) {
      size = itemSize(item);
      if (!ps[i].bound.where || expr::evaluate(*ps[i].bound.where, item)) items.push_back(projectRow(ps[i].stmt, item));
      else items.emplace_back();
    } else {
      items.emplace_back();
    }
    units[ps[i].desc->name] += 2 * readUnits(size, true);
  }
  s_.engine_.db()->ReleaseSnapshot(snap);
  return true;
}

}  // namespace cdnlab::store

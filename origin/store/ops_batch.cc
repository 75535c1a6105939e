// BatchGetItem: up to 100 keys over several tables, answered from one RocksDB snapshot.
// (BatchWriteItem shares the multi-item write path with TransactWriteItems: ops_transact.cc.)
#include "origin/store/json_out.h"
#include "origin/store/legacy.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"
#include "origin/store/ops_common.h"
#include "origin/store/service.h"

#include <set>

namespace cdnlab::store {
namespace {
constexpr size_t kMaxBatchGetKeys = 100;
constexpr size_t kMaxBatchGetBytes = 16 * 1024 * 1024;  // "as many as 100 items, up to 16 MB of data"
}  // namespace

bool Service::batchGetItem(const Doc& d, Out& out, ApiError& err) {
  const auto* req = member(d, "RequestItems");
  if (!req || !req->IsObject()) {
    err = validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
    return false;
  }
  if (req->ObjectEmpty()) {
    err = validation("The requestItems parameter is required for BatchGetItem");
    return false;
  }
  CapacityMode cap;
  if (!readCapacityMode(d, cap, err)) return false;
  struct TableRead {
    std::string name;
    TableStatePtr st;
    TableDescPtr desc;
    const rapidjson::Value* spec;
    std::vector<std::pair<std::string, const rapidjson::Value*>> keys;  // encoded key, JSON key
    std::optional<expr::Projection> projection;
    bool consistent;
  };
  std::vector<TableRead> reads;
  size_t total = 0;
  for (const auto& t : req->GetObject()) {
    TableRead r;
    r.name = t.name.GetString();
    r.spec = &t.value;
    // A table's ARN is resolved with the table, after the whole request is checked.
    if (!r.name.starts_with("arn:") && !validateTableName(r.name, "requestItems.member.key", err)) return false;
    const auto* keys = member(t.value, "Keys");
    if (!keys || !keys->IsArray() || keys->Size() == 0) {
      err = validation("1 validation error detected: Value null at 'requestItems." + r.name + ".member.keys' failed to satisfy constraint: Member must not be null");
      return false;
    }
    total += keys->Size();
    if (total > kMaxBatchGetKeys) {
      err = validation("Too many items requested for the BatchGetItem call");
      return false;
    }
    if (!legacy::checkExpressionParams(t.value, {"ProjectionExpression"}, {"AttributesToGet"}, err)) return false;
    if (!checkDuplicateAttributesToGet(t.value, err)) return false;
    ExpressionMaps maps;
    if (!readExpressionMaps(t.value, maps, err)) return false;
    auto ph = maps.placeholders();
    if (!parseOptionalProjection(t.value, ph, r.projection, err) || !readAttributesToGet(t.value, r.projection, err)) return false;
    if (!checkAllUsed(ph, err)) return false;
    r.consistent = boolMember(t.value, "ConsistentRead", false);
    reads.push_back(std::move(r));
  }
  // The whole request is valid: now the tables and their keys.
  for (auto& r : reads) {
    auto st = requireTableNamedOrArn(r.name, "requestItems.member.key", err);
    if (!st) return false;
    r.st = st;
    r.desc = st->schema();
    std::set<std::string> seen;
    for (const auto& k : (*r.spec)["Keys"].GetArray()) {
      auto m = k.IsObject() ? parseAttributeMap(k) : Result<AttributeMap>(Error{400, "bad key"});
      if (!m) {
        err = validation(m.error().message);
        return false;
      }
      auto ek = encodeKeyMap(*r.desc, *m, &err);
      if (!ek) return false;
      if (!seen.insert(*ek).second) {
        err = validation("Provided list of item keys contains duplicates");
        return false;
      }
      r.keys.emplace_back(*ek, &k);
    }
  }
  const rocksdb::Snapshot* snap = engine_.db()->GetSnapshot();
  size_t bytes = 0;
  bool full = false;  // the next item would take the response past 16 MB: the rest go back unprocessed
  size_t admitted = 0;  // keys the tables' provisioned throughput let through
  std::vector<std::pair<const TableRead*, std::vector<const rapidjson::Value*>>> unprocessed;
  std::vector<std::pair<std::string, double>> units;
  out.w.StartObject();
  key(out.w, "Responses");
  out.w.StartObject();
  for (const auto& r : reads) {
    key(out.w, r.name);
    out.w.StartArray();
    double u = 0;
    std::vector<const rapidjson::Value*> left;
    for (const auto& [k, json] : r.keys) {
      // A key is admitted at the smallest read's cost and pays for its size once read; what the
      // table's throughput cannot take now goes back in UnprocessedKeys.
      const double estimate = r.consistent ? 1 : 0.5;
      if (full || !admitCapacity(*r.st, *r.desc, CapacityKind::Read, estimate)) {
        left.push_back(json);
        continue;
      }
      ++admitted;
      Item item;
      if (!readItem(k, &item, snap)) {
        u += readUnits(0, r.consistent);
        continue;
      }
      size_t sz = itemSize(item);
      if (bytes > 0 && bytes + sz > kMaxBatchGetBytes) {
        full = true;
        chargeCapacity(*r.st, *r.desc, CapacityKind::Read, -estimate);  // not read after all
        left.push_back(json);
        continue;
      }
      bytes += sz;
      const double cost = readUnits(sz, r.consistent);
      u += cost;
      chargeCapacity(*r.st, *r.desc, CapacityKind::Read, cost - estimate);
      writeAttributeMap(r.projection ? expr::project(*r.projection, item) : item, out.w);
    }
    out.w.EndArray();
    units.emplace_back(r.name, u);
    if (!left.empty()) unprocessed.emplace_back(&r, std::move(left));
  }
  out.w.EndObject();
  engine_.db()->ReleaseSnapshot(snap);
  if (admitted == 0) {  // every table throttled every key: the whole call is refused
    err = unprocessed.empty() ? throughputExceeded() : capacityExceeded(*unprocessed.front().first->desc, CapacityKind::Read);
    return false;
  }
  key(out.w, "UnprocessedKeys");
  out.w.StartObject();
  for (const auto& [r, left] : unprocessed) {
    key(out.w, r->name);
    out.w.StartObject();
    for (const auto& m : r->spec->GetObject()) {
      if (std::string_view(m.name.GetString()) == "Keys") continue;
      key(out.w, m.name.GetString());
      m.value.Accept(out.w);
    }
    key(out.w, "Keys");
    out.w.StartArray();
    for (const auto* k : left) k->Accept(out.w);
    out.w.EndArray();
    out.w.EndObject();
  }
  out.w.EndObject();
  writeConsumedCapacities(out.w, units, cap);
  out.w.EndObject();
  return true;
}

}  // namespace cdnlab::store

// Query and Scan: one range scan over the encoded keys of a table or an index, with Limit, the
// 1 MB page limit, ExclusiveStartKey / LastEvaluatedKey, filters, projections and Select.
//
// Query's key condition becomes key bounds (key_codec.h keeps DynamoDB's order in the bytes):
//   sk = v        [E(v), succ(E(v)))        sk < v   [P, E(v))          sk <= v  [P, succ(E(v)))
//   sk > v        [succ(E(v)), succ(P))     sk >= v  [E(v), succ(P))    BETWEEN  [E(a), succ(E(b)))
//   begins_with   [P+esc'(p), succ(P+esc'(p)))   (esc' = escaped bytes without the terminator)
// where P is the partition prefix and E(v) = P + esc(v). On a GSI with a multi-attribute key, P is
// the partition tuple's prefix followed by the sort attributes the condition fixes by equality, and
// sk the sort attribute after them.
#include <rocksdb/iterator.h>

#include <algorithm>

#include "origin/store/json_out.h"
#include "origin/store/legacy.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"
#include "origin/store/ops_common.h"
#include "origin/store/service.h"

namespace cdnlab::store {
namespace {

constexpr size_t kPageBytes = 1024 * 1024;  // "a single Query/Scan only returns a result set that fits within the 1 MB size limit"

enum class Select { Default, AllAttributes, AllProjected, Specific, Count };

bool readSelect(const rapidjson::Value& o, Select& s, ApiError& err) {
  s = Select::Default;
  auto v = stringMember(o, "Select", err);
  if (!err.type.empty()) return false;
  if (!v) return true;
  if (*v == "ALL_ATTRIBUTES") s = Select::AllAttributes;
  else if (*v == "ALL_PROJECTED_ATTRIBUTES") s = Select::AllProjected;
  else if (*v == "SPECIFIC_ATTRIBUTES") s = Select::Specific;
  else if (*v == "COUNT") s = Select::Count;
  else {
    err = constraintError(*v, "select", "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    return false;
  }
  return true;
}

bool readLimit(const rapidjson::Value& o, int64_t& limit, ApiError& err) {
  limit = 0;
  const auto* l = member(o, "Limit");
  if (!l) return true;
  auto n = integerValue(*l);
  if (!n || *n < 1) {
    err = constraintError(n ? std::to_string(*n) : "?", "limit", "Member must have value greater than or equal to 1");
    return false;
  }
  limit = *n;
  return true;
}

std::string appendKeyBytes(const std::string& prefix, const AttributeValue& v, bool terminator) {
  std::string out = prefix;
  auto kv = keyValueOf(v);
  if (!kv) return out;
  if (terminator) {
    appendKeyComponent(out, *kv);
  } else {
    std::string esc;
    appendEscaped(esc, kv->bytes);
    out.append(esc, 0, esc.size() - 2);  // drop the 00 01 terminator: a prefix of every extension
  }
  return out;
}

}  // namespace

struct ReadSpec {
  TableDescPtr desc;
  const IndexDesc* index = nullptr;
  std::string lower, upper;
  bool reverse = false;
  int64_t limit = 0;
  std::optional<expr::Condition> filter;
  std::optional<expr::Projection> projection;
  Select select = Select::Default;
  bool fetchFromTable = false;  // LSI whose projection lacks what was asked for
  bool consistent = false;
  CapacityMode cap = CapacityMode::None;
  const expr::KeyCondition* keyCondition = nullptr;
  std::string rangeName;  // the sort key the key condition tests
};

// Runs the scan and writes the whole response; `units` is the read capacity it consumed.
static bool runRead(Engine& engine, const ReadSpec& spec, JsonWriter& w, ApiError& err, double& units) {
  (void)err;
  rocksdb::ReadOptions ro;
  rocksdb::Slice lo(spec.lower), hi(spec.upper);
  ro.iterate_lower_bound = &lo;
  ro.iterate_upper_bound = &hi;
  std::unique_ptr<rocksdb::Iterator> it(engine.db()->NewIterator(ro));
  if (spec.reverse) it->SeekToLast();
  else it->SeekToFirst();
  int64_t scanned = 0, count = 0;
  size_t bytes = 0;
  std::optional<Item> lastItem;
  bool more = false;
  bool countOnly = spec.select == Select::Count;
  w.StartObject();
  if (!countOnly) {
    key(w, "Items");
    w.StartArray();
  }
  for (; it->Valid(); spec.reverse ? it->Prev() : it->Next()) {
    if ((spec.limit > 0 && scanned >= spec.limit) || bytes >= kPageBytes) {
      more = true;
      break;
    }
    auto item = attributeMapFromJson(it->value().ToStringView());
    if (!item) continue;
    if (spec.keyCondition && !spec.rangeName.empty()) {
      auto sk = item->find(spec.rangeName);
      if (sk == item->end() || !spec.keyCondition->matchesRange(sk->second)) continue;
    }
    ++scanned;
    size_t sz = itemSize(*item);
    bytes += sz;
    lastItem = keyOf(*spec.desc, spec.index, *item);
    if (spec.fetchFromTable) {
      Item full;
      std::string raw;
      if (engine.get(storedItemKey(*spec.desc, *item), &raw)) {
        auto m = attributeMapFromJson(raw);
        if (m) *item = std::move(*m);
      }
    }
    if (spec.filter && !expr::evaluate(*spec.filter, *item)) continue;
    ++count;
    if (countOnly) continue;
    if (spec.projection) writeAttributeMap(expr::project(*spec.projection, *item), w);
    else writeAttributeMap(*item, w);
  }
  // A page that stopped at Limit carries LastEvaluatedKey even when no item follows: DynamoDB does
  // not look ahead ("If LastEvaluatedKey is not empty, it does not necessarily mean that there is
  // more data in the result set", API reference, Query).
  if (spec.limit > 0 && scanned >= spec.limit) more = true;
  if (!countOnly) w.EndArray();
  key(w, "Count");
  w.Int64(count);
  key(w, "ScannedCount");
  w.Int64(scanned);
  if (more && lastItem) {
    key(w, "LastEvaluatedKey");
    writeAttributeMap(*lastItem, w);
  }
  units = readUnits(bytes, spec.consistent);  // metered even when not returned
  if (spec.cap != CapacityMode::None) {
    key(w, "ConsumedCapacity");
    if (spec.index && spec.cap == CapacityMode::Indexes) {
      // INDEXES on an index read: the units are the index's, the table's own share is 0.
      w.StartObject();
      kv(w, "TableName", spec.desc->name);
      key(w, "CapacityUnits");
      w.Double(units);
      key(w, "Table");
      w.StartObject();
      key(w, "CapacityUnits");
      w.Double(0);
      w.EndObject();
      key(w, spec.index->global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
      w.StartObject();
      key(w, spec.index->name);
      w.StartObject();
      key(w, "CapacityUnits");
      w.Double(units);
      w.EndObject();
      w.EndObject();
      w.EndObject();
    } else {
      writeConsumedCapacity(w, spec.desc->name, units, spec.cap);
    }
  }
  w.EndObject();
  return true;
}

// Index, Select, projection, filter, Limit, ExclusiveStartKey and capacity: what Query and Scan share.
static bool readCommon(const rapidjson::Value& d, const TableDescPtr& desc, ReadSpec& spec, expr::Placeholders& ph,
                       ApiError& err, bool isQuery) {
  spec.desc = desc;
  auto indexName = stringMember(d, "IndexName", err);
  if (!err.type.empty()) return false;
  if (indexName) {
    spec.index = desc->findIndex(*indexName);
    if (!spec.index) {
      err = validation("The table does not have the specified index: " + std::string(*indexName));
      return false;
    }
  }
  spec.consistent = boolMember(d, "ConsistentRead", false);
  if (spec.consistent && spec.index && spec.index->global) {
    err = validation("Consistent reads are not supported on global secondary indexes");
    return false;
  }
  if (!readSelect(d, spec.select, err) || !readLimit(d, spec.limit, err) || !readCapacityMode(d, spec.cap, err)) return false;
  if (!parseOptionalProjection(d, ph, spec.projection, err) || !readAttributesToGet(d, spec.projection, err)) return false;
  // DynamoDB's wording of the Select checks: Query wraps them in the validation envelope, Scan
  // answers them bare.
  const char* envelope = isQuery ? "1 validation error detected: " : "";
  if (spec.projection && spec.select != Select::Default && spec.select != Select::Specific) {
    // Named after the parameter the request used (both cannot be there: checked before) and the
    // Select value it conflicts with.
    const char* chosen = spec.select == Select::AllAttributes  ? "ALL_ATTRIBUTES"
                         : spec.select == Select::AllProjected ? "ALL_PROJECTED_ATTRIBUTES"
                                                               : "only the Count";
    err = validation(std::string(envelope) + "Cannot specify the " +
                     (member(d, "AttributesToGet") ? "AttributesToGet" : "ProjectionExpression") + " when choosing to get " + chosen);
    return false;
  }
  if (spec.select == Select::Specific && !spec.projection) {
    err = validation(std::string(envelope) + "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
    return false;
  }
  if (spec.select == Select::AllProjected && !spec.index) {
    err = validation(std::string(envelope) + "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    return false;
  }
  if (spec.index && spec.index->projection != ProjectionType::All) {
    bool wantsMore = spec.select == Select::AllAttributes || (spec.projection != std::nullopt);
    if (spec.select == Select::AllAttributes && spec.index->global) {
      err = validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index " +
                       spec.index->name + " because its projection type is not ALL");
      return false;
    }
    spec.fetchFromTable = wantsMore && !spec.index->global;
  }
  return true;
}

static bool applyExclusiveStart(const rapidjson::Value& d, ReadSpec& spec, ApiError& err, std::string* startKey = nullptr) {
  auto esk = itemMember(d, "ExclusiveStartKey", err);
  if (!err.type.empty()) return false;
  if (!esk) return true;
  std::string k;
  if (spec.index) {
    auto ek = indexEntryKey(*spec.desc, *spec.index, *esk);
    if (!ek) {
      err = validation("The provided starting key is invalid: The provided key element does not match the schema");
      return false;
    }
    k = *ek;
  } else {
    ApiError inner;
    auto ek = encodeKeyMap(*spec.desc, *esk, &inner);
    if (!ek) {
      err = validation("The provided starting key is invalid: " + inner.message);
      return false;
    }
    k = *ek;
  }
  if (startKey) *startKey = k;
  if (!spec.reverse) {
    std::string next = k + std::string(1, '\0');  // the smallest key after k
    if (next > spec.lower) spec.lower = next;
  } else if (k < spec.upper) {
    spec.upper = k;
  }
  if (spec.upper < spec.lower) spec.upper = spec.lower;
  return true;
}

// One page of a Query or Scan, throttled: admitted at the smallest read's cost, it pays for its
// bytes afterwards.
bool Service::readPage(TableState& st, const ReadSpec& spec, Out& out, ApiError& err) {
  const double estimate = spec.consistent ? 1 : 0.5;
  if (!admitCapacity(st, *spec.desc, CapacityKind::Read, estimate, err, spec.index)) return false;
  double units = 0;
  if (!runRead(engine_, spec, out.w, err, units)) return false;
  chargeCapacity(st, *spec.desc, CapacityKind::Read, units - estimate, spec.index);
  return true;
}

// The expressions parsed before the table is looked up (syntax, names, values, the key
// condition's form, unused placeholders), so an invalid request on a missing table is a
// ValidationException as DynamoDB answers it. The filter needs no schema and is handed on as
// parsed; the key condition and the projection are read again against the schema afterwards.
static bool prevalidateExpressions(const rapidjson::Value& d, expr::Placeholders& ph, bool keyCondition,
                                   std::optional<expr::Condition>& filter, ApiError& err) {
  std::optional<expr::Condition> scratch;
  if (keyCondition &&
      !parseOptionalCondition(d, "KeyConditionExpression", expr::ExpressionKind::KeyCondition, ph, scratch, err))
    return false;
  if (!parseOptionalCondition(d, "FilterExpression", expr::ExpressionKind::Filter, ph, filter, err)) return false;
  std::optional<expr::Projection> projection;
  if (!parseOptionalProjection(d, ph, projection, err)) return false;
  return checkAllUsed(ph, err);
}

// Where a Query may restart (DynamoDB's checks on ExclusiveStartKey against the key condition):
// the start key names exactly the table's (and the index's) key attributes, lies in the queried
// partition, and satisfies the range condition.
static bool checkQueryStartKey(const rapidjson::Value& d, const ReadSpec& spec, const expr::KeySchema& schema,
                               const expr::KeyCondition& kc, ApiError& err) {
  const auto* esk = member(d, "ExclusiveStartKey");
  if (!esk || !esk->IsObject()) return true;
  std::vector<std::string> wanted;
  for (const auto* k : {&spec.desc->key, spec.index ? &spec.index->key : nullptr}) {
    if (!k) continue;
    for (const auto* part : {&k->hash, &k->range})
      for (const auto& a : *part)
        if (std::find(wanted.begin(), wanted.end(), a.name) == wanted.end()) wanted.push_back(a.name);
  }
  if (esk->MemberCount() != wanted.size()) {
    err = validation("The provided starting key is invalid");
    return false;
  }
  for (const auto& n : wanted) {
    if (!member(*esk, n.c_str())) {
      err = validation("The provided starting key is invalid");
      return false;
    }
  }
  auto start = parseAttributeMap(*esk);
  if (!start) return true;  // applyExclusiveStart reports it
  auto valueIs = [&](const std::string& name, const AttributeValue& want) {
    auto it = start->find(name);
    return it != start->end() && it->second == want;
  };
  bool samePartition = kc.hashValues.size() == schema.hash.size();
  for (size_t i = 0; samePartition && i < schema.hash.size(); ++i) samePartition = valueIs(schema.hash[i].name, kc.hashValues[i]);
  using Op = expr::KeyCondition::RangeOp;
  if (kc.rangeOp == Op::None) {
    if (!samePartition) {
      err = validation("The provided starting key is outside query boundaries based on provided conditions");
      return false;
    }
    return true;
  }
  bool inRange = true;
  for (size_t i = 0; inRange && i < kc.rangeEquals.size(); ++i) inRange = valueIs(schema.range[i].name, kc.rangeEquals[i]);
  auto range = start->find(kc.rangeAttribute(schema));
  if (!inRange || (range != start->end() && !kc.matchesRange(range->second))) {
    err = validation("The provided starting key does not match the range key predicate");
    return false;
  }
  if (!samePartition) {
    err = validation("The query can return at most one row and cannot be restarted");
    return false;
  }
  return true;
}

bool Service::query(const Doc& d, Out& out, ApiError& err) {
  // Request-level validation first (shape, legacy/expression mix, expressions), then the table.
  if (!legacy::checkExpressionParams(d, {"ProjectionExpression", "FilterExpression", "KeyConditionExpression"},
                                     {"AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"}, err))
    return false;
  if (!legacy::validateConditions(member(d, "QueryFilter"), err)) return false;
  if (!checkDuplicateAttributesToGet(d, err)) return false;
  auto kce = stringMember(d, "KeyConditionExpression", err);
  if (!err.type.empty()) return false;
  if (!kce && !member(d, "KeyConditions")) {
    err = validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    return false;
  }
  if (!kce && !legacy::validateConditions(member(d, "KeyConditions"), err)) return false;
  // A table's key has one or two attributes; an index's may have more (legacy::readKeyConditions
  // checks against it once the table is known).
  if (const auto* kc = member(d, "KeyConditions"); !kce && kc && kc->IsObject() && kc->MemberCount() != 1 &&
                                                   kc->MemberCount() != 2 && !member(d, "IndexName")) {
    err = validation("Conditions can be of length 1 or 2 only");
    return false;
  }
  ExpressionMaps maps;
  if (!readExpressionMaps(d, maps, err)) return false;
  auto ph = maps.placeholders();
  std::optional<expr::Condition> filter;
  if (!prevalidateExpressions(d, ph, kce.has_value(), filter, err)) return false;
  auto st = requireTable(d, err);
  if (!st) return false;
  auto desc = st->schema();
  ReadSpec spec;
  if (!readCommon(d, desc, spec, ph, err, true)) return false;
  spec.filter = std::move(filter);
  const expr::KeySchema& schema = spec.index ? spec.index->key : desc->key;
  expr::KeyCondition keyCond;
  if (kce) {
    auto kc = expr::parseKeyCondition(*kce, ph, schema);
    if (!kc) {
      err = fromExpr(kc.error());
      return false;
    }
    keyCond = std::move(*kc);
  } else if (!legacy::readKeyConditions(d, schema, keyCond, err)) {
    return false;
  }
  if (!legacy::readConditionsFilter(d, "QueryFilter", spec.filter, err)) return false;
  if (spec.filter) {
    for (const auto& n : spec.filter->topLevelNames()) {
      if (schema.contains(n)) {
        err = validation(std::string(member(d, "QueryFilter") ? "QueryFilter" : "Filter Expression") +
                         " can only contain non-primary key attributes: Primary key attribute: " + n);
        return false;
      }
    }
  }
  if (!checkAllUsed(ph, err)) return false;
  spec.reverse = !boolMember(d, "ScanIndexForward", true);
  const expr::KeyCondition* kc = &keyCond;
  spec.keyCondition = kc;
  spec.rangeName = kc->rangeAttribute(schema);

  // P: the partition (every partition attribute), then the sort attributes the condition fixes.
  std::vector<KeyValue> partition;
  for (const auto& v : kc->hashValues) {
    auto kv = keyValueOf(v);
    if (!kv) {
      err = validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
      return false;
    }
    partition.push_back(std::move(*kv));
  }
  std::string prefix = spec.index ? indexPrefix(desc->id, spec.index->id) : tablePrefix(desc->id);
  auto p = partitionPrefix(prefix, partition);
  if (!p) {
    err = validation(p.error().message);
    return false;
  }
  for (const auto& v : kc->rangeEquals) *p = appendKeyBytes(*p, v, true);
  const std::string& P = *p;
  using Op = expr::KeyCondition::RangeOp;
  switch (kc->rangeOp) {
    case Op::None: spec.lower = P; spec.upper = prefixSuccessor(P); break;
    case Op::Eq: spec.lower = appendKeyBytes(P, kc->low, true); spec.upper = prefixSuccessor(spec.lower); break;
    case Op::Lt: spec.lower = P; spec.upper = appendKeyBytes(P, kc->low, true); break;
    case Op::Le: spec.lower = P; spec.upper = prefixSuccessor(appendKeyBytes(P, kc->low, true)); break;
    case Op::Gt: spec.lower = prefixSuccessor(appendKeyBytes(P, kc->low, true)); spec.upper = prefixSuccessor(P); break;
    case Op::Ge: spec.lower = appendKeyBytes(P, kc->low, true); spec.upper = prefixSuccessor(P); break;
    case Op::Between:
      spec.lower = appendKeyBytes(P, kc->low, true);
      spec.upper = prefixSuccessor(appendKeyBytes(P, kc->high, true));
      break;
    case Op::BeginsWith:
      spec.lower = appendKeyBytes(P, kc->low, false);
      spec.upper = prefixSuccessor(spec.lower);
      break;
  }
  if (spec.upper < spec.lower) spec.upper = spec.lower;
  if (!checkQueryStartKey(d, spec, schema, *kc, err)) return false;
  if (!applyExclusiveStart(d, spec, err)) return false;
  return readPage(*st, spec, out, err);
}

bool Service::scan(const Doc& d, Out& out, ApiError& err) {
  if (!legacy::checkExpressionParams(d, {"ProjectionExpression", "FilterExpression"},
                                     {"AttributesToGet", "ScanFilter", "ConditionalOperator"}, err))
    return false;
  if (!checkDuplicateAttributesToGet(d, err)) return false;
  if (!legacy::validateConditions(member(d, "ScanFilter"), err)) return false;
  const auto* seg = member(d, "Segment");
  const auto* total = member(d, "TotalSegments");
  if (seg && !total) {
    err = validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
    return false;
  }
  if (total && !seg) {
    err = validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
    return false;
  }
  if (seg && total && seg->IsNumber() && total->IsNumber() && seg->GetDouble() >= total->GetDouble()) {
    err = validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                     std::to_string(seg->IsInt64() ? seg->GetInt64() : 0) + " is not less than TotalSegments: " +
                     std::to_string(total->IsInt64() ? total->GetInt64() : 0));
    return false;
  }
  ExpressionMaps maps;
  if (!readExpressionMaps(d, maps, err)) return false;
  auto ph = maps.placeholders();
  std::optional<expr::Condition> filter;
  if (!prevalidateExpressions(d, ph, false, filter, err)) return false;
  auto st = requireTable(d, err);
  if (!st) return false;
  auto desc = st->schema();
  ReadSpec spec;
  if (!readCommon(d, desc, spec, ph, err, false)) return false;
  spec.filter = std::move(filter);
  if (!legacy::readConditionsFilter(d, "ScanFilter", spec.filter, err)) return false;
  if (!checkAllUsed(ph, err)) return false;
  std::string prefix = spec.index ? indexPrefix(desc->id, spec.index->id) : tablePrefix(desc->id);
  spec.lower = prefix;
  spec.upper = prefixSuccessor(prefix);
  if (seg || total) {
    if (!total) {
      err = validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
      return false;
    }
    if (!seg) {
      err = validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
      return false;
    }
    if (!total->IsInt64() || total->GetInt64() < 1 || total->GetInt64() > 1000000) {
      err = constraintError(total->IsInt64() ? std::to_string(total->GetInt64()) : "?", "totalSegments",
                            total->IsInt64() && total->GetInt64() > 1000000 ? "Member must have value less than or equal to 1000000"
                                                                            : "Member must have value greater than or equal to 1");
      return false;
    }
    if (!seg->IsInt64() || seg->GetInt64() < 0) {
      err = constraintError(seg->IsInt64() ? std::to_string(seg->GetInt64()) : "?", "segment", "Member must have value greater than or equal to 0");
      return false;
    }
    int64_t s = seg->GetInt64(), t = total->GetInt64();
    if (s >= t) {
      err = validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                       std::to_string(s) + " is not less than TotalSegments: " + std::to_string(t));
      return false;
    }
    // Segments split the 16-bit partition hash space that follows the prefix.
    auto bound = [&](int64_t i) {
      uint32_t h = static_cast<uint32_t>((i * 65536) / t);
      std::string b = prefix;
      b.push_back(static_cast<char>(h >> 8));
      b.push_back(static_cast<char>(h));
      return b;
    };
    spec.lower = bound(s);
    spec.upper = s + 1 == t ? prefixSuccessor(prefix) : bound(s + 1);
  }
  const std::string segmentLower = spec.lower, segmentUpper = spec.upper;
  std::string startKey;
  if (!applyExclusiveStart(d, spec, err, &startKey)) return false;
  // A parallel Scan resumes only inside its own segment.
  if (seg && !startKey.empty() && (startKey < segmentLower || startKey >= segmentUpper)) {
    err = validation("The provided Exclusive start key does not map to the provided Segment and TotalSegments values.");
    return false;
  }
  return readPage(*st, spec, out, err);
}

}  // namespace cdnlab::store

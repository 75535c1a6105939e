// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: the request members and the
// answers, around PartiqlRunner (partiql/runner.h) which runs the statements. A request is
// checked in DynamoDB's order: its own members (lengths, enums), then each statement (syntax,
// parameters, operand types), then the tables.

#include <map>

#include "origin/store/client_token.h"
#include "origin/store/json_out.h"
#include "origin/store/model/json.h"
#include "origin/store/ops_common.h"
#include "origin/store/partiql/plan.h"
#include "origin/store/partiql/runner.h"
#include "origin/store/write_capacity.h"

namespace cdnlab::store {
namespace {

using partiql::Statement;

constexpr size_t kMaxStatementLength = 8192;  // API reference: Statement, 1 to 8192 characters
constexpr size_t kMaxBatchStatements = 25;
constexpr size_t kMaxTransactStatements = 100;

// Statement and Parameters of one statement object (`field` names it in constraint messages).
bool readStatement(const rapidjson::Value& o, const std::string& field, std::string_view& text,
                   std::vector<AttributeValue>& params, ApiError& err) {
  auto t = stringMember(o, "Statement", err);
  if (!err.type.empty()) return false;
  if (!t) {
    err = validation("1 validation error detected: Value null at '" + field +
                     "statement' failed to satisfy constraint: Member must not be null");
    return false;
  }
  if (t->empty() || t->size() > kMaxStatementLength) {
    err = constraintError(*t, field + "statement",
                          t->empty() ? "Member must have length greater than or equal to 1"
                                     : "Member must have length less than or equal to 8192");
    return false;
  }
  text = *t;
  const auto* ps = member(o, "Parameters");
  if (!ps || ps->IsNull()) return true;
  if (!ps->IsArray()) {
    err = coralError("SerializationException", "Unexpected value type in payload");
    return false;
  }
  if (ps->Size() == 0) {
    err = constraintError("[]", field + "parameters", "Member must have length greater than or equal to 1");
    return false;
  }
  for (const auto& v : ps->GetArray()) {
    auto a = parseAttributeValue(v);
    if (!a) {
      err = fromExpr(a.error());
      return false;
    }
    params.push_back(std::move(*a));
  }
  return true;
}

bool readReturnOld(const rapidjson::Value& o, bool& allOld, ApiError& err) { return readReturnOnFailure(o, allOld, err); }

// The ConsumedCapacity of one SELECT: an index read charges its index, an LSI's reach-back the
// table too; TOTAL gives only the sum.
void writeReadCapacity(JsonWriter& w, const TableDesc& t, const IndexDesc* index, double tableUnits, double indexUnits,
                       CapacityMode cap) {
  if (!index || cap != CapacityMode::Indexes) {
    writeConsumedCapacity(w, t.name, tableUnits + indexUnits, cap);
    return;
  }
  w.StartObject();
  kv(w, "TableName", t.name);
  key(w, "CapacityUnits");
  w.Double(tableUnits + indexUnits);
  key(w, "Table");
  w.StartObject();
  key(w, "CapacityUnits");
  w.Double(tableUnits);
  w.EndObject();
  key(w, index->global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
  w.StartObject();
  key(w, index->name);
  w.StartObject();
  key(w, "CapacityUnits");
  w.Double(indexUnits);
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

// BatchExecuteStatement's Error.Code: the exception's name without its namespace and suffix.
std::string errorCode(const ApiError& e) {
  std::string name = e.type.substr(e.type.find('#') + 1);
  if (name == "ValidationException") return "ValidationError";
  if (name.ends_with("Exception")) name.resize(name.size() - 9);
  return name;
}

bool isRead(const Statement& s) { return s.kind == Statement::Kind::Select; }

// ExecuteTransaction's ConsumedCapacity: one entry per table, its units named as reads or writes
// (TransactWriteItems' shape), the table's own arm under INDEXES.
void writeTransactCapacity(JsonWriter& w, const std::map<std::string, double>& units, bool reads, CapacityMode cap) {
  if (cap == CapacityMode::None) return;
  const char* kind = reads ? "ReadCapacityUnits" : "WriteCapacityUnits";
  key(w, "ConsumedCapacity");
  w.StartArray();
  for (const auto& [table, u] : units) {
    w.StartObject();
    kv(w, "TableName", table);
    key(w, "CapacityUnits");
    w.Double(u);
    key(w, kind);
    w.Double(u);
    if (cap == CapacityMode::Indexes) {
      key(w, "Table");
      w.StartObject();
      key(w, "CapacityUnits");
      w.Double(u);
      key(w, kind);
      w.Double(u);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
}

// The statement list of BatchExecuteStatement / ExecuteTransaction: present, an array, 1 to `max`
// entries; `field` is the member's name as DynamoDB's messages spell it.
const rapidjson::Value* statementList(const rapidjson::Value& d, const char* name, const char* field, size_t max,
                                      ApiError& err) {
  const auto* list = member(d, name);
  if (!list || list->IsNull()) {
    err = validation("1 validation error detected: Value null at '" + std::string(field) +
                     "' failed to satisfy constraint: Member must not be null");
    return nullptr;
  }
  if (!list->IsArray()) {
    err = coralError("SerializationException", "Unexpected value type in payload");
    return nullptr;
  }
  if (list->Size() == 0 || list->Size() > max) {
    err = constraintError("[...]", field, list->Size() == 0 ? "Member must have length greater than or equal to 1"
                                                            : "Member must have length less than or equal to " + std::to_string(max));
    return nullptr;
  }
  return list;
}

}  // namespace

bool Service::executeStatement(const Doc& d, Out& out, ApiError& err) {
  std::string_view text;
  std::vector<AttributeValue> params;
  if (!readStatement(d, "", text, params, err)) return false;
  CapacityMode cap;
  if (!readCapacityMode(d, cap, err)) return false;
  bool returnOld = false;
  if (!readReturnOld(d, returnOld, err)) return false;
  PartiqlRunner::ReadOptions ro;
  ro.consistent = boolMember(d, "ConsistentRead", false);
  if (const auto* l = member(d, "Limit")) {
    auto n = integerValue(*l);
    if (!n || *n < 1) {
      err = constraintError(n ? std::to_string(*n) : "?", "limit", "Member must have value greater than or equal to 1");
      return false;
    }
    ro.limit = *n;
  }
  auto token = stringMember(d, "NextToken", err);
  if (!err.type.empty()) return false;
  if (token) {
    if (token->empty() || token->size() > 32768) {
      err = constraintError(*token, "nextToken", token->empty() ? "Member must have length greater than or equal to 1"
                                                                : "Member must have length less than or equal to 32768");
      return false;
    }
    ro.startToken = std::string(*token);
  }
  PartiqlRunner run(*this);
  PartiqlRunner::Prepared p;
  if (!run.prepare(text, params, p, err)) return false;
  if (p.stmt.kind == Statement::Kind::Exists) {
    err = validation("EXISTS can only be used in ExecuteTransaction");
    return false;
  }
  if (isRead(p.stmt)) {
    // Admitted at the smallest read's cost, it pays for what it read afterwards (and gives the
    // admission back when the statement is refused).
    const double estimate = ro.consistent ? 1 : 0.5;
    if (!admitCapacity(*p.st, *p.desc, CapacityKind::Read, estimate, err)) return false;
    PartiqlRunner::ReadResult r;
    if (!run.select(p, ro, r, err)) {
      chargeCapacity(*p.st, *p.desc, CapacityKind::Read, -estimate);
      return false;
    }
    chargeCapacity(*p.st, *p.desc, CapacityKind::Read, r.tableUnits + r.indexUnits - estimate);
    out.w.StartObject();
    key(out.w, "Items");
    out.w.StartArray();
    for (const auto& item : r.items) writeAttributeMap(item, out.w);
    out.w.EndArray();
    if (!r.nextToken.empty()) kv(out.w, "NextToken", r.nextToken);
    if (r.lastKey) {
      key(out.w, "LastEvaluatedKey");
      writeAttributeMap(*r.lastKey, out.w);
    }
    if (cap != CapacityMode::None) {
      key(out.w, "ConsumedCapacity");
      writeReadCapacity(out.w, *p.desc, p.index, r.tableUnits, r.indexUnits, cap);
    }
    out.w.EndObject();
    return true;
  }
  PartiqlRunner::WriteResult r;
  if (!run.write(p, returnOld, r, out, err)) return false;
  out.w.StartObject();
  key(out.w, "Items");
  out.w.StartArray();
  if (r.returned && !r.returned->empty()) writeAttributeMap(*r.returned, out.w);
  out.w.EndArray();
  if (cap != CapacityMode::None) {
    key(out.w, "ConsumedCapacity");
    writeWriteCapacity(out.w, *p.desc, r.units, r.delta, cap);
  }
  out.w.EndObject();
  return true;
}

bool Service::batchExecuteStatement(const Doc& d, Out& out, ApiError& err) {
  const auto* list = statementList(d, "Statements", "statements", kMaxBatchStatements, err);
  if (!list) return false;
  CapacityMode cap;
  if (!readCapacityMode(d, cap, err)) return false;
  struct Entry {
    std::string_view text;
    std::vector<AttributeValue> params;
    bool consistent = false;
    bool returnOld = false;
    PartiqlRunner::Prepared p;
    ApiError error;  // a failure of this statement alone
    bool prepared = false;
  };
  std::vector<Entry> entries(list->Size());
  PartiqlRunner run(*this);
  int reads = 0, writes = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& o = (*list)[static_cast<rapidjson::SizeType>(i)];
    if (!o.IsObject()) {
      err = coralError("SerializationException", "Unexpected value type in payload");
      return false;
    }
    Entry& e = entries[i];
    std::string field = "statements." + std::to_string(i + 1) + ".member.";
    if (!readStatement(o, field, e.text, e.params, err) || !readReturnOld(o, e.returnOld, err)) return false;
    e.consistent = boolMember(o, "ConsistentRead", false);
    e.prepared = run.prepare(e.text, e.params, e.p, e.error);
    if (e.prepared || !e.p.stmt.table.empty()) (isRead(e.p.stmt) ? reads : writes) += 1;
  }
  if (reads && writes) {
    err = validation("A batch must contain either only reads or only writes");
    return false;
  }
  std::map<std::string, double> units;
  out.w.StartObject();
  key(out.w, "Responses");
  out.w.StartArray();
  for (auto& e : entries) {
    std::optional<Item> item;
    bool ran = false;  // the statement reached its table: its answer names it, failed or not
    if (e.prepared) {
      if (e.p.stmt.kind == Statement::Kind::Exists) {
        e.error = validation("EXISTS can only be used in ExecuteTransaction");
      } else if (isRead(e.p.stmt)) {
        // A batch reads by primary key only, which also leaves an index out of its reach.
        if (e.p.index || !partiql::analyzeKeys(e.p.bound.where, e.p.desc->key).fullKey) {
          e.error = validation("Select statements within BatchExecuteStatement must specify the primary key in the where clause");
        } else {
          PartiqlRunner::ReadResult r;
          PartiqlRunner::ReadOptions ro;
          ro.consistent = e.consistent;
          ran = true;
          if (run.select(e.p, ro, r, e.error)) {
            if (!r.items.empty()) item = std::move(r.items.front());
            units[e.p.desc->name] += r.tableUnits;
          }
        }
      } else {
        // ReturnValuesOnConditionCheckFailure is accepted on a member and returns nothing.
        PartiqlRunner::WriteResult r;
        if (run.write(e.p, false, r, out, e.error)) {
          units[e.p.desc->name] += r.units + indexUnits(*e.p.desc, r.delta);
          if (r.returned && !r.returned->empty()) item = std::move(r.returned);
        }
        ran = r.reached;
      }
    }
    out.w.StartObject();
    if (ran) kv(out.w, "TableName", e.p.desc->name);
    if (!e.error.type.empty()) {
      key(out.w, "Error");
      out.w.StartObject();
      kv(out.w, "Code", errorCode(e.error));
      kv(out.w, "Message", e.error.message);
      out.w.EndObject();
    } else if (item) {
      key(out.w, "Item");
      writeAttributeMap(*item, out.w);
    }
    out.w.EndObject();
  }
  out.w.EndArray();
  writeConsumedCapacities(out.w, units, cap);
  out.w.EndObject();
  return true;
}

bool Service::executeTransaction(const Doc& d, Out& out, ApiError& err) {
  const auto* list = statementList(d, "TransactStatements", "transactStatements", kMaxTransactStatements, err);
  if (!list) return false;
  auto token = stringMember(d, "ClientRequestToken", err);
  if (!err.type.empty()) return false;
  if (token && (token->empty() || token->size() > 36)) {
    err = constraintError(*token, "clientRequestToken", token->empty() ? "Member must have length greater than or equal to 1"
                                                                       : "Member must have length less than or equal to 36");
    return false;
  }
  CapacityMode cap;
  if (!readCapacityMode(d, cap, err)) return false;
  PartiqlRunner run(*this);
  std::vector<PartiqlRunner::Prepared> ps(list->Size());
  std::vector<bool> returnOld(list->Size(), false);
  int reads = 0, writes = 0;
  for (size_t i = 0; i < ps.size(); ++i) {
    const auto& o = (*list)[static_cast<rapidjson::SizeType>(i)];
    if (!o.IsObject()) {
      err = coralError("SerializationException", "Unexpected value type in payload");
      return false;
    }
    std::string_view text;
    std::vector<AttributeValue> params;
    bool ro = false;
    std::string field = "transactStatements." + std::to_string(i + 1) + ".member.";
    if (!readStatement(o, field, text, params, err) || !readReturnOld(o, ro, err)) return false;
    returnOld[i] = ro;
    if (!run.prepare(text, params, ps[i], err)) return false;
    const std::string prefix = "Validation failed in TransactStatements[" + std::to_string(i) + "]: ";
    if (ps[i].stmt.returning != Statement::Returning::None) {
      err = validation(prefix + "RETURNING clause is not supported in ExecuteTransaction.");
      return false;
    }
    if (ps[i].index) {
      err = validation(prefix + "Reads on indices are not supported within transactions.");
      return false;
    }
    (isRead(ps[i].stmt) ? reads : writes) += 1;
  }
  if (reads && writes) {
    err = validation("A transaction must contain either only reads or only writes");
    return false;
  }
  std::map<std::string, double> units;
  if (reads) {
    std::vector<std::optional<Item>> items;
    if (!run.transactReads(ps, items, units, err)) return false;
    out.w.StartObject();
    key(out.w, "Responses");
    out.w.StartArray();
    for (const auto& item : items) {
      out.w.StartObject();
      if (item) {
        key(out.w, "Item");
        writeAttributeMap(*item, out.w);
      }
      out.w.EndObject();
    }
    out.w.EndArray();
    writeTransactCapacity(out.w, units, true, cap);
    out.w.EndObject();
    return true;
  }
  std::string fingerprint = token ? requestFingerprint(*list) : std::string();
  bool replayed = false;
  if (!run.transactWrites(ps, returnOld, token ? *token : std::string_view(), fingerprint, units, replayed, out, err))
    return false;
  // DynamoDB answers a transaction of writes with an empty Responses list, not without one.
  out.w.StartObject();
  key(out.w, "Responses");
  out.w.StartArray();
  out.w.EndArray();
  writeTransactCapacity(out.w, units, replayed, cap);
  out.w.EndObject();
  return true;
}

}  // namespace cdnlab::store

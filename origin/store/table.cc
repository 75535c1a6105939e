// TableDesc storage format (our own JSON) and DynamoDB's TableDescription output.
#include "origin/store/table.h"

#include <rapidjson/document.h>

#include "origin/store/model/json_depth.h"

namespace cdnlab::store {
namespace {

const char* projectionName(ProjectionType p) {
  switch (p) {
    case ProjectionType::KeysOnly: return "KEYS_ONLY";
    case ProjectionType::Include: return "INCLUDE";
    case ProjectionType::All: return "ALL";
  }
  return "ALL";
}

ProjectionType projectionFrom(std::string_view s) {
  if (s == "KEYS_ONLY") return ProjectionType::KeysOnly;
  if (s == "INCLUDE") return ProjectionType::Include;
  return ProjectionType::All;
}

}  // namespace

void writeKeySchema(const expr::KeySchema& k, JsonWriter& w) {
  w.StartArray();
  for (const auto* part : {&k.hash, &k.range}) {
    for (const auto& a : *part) {
      w.StartObject();
      kv(w, "AttributeName", a.name);
      kv(w, "KeyType", part == &k.hash ? "HASH" : "RANGE");
      w.EndObject();
    }
  }
  w.EndArray();
}

namespace {

// h/ht and r/rt hold the first partition and sort attribute (the only ones before multi-attribute
// GSI keys, so older records read the same); hx and rx the further ones as [name, type] pairs.
void writeKeyStorage(const expr::KeySchema& k, JsonWriter& w) {
  w.StartObject();
  kv(w, "h", k.hashName());
  kv(w, "ht", typeName(k.hashType()));
  kv(w, "r", k.rangeName());
  kv(w, "rt", typeName(k.rangeType()));
  for (const auto* part : {&k.hash, &k.range}) {
    if (part->size() < 2) continue;
    key(w, part == &k.hash ? "hx" : "rx");
    w.StartArray();
    for (size_t i = 1; i < part->size(); ++i) {
      w.StartArray();
      str(w, (*part)[i].name);
      str(w, typeName((*part)[i].type));
      w.EndArray();
    }
    w.EndArray();
  }
  w.EndObject();
}

std::string getStr(const rapidjson::Value& o, const char* name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}
int64_t getInt(const rapidjson::Value& o, const char* name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsNumber()) return 0;
  return it->value.IsInt64() ? it->value.GetInt64() : static_cast<int64_t>(it->value.GetDouble());
}
ValueType getType(const rapidjson::Value& o, const char* name) {
  auto t = typeFromName(getStr(o, name));
  return t ? *t : ValueType::S;
}
expr::KeySchema readKeyStorage(const rapidjson::Value& o) {
  expr::KeySchema k;
  k.hash.push_back({getStr(o, "h"), getType(o, "ht")});
  if (auto r = getStr(o, "r"); !r.empty()) k.range.push_back({r, getType(o, "rt")});
  for (auto [member, part] : {std::pair{"hx", &k.hash}, std::pair{"rx", &k.range}}) {
    auto it = o.FindMember(member);
    if (it == o.MemberEnd() || !it->value.IsArray() || part->empty()) continue;
    for (const auto& a : it->value.GetArray()) {
      if (!a.IsArray() || a.Size() != 2 || !a[0].IsString() || !a[1].IsString()) continue;
      auto ty = typeFromName(a[1].GetString());
      part->push_back({a[0].GetString(), ty ? *ty : ValueType::S});
    }
  }
  return k;
}


// OnDemandThroughput of a table or a global index once it was given one (0 members: never given),
// -1 for the maximum it does not have.
void writeOnDemandThroughput(int64_t maxRead, int64_t maxWrite, JsonWriter& w) {
  if (maxRead == 0 && maxWrite == 0) return;
  key(w, "OnDemandThroughput");
  w.StartObject();
  key(w, "MaxReadRequestUnits");
  w.Int64(maxRead != 0 ? maxRead : -1);
  key(w, "MaxWriteRequestUnits");
  w.Int64(maxWrite != 0 ? maxWrite : -1);
  w.EndObject();
}
void writeThroughput(int64_t r, int64_t wcu, const ThroughputHistory& h, double now, JsonWriter& w) {
  w.StartObject();
  if (h.lastIncrease > 0) {
    key(w, "LastIncreaseDateTime");
    w.Double(h.lastIncrease);
  }
  if (h.lastDecrease > 0) {
    key(w, "LastDecreaseDateTime");
    w.Double(h.lastDecrease);
  }
  key(w, "NumberOfDecreasesToday");
  w.Int64(h.decreasesOn(now));
  key(w, "ReadCapacityUnits");
  w.Int64(r);
  key(w, "WriteCapacityUnits");
  w.Int64(wcu);
  w.EndObject();
}

}  // namespace

namespace {
int64_t epochDay(double seconds) { return static_cast<int64_t>(seconds) / 86400; }

void writeHistory(const ThroughputHistory& h, JsonWriter& w) {
  w.StartArray();
  w.Double(h.lastIncrease);
  w.Double(h.lastDecrease);
  w.Int64(h.decreaseDay);
  w.Int64(h.decreases);
  w.EndArray();
}

ThroughputHistory readHistory(const rapidjson::Value& o) {
  ThroughputHistory h;
  auto it = o.FindMember("tpHistory");
  if (it == o.MemberEnd() || !it->value.IsArray() || it->value.Size() != 4) return h;
  const auto& a = it->value;
  if (!a[0].IsNumber() || !a[1].IsNumber() || !a[2].IsInt64() || !a[3].IsInt64()) return h;
  return ThroughputHistory{a[0].GetDouble(), a[1].GetDouble(), a[2].GetInt64(), a[3].GetInt64()};
}

double getDouble(const rapidjson::Value& o, const char* name) {
  auto it = o.FindMember(name);
  return it != o.MemberEnd() && it->value.IsNumber() ? it->value.GetDouble() : 0;
}

bool getBool(const rapidjson::Value& o, const char* name) {
  auto it = o.FindMember(name);
  return it != o.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}
}  // namespace

void ThroughputHistory::record(int64_t r0, int64_t w0, int64_t r1, int64_t w1, double now) {
  if (r1 > r0 || w1 > w0) lastIncrease = now;
  if (r1 < r0 || w1 < w0) {
    lastDecrease = now;
    if (epochDay(now) != decreaseDay) {
      decreaseDay = epochDay(now);
      decreases = 0;
    }
    ++decreases;
  }
}

int64_t ThroughputHistory::decreasesOn(double now) const { return epochDay(now) == decreaseDay ? decreases : 0; }

bool hasOnDemandMaximum(const TableDesc& t) {
  if (!t.payPerRequest) return false;
  if (t.maxReadRequestUnits > 0 || t.maxWriteRequestUnits > 0) return true;
  for (const auto& i : t.indexes)
    if (i.global && (i.maxReadRequestUnits > 0 || i.maxWriteRequestUnits > 0)) return true;
  return false;
}

const IndexDesc* TableDesc::findIndex(std::string_view indexName) const {
  for (const auto& i : indexes)
    if (i.name == indexName) return &i;
  return nullptr;
}

std::string kmsKeyArn(const std::string& region, const std::string& keyId) {
  if (keyId.starts_with("arn:")) return keyId;
  const std::string prefix = "arn:aws:kms:" + region + ":000000000000:";
  if (keyId.starts_with("alias/")) return prefix + keyId;
  // The account's AWS-managed DynamoDB key (alias/aws/dynamodb): one key per account and region.
  return prefix + "key/" + (keyId.empty() ? "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" : keyId);
}

std::string tableArn(const std::string& region, const std::string& table) {
  return "arn:aws:dynamodb:" + region + ":" + std::string(kAccountId) + ":table/" + table;
}

std::string encodeTable(const TableDesc& t) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  kv(w, "name", t.name);
  key(w, "id");
  w.Uint(t.id);
  kv(w, "uuid", t.tableId);
  key(w, "key");
  writeKeyStorage(t.key, w);
  key(w, "attrs");
  w.StartArray();
  for (const auto& [n, ty] : t.attributeDefinitions) {
    w.StartArray();
    str(w, n);
    str(w, typeName(ty));
    w.EndArray();
  }
  w.EndArray();
  key(w, "indexes");
  w.StartArray();
  for (const auto& i : t.indexes) {
    w.StartObject();
    kv(w, "name", i.name);
    key(w, "id");
    w.Uint(i.id);
    key(w, "global");
    w.Bool(i.global);
    key(w, "key");
    writeKeyStorage(i.key, w);
    kv(w, "projection", projectionName(i.projection));
    key(w, "nonKey");
    w.StartArray();
    for (const auto& a : i.nonKeyAttributes) str(w, a);
    w.EndArray();
    kv(w, "status", i.status);
    key(w, "rcu");
    w.Int64(i.readCapacity);
    key(w, "wcu");
    w.Int64(i.writeCapacity);
    key(w, "tpHistory");
    writeHistory(i.throughputHistory, w);
    key(w, "maxRru");
    w.Int64(i.maxReadRequestUnits);
    key(w, "maxWru");
    w.Int64(i.maxWriteRequestUnits);
    w.EndObject();
  }
  w.EndArray();
  key(w, "tpHistory");
  writeHistory(t.throughputHistory, w);
  key(w, "pprSince");
  w.Double(t.payPerRequestSince);
  key(w, "billingChanged");
  w.Bool(t.billingModeChanged);
  kv(w, "tableClass", t.tableClass);
  key(w, "tableClassSince");
  w.Double(t.tableClassSince);
  key(w, "deletionProtection");
  w.Bool(t.deletionProtection);
  key(w, "sseKms");
  w.Bool(t.sseKms);
  kv(w, "sseKmsKey", t.sseKmsKey);
  key(w, "maxRru");
  w.Int64(t.maxReadRequestUnits);
  key(w, "maxWru");
  w.Int64(t.maxWriteRequestUnits);
  key(w, "ppr");
  w.Bool(t.payPerRequest);
  key(w, "rcu");
  w.Int64(t.readCapacity);
  key(w, "wcu");
  w.Int64(t.writeCapacity);
  key(w, "created");
  w.Double(t.creationTime);
  key(w, "ttlEnabled");
  w.Bool(t.ttlEnabled);
  kv(w, "ttlAttr", t.ttlAttribute);
  key(w, "tags");
  w.StartArray();
  for (const auto& [k, v] : t.tags) {
    w.StartArray();
    str(w, k);
    str(w, v);
    w.EndArray();
  }
  w.EndArray();
  key(w, "nextIndexId");
  w.Uint(t.nextIndexId);
  key(w, "pitr");
  w.Bool(t.pitrEnabled);
  key(w, "streamEnabled");
  w.Bool(t.streamEnabled);
  kv(w, "streamView", t.streamViewType);
  kv(w, "streamLabel", t.streamLabel);
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

Result<TableDesc> decodeTable(std::string_view json) {
  if (jsonNestsDeeperThan(json)) return Error{500, "corrupt table metadata (nested too deep)"};
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return Error{500, "corrupt table metadata"};
  TableDesc t;
  t.name = getStr(d, "name");
  t.id = static_cast<uint32_t>(getInt(d, "id"));
  t.tableId = getStr(d, "uuid");
  if (auto it = d.FindMember("key"); it != d.MemberEnd() && it->value.IsObject()) t.key = readKeyStorage(it->value);
  if (auto it = d.FindMember("attrs"); it != d.MemberEnd() && it->value.IsArray()) {
    for (const auto& a : it->value.GetArray()) {
      if (!a.IsArray() || a.Size() != 2 || !a[0].IsString() || !a[1].IsString()) continue;
      auto ty = typeFromName(a[1].GetString());
      t.attributeDefinitions.emplace_back(a[0].GetString(), ty ? *ty : ValueType::S);
    }
  }
  if (auto it = d.FindMember("indexes"); it != d.MemberEnd() && it->value.IsArray()) {
    for (const auto& o : it->value.GetArray()) {
      if (!o.IsObject()) continue;
      IndexDesc i;
      i.name = getStr(o, "name");
      i.id = static_cast<uint32_t>(getInt(o, "id"));
      auto g = o.FindMember("global");
      i.global = g != o.MemberEnd() && g->value.IsBool() && g->value.GetBool();
      if (auto k = o.FindMember("key"); k != o.MemberEnd() && k->value.IsObject()) i.key = readKeyStorage(k->value);
      i.projection = projectionFrom(getStr(o, "projection"));
      if (auto n = o.FindMember("nonKey"); n != o.MemberEnd() && n->value.IsArray())
        for (const auto& a : n->value.GetArray())
          if (a.IsString()) i.nonKeyAttributes.emplace_back(a.GetString());
      i.status = getStr(o, "status");
      i.readCapacity = getInt(o, "rcu");
      i.writeCapacity = getInt(o, "wcu");
      i.throughputHistory = readHistory(o);
      i.maxReadRequestUnits = getInt(o, "maxRru");
      i.maxWriteRequestUnits = getInt(o, "maxWru");
      t.indexes.push_back(std::move(i));
    }
  }
  auto ppr = d.FindMember("ppr");
  t.payPerRequest = ppr != d.MemberEnd() && ppr->value.IsBool() && ppr->value.GetBool();
  t.readCapacity = getInt(d, "rcu");
  t.writeCapacity = getInt(d, "wcu");
  if (auto c = d.FindMember("created"); c != d.MemberEnd() && c->value.IsNumber()) t.creationTime = c->value.GetDouble();
  auto ttl = d.FindMember("ttlEnabled");
  t.ttlEnabled = ttl != d.MemberEnd() && ttl->value.IsBool() && ttl->value.GetBool();
  t.ttlAttribute = getStr(d, "ttlAttr");
  auto se = d.FindMember("streamEnabled");
  t.streamEnabled = se != d.MemberEnd() && se->value.IsBool() && se->value.GetBool();
  t.streamViewType = getStr(d, "streamView");
  auto pitr = d.FindMember("pitr");
  t.pitrEnabled = pitr != d.MemberEnd() && pitr->value.IsBool() && pitr->value.GetBool();
  t.streamLabel = getStr(d, "streamLabel");
  if (auto it = d.FindMember("tags"); it != d.MemberEnd() && it->value.IsArray())
    for (const auto& a : it->value.GetArray())
      if (a.IsArray() && a.Size() == 2 && a[0].IsString() && a[1].IsString())
        t.tags.emplace_back(a[0].GetString(), a[1].GetString());
  t.nextIndexId = static_cast<uint32_t>(getInt(d, "nextIndexId"));
  if (t.nextIndexId == 0) t.nextIndexId = 1;
  t.throughputHistory = readHistory(d);
  // Records written before pprSince existed: an on-demand table has been one since its creation.
  t.payPerRequestSince = getDouble(d, "pprSince");
  if (t.payPerRequest && t.payPerRequestSince == 0) t.payPerRequestSince = t.creationTime;
  t.billingModeChanged = getBool(d, "billingChanged");
  t.tableClass = getStr(d, "tableClass");
  t.tableClassSince = getDouble(d, "tableClassSince");
  t.deletionProtection = getBool(d, "deletionProtection");
  t.sseKms = getBool(d, "sseKms");
  t.sseKmsKey = getStr(d, "sseKmsKey");
  t.maxReadRequestUnits = getInt(d, "maxRru");
  t.maxWriteRequestUnits = getInt(d, "maxWru");
  return t;
}

namespace {

void writeDescription(const TableDesc& t, const TableStats* stats, std::string_view status, double now,
                      const std::string& region, bool withSchema, JsonWriter& w) {
  const std::string arn = tableArn(region, t.name);
  w.StartObject();
  if (withSchema) {
    key(w, "AttributeDefinitions");
    w.StartArray();
    for (const auto& [n, ty] : t.attributeDefinitions) {
      w.StartObject();
      kv(w, "AttributeName", n);
      kv(w, "AttributeType", typeName(ty));
      w.EndObject();
    }
    w.EndArray();
  }
  kv(w, "TableName", t.name);
  if (withSchema) {
    key(w, "KeySchema");
    writeKeySchema(t.key, w);
  }
  kv(w, "TableStatus", status);
  if (withSchema) {
    key(w, "CreationDateTime");
    w.Double(t.creationTime);
  }
  key(w, "ProvisionedThroughput");
  writeThroughput(t.readCapacity, t.writeCapacity, t.throughputHistory, now, w);
  key(w, "TableSizeBytes");
  w.Int64(stats ? stats->bytes.load() : 0);
  key(w, "ItemCount");
  w.Int64(stats ? stats->items.load() : 0);
  kv(w, "TableArn", arn);
  kv(w, "TableId", t.tableId);
  if (t.payPerRequest || t.billingModeChanged) {
    key(w, "BillingModeSummary");
    w.StartObject();
    kv(w, "BillingMode", t.payPerRequest ? "PAY_PER_REQUEST" : "PROVISIONED");
    if (t.payPerRequestSince > 0) {
      key(w, "LastUpdateToPayPerRequestDateTime");
      w.Double(t.payPerRequestSince);
    }
    w.EndObject();
  }
  if (!t.tableClass.empty()) {
    key(w, "TableClassSummary");
    w.StartObject();
    kv(w, "TableClass", t.tableClass);
    if (t.tableClassSince > 0) {
      key(w, "LastUpdateDateTime");
      w.Double(t.tableClassSince);
    }
    w.EndObject();
  }
  key(w, "DeletionProtectionEnabled");
  w.Bool(t.deletionProtection);
  if (t.sseKms) {
    key(w, "SSEDescription");
    w.StartObject();
    kv(w, "Status", t.sseUpdating ? "UPDATING" : "ENABLED");
    kv(w, "SSEType", "KMS");
    kv(w, "KMSMasterKeyArn", kmsKeyArn(region, t.sseKmsKey));
    w.EndObject();
  }
  writeOnDemandThroughput(t.maxReadRequestUnits, t.maxWriteRequestUnits, w);
  if (t.streamEnabled) {
    key(w, "StreamSpecification");
    w.StartObject();
    key(w, "StreamEnabled");
    w.Bool(true);
    kv(w, "StreamViewType", t.streamViewType);
    w.EndObject();
  }
  if (!t.streamLabel.empty()) {
    kv(w, "LatestStreamLabel", t.streamLabel);
    kv(w, "LatestStreamArn", arn + "/stream/" + t.streamLabel);
  }
  for (bool global : {false, true}) {
    if (!withSchema) break;
    bool any = false;
    for (const auto& i : t.indexes) any = any || i.global == global;
    if (!any) continue;
    key(w, global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
    w.StartArray();
    for (const auto& i : t.indexes) {
      if (i.global != global) continue;
      w.StartObject();
      kv(w, "IndexName", i.name);
      key(w, "KeySchema");
      writeKeySchema(i.key, w);
      key(w, "Projection");
      w.StartObject();
      kv(w, "ProjectionType", projectionName(i.projection));
      if (i.projection == ProjectionType::Include) {
        key(w, "NonKeyAttributes");
        w.StartArray();
        for (const auto& a : i.nonKeyAttributes) str(w, a);
        w.EndArray();
      }
      w.EndObject();
      if (global) {
        kv(w, "IndexStatus", status == "DELETING" ? std::string_view("DELETING") : std::string_view(i.status));
        if (i.status == "CREATING") {
          key(w, "Backfilling");
          w.Bool(true);
        }
        key(w, "ProvisionedThroughput");
        writeThroughput(i.readCapacity, i.writeCapacity, i.throughputHistory, now, w);
        writeOnDemandThroughput(i.maxReadRequestUnits, i.maxWriteRequestUnits, w);
      }
      int slot = static_cast<int>(i.id % TableStats::kMaxIndexes);
      key(w, "IndexSizeBytes");
      w.Int64(stats ? stats->indexBytes[slot].load() : 0);
      key(w, "ItemCount");
      w.Int64(stats ? stats->indexItems[slot].load() : 0);
      kv(w, "IndexArn", arn + "/index/" + i.name);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

void writeTableDescription(const TableDesc& t, const TableStats* stats, std::string_view status, double now,
                           const std::string& region, JsonWriter& w) {
  writeDescription(t, stats, status, now, region, true, w);
}

void writeDeletedTableDescription(const TableDesc& t, const TableStats* stats, double now, const std::string& region,
                                  JsonWriter& w) {
  writeDescription(t, stats, "DELETING", now, region, false, w);
}

std::string streamArn(const std::string& region, const TableDesc& t) {
  return tableArn(region, t.name) + "/stream/" + t.streamLabel;
}

}  // namespace cdnlab::store

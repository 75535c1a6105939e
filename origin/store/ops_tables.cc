// Control plane: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable (GSI add with
// backfill, GSI delete, billing), TTL and tags.
#include <rocksdb/iterator.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <random>
#include <set>
#include <utility>

#include "origin/store/arn_form.h"
#include "origin/store/json_out.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"
#include "origin/store/request_util.h"
#include "origin/store/service.h"
#include "origin/store/streams/records.h"

namespace cdnlab::store {
namespace {

std::string newUuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  char buf[40];
  snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", uint32_t(a >> 32), uint32_t(a >> 16) & 0xFFFF,
           uint32_t(a) & 0xFFF, (uint32_t(b >> 48) & 0x3FFF) | 0x8000, static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
  return buf;
}

using AttrTypes = std::vector<std::pair<std::string, ValueType>>;

std::optional<ValueType> typeOf(const AttrTypes& defs, const std::string& name) {
  for (const auto& [n, t] : defs)
    if (n == name) return t;
  return std::nullopt;
}

// A GSI's key may have up to four partition and four sort attributes (multi-attribute keys); a
// table's and an LSI's one of each at most.
constexpr size_t kMaxGsiKeyAttributes = 4;

// Reads a KeySchema array against the attribute definitions: HASH elements first, then RANGE
// elements, in the order given. `path` names it in a KeyType error
// ("globalSecondaryIndexes.1.member.keySchema" for an index's, as DynamoDB words it); `gsi` allows
// a multi-attribute key, `indexName` names it in errors.
bool readKeySchema(const rapidjson::Value* ks, const AttrTypes& defs, expr::KeySchema& out, std::set<std::string>& used,
                   ApiError& err, const std::string& path = "keySchema", bool gsi = false,
                   const std::string& indexName = {}) {
  if (!ks || !ks->IsArray() || ks->Size() == 0) {
    err = validation("1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null");
    return false;
  }
  if (!gsi && ks->Size() > 2) {
    err = validation("1 validation error detected: Value at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
    return false;
  }
  std::vector<std::string> missing;
  for (rapidjson::SizeType i = 0; i < ks->Size(); ++i) {
    const auto& e = (*ks)[i];
    const auto* n = member(e, "AttributeName");
    const auto* k = member(e, "KeyType");
    if (!n || !n->IsString() || !k || !k->IsString()) {
      err = validation("1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null");
      return false;
    }
    std::string name = n->GetString(), kt = k->GetString();
    if (kt != "HASH" && kt != "RANGE") {
      err = constraintError(kt, path + "." + std::to_string(i + 1) + ".member.keyType",
                            "Member must satisfy enum value set: [HASH, RANGE]");
      return false;
    }
    const bool hash = kt == "HASH";
    if (i == 0 && !hash) {
      err = validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
      return false;
    }
    if (!gsi && i == 1 && hash) {
      err = validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
      return false;
    }
    if (hash && !out.range.empty()) {
      err = validation("Invalid KeySchema: A HASH key element cannot follow a RANGE key element. IndexName: " + indexName);
      return false;
    }
    auto t = typeOf(defs, name);
    if (t && out.contains(name)) {
      err = validation(ks->Size() == 2 ? "Both the Hash Key and the Range Key element in the KeySchema have the same name"
                                       : "Invalid KeySchema: Duplicate key attribute " + name + ". IndexName: " + indexName);
      return false;
    }
    auto& part = hash ? out.hash : out.range;
    if (part.size() == kMaxGsiKeyAttributes) {
      err = validation(std::string("One or more parameter values were invalid: Index KeySchema cannot have more than 4 ") +
                       (hash ? "HASH" : "RANGE") + " key elements. IndexName: " + indexName);
      return false;
    }
    part.push_back({name, t ? *t : ValueType::S});
    if (!t) {
      missing.push_back(name);
      continue;
    }
    used.insert(name);
  }
  if (!missing.empty()) {
    std::string keys, ad;
    for (auto& m : missing) keys += (keys.empty() ? "" : ", ") + m;
    for (auto& [n, t] : defs) ad += (ad.empty() ? "" : ", ") + n;
    err = validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                     "AttributeDefinitions. Keys: [" + keys + "], AttributeDefinitions: [" + ad + "]");
    return false;
  }
  return true;
}

bool readProjection(const rapidjson::Value* p, IndexDesc& idx, ApiError& err) {
  if (!p || !p->IsObject()) {
    err = validation("1 validation error detected: Value null at 'projection' failed to satisfy constraint: Member must not be null");
    return false;
  }
  const auto* t = member(*p, "ProjectionType");
  std::string type = t && t->IsString() ? t->GetString() : "";
  const auto* nk = member(*p, "NonKeyAttributes");
  if (type == "ALL") idx.projection = ProjectionType::All;
  else if (type == "KEYS_ONLY") idx.projection = ProjectionType::KeysOnly;
  else if (type == "INCLUDE") idx.projection = ProjectionType::Include;
  else if (type.empty()) {
    err = validation("One or more parameter values were invalid: Unknown ProjectionType: null");
    return false;
  } else {
    err = constraintError(type, "projection.projectionType", "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]");
    return false;
  }
  if (nk && nk->IsArray()) {
    if (idx.projection != ProjectionType::Include) {
      err = validation("One or more parameter values were invalid: ProjectionType is " + type +
                       ", but NonKeyAttributes is specified");
      return false;
    }
    for (const auto& a : nk->GetArray()) {
      if (!a.IsString()) continue;
      if (std::find(idx.nonKeyAttributes.begin(), idx.nonKeyAttributes.end(), a.GetString()) != idx.nonKeyAttributes.end()) {
        err = validation(std::string("One or more parameter values were invalid: Duplicate NonKeyAttributes: ") + a.GetString());
        return false;
      }
      idx.nonKeyAttributes.emplace_back(a.GetString());
    }
  } else if (idx.projection == ProjectionType::Include) {
    err = validation("One or more parameter values were invalid: NonKeyAttributes must be specified when ProjectionType is INCLUDE");
    return false;
  }
  return true;
}

bool readThroughput(const rapidjson::Value* pt, int64_t& r, int64_t& w, ApiError& err) {
  const auto* rv = pt ? member(*pt, "ReadCapacityUnits") : nullptr;
  const auto* wv = pt ? member(*pt, "WriteCapacityUnits") : nullptr;
  if (!rv || !wv || !rv->IsInt64() || !wv->IsInt64()) {
    err = validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
    return false;
  }
  r = rv->GetInt64();
  w = wv->GetInt64();
  if (r < 1 || w < 1) {
    err = constraintError(std::to_string(r < 1 ? r : w), r < 1 ? "provisionedThroughput.readCapacityUnits" : "provisionedThroughput.writeCapacityUnits",
                          "Member must have value greater than or equal to 1");
    return false;
  }
  return true;
}

// OnDemandThroughput of a table (`index` empty) or of a global index, in CreateTable /
// UpdateTable: each maximum at least 1, or -1 to lift it (API reference, OnDemandThroughput),
// which an index being created has nothing to lift; a member left out keeps what it has. Only an
// on-demand table, and its indexes, take one. Refused in DynamoDB's words (as it answers a 0 for
// the member a client did not mean to set).
static bool readOnDemandThroughput(const rapidjson::Value* od, bool payPerRequest, const std::string& index,
                                   bool creatingIndex, int64_t& maxRead, int64_t& maxWrite, ApiError& err) {
  if (!od || !od->IsObject()) return true;
  const std::pair<const char*, int64_t*> maxima[] = {{"MaxReadRequestUnits", &maxRead},
                                                     {"MaxWriteRequestUnits", &maxWrite}};
  const std::string forWhat = index.empty() ? "" : " for index : " + index;
  for (const auto& [name, slot] : maxima) {
    const auto* v = member(*od, name);
    if (!v || v->IsNull()) continue;
    if (!payPerRequest) {
      err = validation(std::string("One or more parameter values were invalid: ") + name + " for OnDemandThroughput" +
                       forWhat + " cannot be specified when the table BillingMode is PROVISIONED");
      return false;
    }
    int64_t n = v->IsInt64() ? v->GetInt64() : 0;
    if (n < 1 && (n != -1 || creatingIndex)) {
      err = validation(std::string("One or more parameter values were invalid: Requested ") + name +
                       " for OnDemandThroughput for " + (index.empty() ? std::string("table") : "index : " + index) +
                       " is outside of valid range");
      return false;
    }
    *slot = n;
  }
  return true;
}

static bool readOnDemandThroughput(const rapidjson::Value& d, TableDesc& t, ApiError& err) {
  return readOnDemandThroughput(member(d, "OnDemandThroughput"), t.payPerRequest, "", false, t.maxReadRequestUnits,
                                t.maxWriteRequestUnits, err);
}

bool readIndexes(const rapidjson::Value* arr, bool global, const TableDesc& t, const AttrTypes& defs,
                 std::set<std::string>& used, std::vector<IndexDesc>& out, uint32_t& nextId, ApiError& err,
                 bool inCreateTable = false) {
  if (!arr) return true;
  if (!arr->IsArray() || arr->Size() == 0) {
    err = validation(std::string("One or more parameter values were invalid: List of ") +
                     (global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes") + " is empty");
    return false;
  }
  size_t position = 0;
  for (const auto& e : arr->GetArray()) {
    ++position;
    IndexDesc idx;
    idx.global = global;
    const auto* n = member(e, "IndexName");
    if (!n || !n->IsString()) {
      err = validation("1 validation error detected: Value null at 'indexName' failed to satisfy constraint: Member must not be null");
      return false;
    }
    idx.name = n->GetString();
    if (!validateTableName(idx.name, "indexName", err)) return false;
    for (const auto& o : out)
      if (o.name == idx.name) {
        err = validation("One or more parameter values were invalid: Duplicate index name: " + idx.name);
        return false;
      }
    const std::string path = inCreateTable ? std::string(global ? "globalSecondaryIndexes." : "localSecondaryIndexes.") +
                                                 std::to_string(position) + ".member.keySchema"
                                           : "keySchema";
    if (!readKeySchema(member(e, "KeySchema"), defs, idx.key, used, err, path, global, idx.name)) return false;
    if (!global) {
      if (!t.hasRange()) {
        err = validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
        return false;
      }
      if (idx.key.hashName() != t.key.hashName() || !idx.key.hasRange()) {
        err = validation("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: " +
                         idx.name + ". index hash key: " + idx.key.hashName() + ", table hash key: " + t.key.hashName());
        return false;
      }
    }
    if (!readProjection(member(e, "Projection"), idx, err)) return false;
    if (global && !t.payPerRequest) {
      if (!readThroughput(member(e, "ProvisionedThroughput"), idx.readCapacity, idx.writeCapacity, err)) return false;
    }
    if (global && !readOnDemandThroughput(member(e, "OnDemandThroughput"), t.payPerRequest, idx.name, true,
                                          idx.maxReadRequestUnits, idx.maxWriteRequestUnits, err))
      return false;
    idx.id = nextId++;
    out.push_back(std::move(idx));
  }
  return true;
}

bool readAttributeDefinitions(const rapidjson::Value& d, AttrTypes& defs, ApiError& err) {
  const auto* ad = member(d, "AttributeDefinitions");
  if (!ad || !ad->IsArray()) {
    err = validation("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null");
    return false;
  }
  for (const auto& a : ad->GetArray()) {
    const auto* n = member(a, "AttributeName");
    const auto* t = member(a, "AttributeType");
    if (!n || !n->IsString() || !t || !t->IsString()) {
      err = validation("1 validation error detected: Value null at 'attributeDefinitions.member.attributeName' failed to satisfy constraint: Member must not be null");
      return false;
    }
    std::string ty = t->GetString();
    if (ty != "S" && ty != "N" && ty != "B") {
      err = constraintError(ty, "attributeDefinitions.member.attributeType", "Member must satisfy enum value set: [B, N, S]");
      return false;
    }
    if (typeOf(defs, n->GetString())) {
      err = validation(std::string("Attribute Name is duplicated: ") + n->GetString());
      return false;
    }
    defs.emplace_back(n->GetString(), *typeFromName(ty));
  }
  return true;
}

// DynamoDB's tagging restrictions (developer guide, "Tagging restrictions in DynamoDB"): at most 50
// tags a table; letters, white space, numbers and + - = . _ : /. Any non-ASCII character is taken
// as a letter (Unicode letters are allowed; the store does not carry Unicode's tables).
constexpr size_t kMaxTags = 50;

bool tagTextAllowed(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || std::isalnum(c) || c == ' ' || std::strchr("+-=._:/", c)) continue;
    return false;
  }
  return true;
}

// Reads a Tags list into `out` (a key already there gets the new value), refusing what DynamoDB
// refuses: characters outside the allowed set, the reserved "aws:" prefix, more than 50 tags in all.
bool readTags(const rapidjson::Value* tags, std::vector<std::pair<std::string, std::string>>& out, ApiError& err) {
  if (!tags) return true;
  if (!tags->IsArray()) {
    err = coralError("SerializationException", "Unexpected value type in payload for Tags");
    return false;
  }
  for (const auto& t : tags->GetArray()) {
    const auto* k = member(t, "Key");
    const auto* v = member(t, "Value");
    if (!k || !k->IsString() || !v || !v->IsString()) {
      err = validation("1 validation error detected: Value null at 'tags.member.key' failed to satisfy constraint: Member must not be null");
      return false;
    }
    std::string key = k->GetString();
    std::string value = v->GetString();
    if (!tagTextAllowed(key) || !tagTextAllowed(value)) {
      err = validation("One or more parameter values were invalid: Tag keys and values may only contain letters, white space, numbers and + - = . _ : /");
      return false;
    }
    if (key.starts_with("aws:")) {
      err = validation("One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for AWS use");
      return false;
    }
    auto it = std::find_if(out.begin(), out.end(), [&](auto& p) { return p.first == key; });
    if (it != out.end()) it->second = value;
    else out.emplace_back(key, value);
  }
  if (out.size() > kMaxTags) {
    err = validation("One or more parameter values were invalid: A table can have at most 50 tags");
    return false;
  }
  return true;
}

// A ResourceNotFoundException for the request's TableName worded as DescribeTable, UpdateTable and
// DescribeTimeToLive word it ("Requested resource not found: Table: <name> not found"); false.
bool tableNotFound(const rapidjson::Value& d, ApiError& err) {
  if (err.type.ends_with("ResourceNotFoundException")) {
    ApiError ignored;
    auto n = stringMember(d, "TableName", ignored);
    err = resourceNotFound("Requested resource not found: Table: " + std::string(n ? *n : "") + " not found");
  }
  return false;
}

// The table named by a resource ARN ("arn:aws:dynamodb:<region>:<account>:table/<name>").
// AWS's refusal of an UpdateTable that asks for the throughput a table (or index) already has.
std::string throughputUnchanged(int64_t r, int64_t w, const char* what = "table") {
  std::string rs = std::to_string(r), ws = std::to_string(w);
  return "The provisioned throughput for the " + std::string(what) +
         " will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the " +
         what + ": " + rs + ". Requested ReadCapacityUnits: " + rs + ". Current WriteCapacityUnits provisioned for the " +
         what + ": " + ws + ". Requested WriteCapacityUnits: " + ws +
         ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.";
}

}  // namespace

namespace {

// The tag operations' checks before the table lookup, in DynamoDB's order: a ResourceArn at all,
// an ARN's form, the list member (`listMember`, null for ListTagsOfResource), a table ARN, and a
// non-empty list (`emptyMessage`).
bool checkTagRequest(const rapidjson::Value& d, const char* listMember, const char* listField, const char* emptyMessage,
                     ApiError& err) {
  auto arn = stringMember(d, "ResourceArn", err);
  if (!err.type.empty()) return false;
  if (!arn) {
    err = validation("Invalid TableArn");
    return false;
  }
  std::string_view a(*arn);
  if (!a.starts_with("arn:")) {
    err = validation("One or more parameter values were invalid: ARNs must start with 'arn:': " + std::string(a));
    return false;
  }
  if (!looksLikeArn(a)) {
    err = validation("Invalid TableArn");
    return false;
  }
  const auto* list = listMember ? member(d, listMember) : nullptr;
  if (listMember && !list) {
    err = validation(std::string("1 validation error detected: Value null at '") + listField +
                     "' failed to satisfy constraint: Member must not be null");
    return false;
  }
  if (!looksLikeTableArn(a)) {
    err = validation("Invalid TableArn: Invalid ResourceArn provided as input " + std::string(a));
    return false;
  }
  if (list && list->IsArray() && list->Empty()) {
    err = validation(emptyMessage);
    return false;
  }
  return true;
}

}  // namespace

TableStatePtr Service::requireTableByArn(const rapidjson::Value& d, ApiError& err) {
  auto arn = stringMember(d, "ResourceArn", err);
  if (!err.type.empty()) return nullptr;
  if (!arn) {
    err = validation("Invalid TableArn");
    return nullptr;
  }
  // checkTagRequest let only table ARNs through; one whose region holds a ':' parses as none.
  // Tagging words another region's ARN as an ARN it cannot use; another account's is IAM's.
  auto parsed = parseTableArn(*arn);
  if (!parsed || parsed->region != options_.region) {
    err = validation("Invalid TableArn: Invalid ResourceArn provided as input " + std::string(*arn));
    return nullptr;
  }
  if (!ownTableArn(*parsed, *arn, err)) return nullptr;
  auto st = requireTableNamed(parsed->name, err);
  if (!st && err.type.ends_with("ResourceNotFoundException"))
    err = resourceNotFound("Requested resource not found: ResourcArn: " + std::string(*arn) + " not found");  // sic, AWS's text
  return st;
}

// Wall time in seconds with milliseconds, as AWS dates a table (two tables created a few ms apart
// have different CreationDateTime). The Clock interface has whole seconds only, so the real clock
// is read directly; a test's FakeClock keeps its whole seconds.
static double wallSecondsToMs(const Clock& clock) {
  if (!dynamic_cast<const SystemClock*>(&clock)) return static_cast<double>(clock.wallSeconds());
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000) / 1000;
}

// SSESpecification: Enabled selects a KMS key (the account's AWS-managed key unless KMSMasterKeyId
// names another); disabled or absent, the AWS-owned key.
static bool readSseSpecification(const rapidjson::Value& d, TableDesc& t, ApiError& err) {
  const auto* s = member(d, "SSESpecification");
  if (!s || !s->IsObject()) return true;
  auto type = stringMember(*s, "SSEType", err);
  if (!err.type.empty()) return false;
  if (type && *type != "AES256" && *type != "KMS") {
    err = constraintError(*type, "sSESpecification.sSEType", "Member must satisfy enum value set: [AES256, KMS]");
    return false;
  }
  auto keyId = stringMember(*s, "KMSMasterKeyId", err);
  if (!err.type.empty()) return false;
  t.sseKms = boolMember(*s, "Enabled", false);
  t.sseKmsKey = t.sseKms && keyId ? std::string(*keyId) : std::string();
  return true;
}

// TableClass of CreateTable / UpdateTable: one of the two classes, case-sensitive, refused with
// DynamoDB's own message rather than the model's enum constraint.
static bool checkTableClass(const std::optional<std::string_view>& tableClass, ApiError& err) {
  if (!tableClass || *tableClass == "STANDARD" || *tableClass == "STANDARD_INFREQUENT_ACCESS") return true;
  err = validation("Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].");
  return false;
}

// StreamSpecification of CreateTable / UpdateTable; `present` is false when the member is absent.
struct StreamSpec {
  bool present = false;
  bool enabled = false;
  std::string viewType;
};

static bool readStreamSpecification(const rapidjson::Value& d, StreamSpec& spec, ApiError& err) {
  const auto* s = member(d, "StreamSpecification");
  if (!s || !s->IsObject()) return true;
  spec.present = true;
  const auto* e = member(*s, "StreamEnabled");
  spec.enabled = e && e->IsBool() && e->GetBool();
  const auto* v = member(*s, "StreamViewType");
  if (v && v->IsString()) spec.viewType = v->GetString();
  if (spec.enabled && spec.viewType.empty()) {
    err = validation("One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true");
    return false;
  }
  if (!spec.enabled && !spec.viewType.empty()) {
    err = validation("One or more parameter values were invalid: StreamViewType can not be specified when StreamEnabled is false");
    return false;
  }
  return true;
}

bool Service::createTable(const Doc& d, Out& out, ApiError& err) {
  auto name = stringMember(d, "TableName", err);
  if (!err.type.empty()) return false;
  if (!name) {
    err = validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    return false;
  }
  auto table = tableNameOf(*name, err);  // CreateTable too takes the new table's ARN
  if (!table || !validateTableName(*table, "tableName", err)) return false;
  TableDesc t;
  t.name = std::move(*table);
  AttrTypes defs;
  if (!readAttributeDefinitions(d, defs, err)) return false;
  std::set<std::string> used;
  // DynamoDB's first key-schema check: more key elements than definitions (e.g. one attribute
  // named twice in KeySchema) is refused before names and key types are looked at.
  if (const auto* ks = member(d, "KeySchema"); ks && ks->IsArray() && ks->Size() > defs.size()) {
    err = validation("Invalid KeySchema: Some index key attribute have no definition");
    return false;
  }
  if (!readKeySchema(member(d, "KeySchema"), defs, t.key, used, err)) return false;
  t.attributeDefinitions = defs;
  auto billing = stringMember(d, "BillingMode", err);
  if (!err.type.empty()) return false;
  if (billing && *billing != "PROVISIONED" && *billing != "PAY_PER_REQUEST") {
    err = constraintError(*billing, "billingMode", "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
    return false;
  }
  t.payPerRequest = billing && *billing == "PAY_PER_REQUEST";
  const auto* pt = member(d, "ProvisionedThroughput");
  if (t.payPerRequest && pt) {
    err = validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    return false;
  }
  if (!t.payPerRequest && !readThroughput(pt, t.readCapacity, t.writeCapacity, err)) return false;
  uint32_t nextId = 1;
  if (!readIndexes(member(d, "LocalSecondaryIndexes"), false, t, defs, used, t.indexes, nextId, err, true)) return false;
  if (!readIndexes(member(d, "GlobalSecondaryIndexes"), true, t, defs, used, t.indexes, nextId, err, true)) return false;
  if (t.indexes.size() > 25) {
    err = validation("One or more parameter values were invalid: Too many indexes");
    return false;
  }
  t.nextIndexId = nextId;
  if (used.size() != defs.size()) {
    err = validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    return false;
  }
  if (!readTags(member(d, "Tags"), t.tags, err)) return false;
  StreamSpec stream;
  if (!readStreamSpecification(d, stream, err)) return false;
  auto tableClass = stringMember(d, "TableClass", err);
  if (!err.type.empty() || !checkTableClass(tableClass, err)) return false;
  t.tableId = newUuid();
  t.creationTime = wallSecondsToMs(clock_);
  if (t.payPerRequest) t.payPerRequestSince = t.creationTime;
  // TableClassSummary.LastUpdateDateTime dates an UpdateTable that changed the class; a class given
  // at creation has none.
  if (tableClass) t.tableClass = std::string(*tableClass);
  t.deletionProtection = boolMember(d, "DeletionProtectionEnabled", false);
  if (!readSseSpecification(d, t, err) || !readOnDemandThroughput(d, t, err)) return false;
  if (stream.enabled) {
    t.streamEnabled = true;
    t.streamViewType = stream.viewType;
    t.streamLabel = streams::makeLabel(streams::nowEpochMs());
  }

  std::lock_guard<std::mutex> control(catalog_.controlMutex());
  if (catalog_.find(t.name)) {
    err = resourceInUse("Table already exists: " + t.name);
    return false;
  }
  rocksdb::WriteBatch batch;
  t.id = catalog_.allocateId(batch);
  batch.Put(Catalog::metaKey(t.name), encodeTable(t));
  if (!writeBatch(batch, out, err)) return false;
  engine_.waitDurable(out.ticket);  // a table exists for every later request once announced
  auto st = std::make_shared<TableState>();
  auto desc = std::make_shared<const TableDesc>(std::move(t));
  st->desc.store(desc);
  catalog_.add(st);
  out.w.StartObject();
  key(out.w, "TableDescription");
  // DynamoDB answers CREATING; the table is usable at once here, and DescribeTable says ACTIVE.
  writeTableDescription(*desc, &st->stats, "CREATING", nowSeconds(), options_.region, out.w);
  out.w.EndObject();
  return true;
}

bool Service::describeTable(const Doc& d, Out& out, ApiError& err) {
  auto st = requireTable(d, err);
  if (!st) {
    if (err.type.ends_with("ResourceNotFoundException")) {
      auto n = stringMember(d, "TableName", err);
      err = resourceNotFound("Requested resource not found: Table: " + std::string(n ? *n : "") + " not found");
    }
    return false;
  }
  auto desc = st->schema();
  out.w.StartObject();
  key(out.w, "Table");
  writeTableDescription(*desc, &st->stats, "ACTIVE", nowSeconds(), options_.region, out.w);
  out.w.EndObject();
  return true;
}

bool Service::listTables(const Doc& d, Out& out, ApiError& err) {
  auto start = stringMember(d, "ExclusiveStartTableName", err);
  if (!err.type.empty()) return false;
  int64_t limit = 100;
  if (const auto* l = member(d, "Limit")) {
    auto n = integerValue(*l);
    if (!n || *n < 1 || *n > 100) {
      std::string v = n ? std::to_string(*n) : "?";
      err = constraintError(v, "limit", n && *n > 100 ? "Member must have value less than or equal to 100"
                                                      : "Member must have value greater than or equal to 1");
      return false;
    }
    limit = *n;
  }
  auto names = catalog_.names();
  out.w.StartObject();
  key(out.w, "TableNames");
  out.w.StartArray();
  int64_t n = 0;
  std::string last;
  bool more = false;
  for (const auto& name : names) {
    if (start && name <= *start) continue;
    if (n == limit) {
      more = true;
      break;
    }
    str(out.w, name);
    last = name;
    ++n;
  }
  out.w.EndArray();
  if (more) kv(out.w, "LastEvaluatedTableName", last);
  out.w.EndObject();
  return true;
}

bool Service::deleteTable(const Doc& d, Out& out, ApiError& err) {
  std::lock_guard<std::mutex> control(catalog_.controlMutex());
  auto st = requireTable(d, err);
  if (!st) {
    if (err.type.ends_with("ResourceNotFoundException")) {
      auto n = stringMember(d, "TableName", err);
      err = resourceNotFound("Requested resource not found: Table: " + std::string(n ? *n : "") + " not found");
    }
    return false;
  }
  auto desc = st->schema();
  if (desc->deletionProtection) {
    err = validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
    return false;
  }
  st->deleted = true;
  catalog_.remove(desc->name);
  st->drainWriters();
  rocksdb::WriteBatch batch;
  batch.Delete(Catalog::metaKey(desc->name));
  std::string tp = tablePrefix(desc->id);
  batch.DeleteRange(tp, prefixSuccessor(tp));
  std::string ip(1, 'x');
  appendU32(ip, desc->id);
  batch.DeleteRange(ip, prefixSuccessor(ip));
  std::string sp = streams::streamPrefix(desc->id);
  batch.DeleteRange(sp, prefixSuccessor(sp));
  batch.Delete(streams::trimHorizonKey(desc->id));
  if (!writeBatch(batch, out, err)) return false;
  out.w.StartObject();
  key(out.w, "TableDescription");
  writeDeletedTableDescription(*desc, &st->stats, nowSeconds(), options_.region, out.w);
  out.w.EndObject();
  return true;
}

void Service::backfillIndex(const TableStatePtr& st, const IndexDesc& index) {
  auto desc = st->schema();
  std::string prefix = tablePrefix(desc->id), end = prefixSuccessor(prefix);
  std::vector<std::string> keys;
  {
    std::unique_ptr<rocksdb::Iterator> it(engine_.db()->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(prefix); it->Valid() && it->key().compare(end) < 0; it->Next()) keys.push_back(it->key().ToString());
  }
  int slot = static_cast<int>(index.id % TableStats::kMaxIndexes);
  // Re-read each item under its lock: writers that began after the new schema was published keep
  // the index themselves; this fills in everything written before.
  for (const auto& k : keys) {
    auto guard = locks_.lockKeys({k});
    Item item;
    if (!readItem(k, &item)) continue;
    auto ek = indexEntryKey(*desc, index, item);
    if (!ek) continue;
    std::string existing;
    if (engine_.get(*ek, &existing)) continue;  // a writer already added it
    Item proj = projectForIndex(*desc, index, item);
    rocksdb::WriteBatch b;
    b.Put(*ek, toJson(proj));
    if (engine_.write(b)) {
      st->stats.indexItems[slot] += 1;
      st->stats.indexBytes[slot] += static_cast<int64_t>(itemSize(proj));
    }
  }
}

bool Service::updateTable(const Doc& d, Out& out, ApiError& err) {
  // An UpdateTable that asks for no change is refused before the table is looked up.
  bool asksForChange = false;
  for (const char* m : {"ProvisionedThroughput", "BillingMode", "StreamSpecification", "SSESpecification", "ReplicaUpdates",
                        "TableClass", "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput",
                        "MultiRegionConsistency"}) {
    const auto* v = member(d, m);
    asksForChange = asksForChange || (v && !v->IsNull());
  }
  if (const auto* g = member(d, "GlobalSecondaryIndexUpdates"); g && g->IsArray() && !g->Empty()) asksForChange = true;
  if (!asksForChange) {
    err = validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    return false;
  }
  if (const auto* g = member(d, "GlobalSecondaryIndexUpdates"); g && g->IsArray()) {
    for (const auto& u : g->GetArray()) {
      if (!member(u, "Update") && !member(u, "Create") && !member(u, "Delete")) {
        err = validation("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, "
                         "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null");
        return false;
      }
    }
  }
  std::lock_guard<std::mutex> control(catalog_.controlMutex());
  auto st = requireTable(d, err);
  if (!st) return tableNotFound(d, err);
  TableDesc t = *st->schema();
  AttrTypes defs = t.attributeDefinitions;
  // "If you are adding a new global secondary index to the table, AttributeDefinitions must
  // include the key element(s) of the new index" (API reference, UpdateTable), even those the
  // table already defines: a Create reads its key types from the request's definitions only.
  AttrTypes extra;
  if (member(d, "AttributeDefinitions")) {
    if (!readAttributeDefinitions(d, extra, err)) return false;
    for (auto& [n, ty] : extra) {
      auto have = typeOf(defs, n);
      if (have && *have != ty) {
        err = validation("One or more parameter values were invalid: Attribute " + n + " is already defined with a different type");
        return false;
      }
      if (!have) defs.emplace_back(n, ty);
    }
  }
  const double now = nowSeconds();
  bool changed = false;  // anything that makes the answer's TableStatus UPDATING
  bool billingSwitched = false;
  auto billing = stringMember(d, "BillingMode", err);
  if (!err.type.empty()) return false;
  if (billing) {
    if (*billing != "PROVISIONED" && *billing != "PAY_PER_REQUEST") {
      err = constraintError(*billing, "billingMode", "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
      return false;
    }
    bool toPayPerRequest = *billing == "PAY_PER_REQUEST";
    if (toPayPerRequest != t.payPerRequest) {
      changed = billingSwitched = true;
      t.billingModeChanged = true;
      if (toPayPerRequest) t.payPerRequestSince = now;
    }
    t.payPerRequest = toPayPerRequest;
    if (t.payPerRequest) t.readCapacity = t.writeCapacity = 0;
  }
  if (const auto* pt = member(d, "ProvisionedThroughput")) {
    if (t.payPerRequest) {
      err = validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
      return false;
    }
    int64_t r0 = t.readCapacity, w0 = t.writeCapacity;
    if (!readThroughput(pt, t.readCapacity, t.writeCapacity, err)) return false;
    // Naming the mode the table already has changes nothing: only a switch to PROVISIONED may
    // restate the capacity the table had before it went on demand.
    if (r0 == t.readCapacity && w0 == t.writeCapacity && !billingSwitched) {
      err = validation(throughputUnchanged(r0, w0));
      return false;
    }
    if (r0 > 0 || w0 > 0) t.throughputHistory.record(r0, w0, t.readCapacity, t.writeCapacity, now);
    changed = changed || r0 != t.readCapacity || w0 != t.writeCapacity;
  } else if (billing && !t.payPerRequest && t.readCapacity == 0) {
    err = validation("One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
    return false;
  }
  auto tableClass = stringMember(d, "TableClass", err);
  if (!err.type.empty() || !checkTableClass(tableClass, err)) return false;
  if (tableClass && *tableClass != (t.tableClass.empty() ? "STANDARD" : t.tableClass)) {
    t.tableClass = std::string(*tableClass);
    t.tableClassSince = now;
    changed = true;
  } else if (tableClass && t.tableClass.empty()) {
    t.tableClass = std::string(*tableClass);
  }
  t.deletionProtection = boolMember(d, "DeletionProtectionEnabled", t.deletionProtection);
  // A change of encryption key is under way when UpdateTable answers (SSEDescription UPDATING,
  // naming the KMS key being left when encryption goes back to the AWS-owned key); DescribeTable
  // shows where it ends.
  const bool sse0 = t.sseKms;
  const std::string sseKey0 = t.sseKmsKey;
  if (member(d, "SSESpecification") && !readSseSpecification(d, t, err)) return false;
  const bool sseChanged = sse0 != t.sseKms || sseKey0 != t.sseKmsKey;
  changed = changed || sseChanged;
  const int64_t maxRead0 = t.maxReadRequestUnits, maxWrite0 = t.maxWriteRequestUnits;
  if (!readOnDemandThroughput(d, t, err)) return false;
  changed = changed || maxRead0 != t.maxReadRequestUnits || maxWrite0 != t.maxWriteRequestUnits;
  StreamSpec stream;
  if (!readStreamSpecification(d, stream, err)) return false;
  if (stream.present) {
    if (stream.enabled && t.streamEnabled) {
      err = validation("Table already has an enabled stream: TableName: " + t.name);
      return false;
    }
    if (!stream.enabled && !t.streamEnabled) {
      err = validation("Table already has a disabled stream: TableName: " + t.name);
      return false;
    }
    t.streamEnabled = stream.enabled;
    if (stream.enabled) {
      t.streamViewType = stream.viewType;
      t.streamLabel = streams::makeLabel(streams::nowEpochMs());
    }
  }
  std::vector<IndexDesc> created;
  std::vector<IndexDesc> dropped;
  if (const auto* updates = member(d, "GlobalSecondaryIndexUpdates")) {
    if (!updates->IsArray()) {
      err = coralError("SerializationException", "Unexpected value type in payload for GlobalSecondaryIndexUpdates");
      return false;
    }
    for (const auto& u : updates->GetArray()) {
      if (const auto* c = member(u, "Create")) {
        std::set<std::string> used;
        rapidjson::Value arr(rapidjson::kArrayType);
        rapidjson::Document tmp;
        arr.PushBack(rapidjson::Value(*c, tmp.GetAllocator()), tmp.GetAllocator());
        std::vector<IndexDesc> one;
        uint32_t next = t.nextIndexId;
        TableDesc probe = t;
        if (!readIndexes(&arr, true, probe, extra, used, one, next, err)) return false;
        if (t.findIndex(one[0].name)) {
          err = validation("One or more parameter values were invalid: Index already exists: " + one[0].name);
          return false;
        }
        t.nextIndexId = next;
        one[0].status = "CREATING";
        created.push_back(one[0]);
        t.indexes.push_back(one[0]);
      } else if (const auto* del = member(u, "Delete")) {
        const auto* n = member(*del, "IndexName");
        std::string name = n && n->IsString() ? n->GetString() : "";
        auto it = std::find_if(t.indexes.begin(), t.indexes.end(), [&](auto& i) { return i.global && i.name == name; });
        if (it == t.indexes.end()) {
          err = resourceNotFound("Requested resource not found: Index: " + name + " not found");
          return false;
        }
        dropped.push_back(*it);
        t.indexes.erase(it);
      } else if (const auto* upd = member(u, "Update")) {
        const auto* n = member(*upd, "IndexName");
        std::string name = n && n->IsString() ? n->GetString() : "";
        auto it = std::find_if(t.indexes.begin(), t.indexes.end(), [&](auto& i) { return i.global && i.name == name; });
        if (it == t.indexes.end()) {
          err = resourceNotFound("Requested resource not found: Index: " + name + " not found");
          return false;
        }
        // An on-demand table's index takes only new maxima; a provisioned one's, new capacity.
        const auto* pt = member(*upd, "ProvisionedThroughput");
        const auto* od = member(*upd, "OnDemandThroughput");
        if (od && !od->IsNull()) {
          const int64_t maxRead0 = it->maxReadRequestUnits, maxWrite0 = it->maxWriteRequestUnits;
          if (!readOnDemandThroughput(od, t.payPerRequest, it->name, false, it->maxReadRequestUnits,
                                      it->maxWriteRequestUnits, err))
            return false;
          changed = changed || maxRead0 != it->maxReadRequestUnits || maxWrite0 != it->maxWriteRequestUnits;
        }
        if (t.payPerRequest && pt && !pt->IsNull()) {
          err = validation("One or more parameter values were invalid: The only Updates for index: " + it->name +
                           " when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput");
          return false;
        }
        if (pt || !od || od->IsNull()) {
          int64_t r0 = it->readCapacity, w0 = it->writeCapacity;
          if (!readThroughput(pt, it->readCapacity, it->writeCapacity, err)) return false;
          if (r0 == it->readCapacity && w0 == it->writeCapacity) {
            err = validation(throughputUnchanged(r0, w0, "index"));
            return false;
          }
          it->throughputHistory.record(r0, w0, it->readCapacity, it->writeCapacity, now);
          changed = true;
        }
      }
    }
  }
  // Keep only attribute definitions some key uses (DynamoDB rejects unused ones at creation and
  // drops those of deleted indexes).
  AttrTypes kept;
  auto usedName = [&](const std::string& n) {
    if (t.key.contains(n)) return true;
    for (auto& i : t.indexes)
      if (i.key.contains(n)) return true;
    return false;
  };
  for (auto& p : defs)
    if (usedName(p.first)) kept.push_back(p);
  t.attributeDefinitions = kept;

  auto publish = [&](const TableDesc& desc) { return publishSchema(*st, desc, out, err); };
  if (!publish(t)) return false;
  TableDesc answered = t;
  if (sseChanged) {
    answered.sseUpdating = true;
    if (!t.sseKms) {
      answered.sseKms = true;
      answered.sseKmsKey = sseKey0;
    }
  }
  st->drainWriters();  // every write from now on maintains the new indexes
  for (const auto& idx : dropped) {
    rocksdb::WriteBatch b;
    std::string ip = indexPrefix(t.id, idx.id);
    b.DeleteRange(ip, prefixSuccessor(ip));
    if (!writeBatch(b, out, err)) return false;
    int slot = static_cast<int>(idx.id % TableStats::kMaxIndexes);
    st->stats.indexItems[slot] = 0;
    st->stats.indexBytes[slot] = 0;
  }
  if (!created.empty()) {
    for (const auto& idx : created) backfillIndex(st, idx);
    for (auto& i : t.indexes) i.status = "ACTIVE";
    if (!publish(t)) return false;
  }
  out.w.StartObject();
  key(out.w, "TableDescription");
  changed = changed || !created.empty() || !dropped.empty();
  writeTableDescription(answered, &st->stats, changed ? "UPDATING" : "ACTIVE", now, options_.region, out.w);
  out.w.EndObject();
  return true;
}

bool Service::publishSchema(TableState& st, const TableDesc& t, Out& out, ApiError& err) {
  rocksdb::WriteBatch b;
  b.Put(Catalog::metaKey(t.name), encodeTable(t));
  if (!writeBatch(b, out, err)) return false;
  st.desc.store(std::make_shared<const TableDesc>(t));
  return true;
}

bool Service::updateTimeToLive(const Doc& d, Out& out, ApiError& err) {
  std::lock_guard<std::mutex> control(catalog_.controlMutex());
  auto st = requireTable(d, err);
  if (!st) return false;
  const auto* spec = member(d, "TimeToLiveSpecification");
  const auto* en = spec ? member(*spec, "Enabled") : nullptr;
  const auto* an = spec ? member(*spec, "AttributeName") : nullptr;
  if (!en || !en->IsBool() || !an || !an->IsString() || an->GetStringLength() == 0) {
    err = validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
    return false;
  }
  TableDesc t = *st->schema();
  bool enable = en->GetBool();
  if (enable == t.ttlEnabled) {
    err = validation(enable ? "TimeToLive is already enabled" : "TimeToLive is already disabled");
    return false;
  }
  if (!enable && t.ttlAttribute != an->GetString()) {
    err = validation("TimeToLive is active on a different AttributeName: current AttributeName is " + t.ttlAttribute);
    return false;
  }
  t.ttlEnabled = enable;
  t.ttlAttribute = an->GetString();
  if (!publishSchema(*st, t, out, err)) return false;
  out.w.StartObject();
  key(out.w, "TimeToLiveSpecification");
  out.w.StartObject();
  key(out.w, "Enabled");
  out.w.Bool(enable);
  kv(out.w, "AttributeName", t.ttlAttribute);
  out.w.EndObject();
  out.w.EndObject();
  return true;
}

bool Service::describeTimeToLive(const Doc& d, Out& out, ApiError& err) {
  auto st = requireTable(d, err);
  if (!st) return tableNotFound(d, err);
  auto t = st->schema();
  out.w.StartObject();
  key(out.w, "TimeToLiveDescription");
  out.w.StartObject();
  kv(out.w, "TimeToLiveStatus", t->ttlEnabled ? "ENABLED" : "DISABLED");
  if (t->ttlEnabled) kv(out.w, "AttributeName", t->ttlAttribute);
  out.w.EndObject();
  out.w.EndObject();
  return true;
}

bool Service::tagResource(const Doc& d, Out& out, ApiError& err) {
  if (!checkTagRequest(d, "Tags", "tags", "Atleast one Tag needs to be provided as Input.", err)) return false;
  std::lock_guard<std::mutex> control(catalog_.controlMutex());
  auto st = requireTableByArn(d, err);
  if (!st) return false;
  TableDesc t = *st->schema();
  const auto* tags = member(d, "Tags");
  if (!tags) {
    err = validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
    return false;
  }
  if (!readTags(tags, t.tags, err)) return false;
  if (!publishSchema(*st, t, out, err)) return false;
  return true;  // no output members: DynamoDB's answer is an empty body, not `{}`
}

bool Service::untagResource(const Doc& d, Out& out, ApiError& err) {
  if (!checkTagRequest(d, "TagKeys", "tagKeys", "Atleast one Tag Key needs to be provided as Input.", err)) return false;
  std::lock_guard<std::mutex> control(catalog_.controlMutex());
  auto st = requireTableByArn(d, err);
  if (!st) {
    // UntagResource, unlike TagResource and ListTagsOfResource, does not name the ARN.
    if (err.type.ends_with("ResourceNotFoundException")) err = resourceNotFound();
    return false;
  }
  TableDesc t = *st->schema();
  const auto* keys = member(d, "TagKeys");
  if (!keys || !keys->IsArray()) {
    err = validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
    return false;
  }
  for (const auto& k : keys->GetArray()) {
    if (!k.IsString()) continue;
    std::string kk = k.GetString();
    t.tags.erase(std::remove_if(t.tags.begin(), t.tags.end(), [&](auto& p) { return p.first == kk; }), t.tags.end());
  }
  if (!publishSchema(*st, t, out, err)) return false;
  return true;  // no output members: DynamoDB's answer is an empty body, not `{}`
}

bool Service::listTagsOfResource(const Doc& d, Out& out, ApiError& err) {
  if (!checkTagRequest(d, nullptr, nullptr, nullptr, err)) return false;
  auto st = requireTableByArn(d, err);
  if (!st) return false;
  auto t = st->schema();
  out.w.StartObject();
  key(out.w, "Tags");
  out.w.StartArray();
  for (const auto& [k, v] : t->tags) {
    out.w.StartObject();
    kv(out.w, "Key", k);
    kv(out.w, "Value", v);
    out.w.EndObject();
  }
  out.w.EndArray();
  out.w.EndObject();
  return true;
}

bool Service::describeEndpoints(const Doc&, Out& out, ApiError&) {
  out.w.StartObject();
  key(out.w, "Endpoints");
  out.w.StartArray();
  out.w.StartObject();
  kv(out.w, "Address", "dynamodb." + options_.region + ".amazonaws.com");
  key(out.w, "CachePeriodInMinutes");
  out.w.Int(1440);
  out.w.EndObject();
  out.w.EndArray();
  out.w.EndObject();
  return true;
}

bool Service::describeLimits(const Doc&, Out& out, ApiError&) {
  out.w.StartObject();
  for (const char* k : {"AccountMaxReadCapacityUnits", "AccountMaxWriteCapacityUnits"}) {
    key(out.w, k);
    out.w.Int(80000);
  }
  for (const char* k : {"TableMaxReadCapacityUnits", "TableMaxWriteCapacityUnits"}) {
    key(out.w, k);
    out.w.Int(40000);
  }
  out.w.EndObject();
  return true;
}

}  // namespace cdnlab::store

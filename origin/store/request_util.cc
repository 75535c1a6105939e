// Request member readers and capacity arithmetic.
#include "origin/store/request_util.h"

#include <cctype>

#include <cmath>

#include "origin/store/json_out.h"
#include "origin/store/model/attribute_name.h"
#include "origin/store/store_metrics.h"

namespace cdnlab::store {

const rapidjson::Value* member(const rapidjson::Value& o, const char* name) {
  if (!o.IsObject()) return nullptr;
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::optional<std::string_view> stringMember(const rapidjson::Value& o, const char* name, ApiError& err) {
  const auto* v = member(o, name);
  if (!v) return std::nullopt;
  if (!v->IsString()) {
    err = coralError("SerializationException", std::string("Unexpected value type in payload for ") + name);
    return std::nullopt;
  }
  return std::string_view(v->GetString(), v->GetStringLength());
}

std::optional<int64_t> integerValue(const rapidjson::Value& v) {
  if (v.IsInt64()) return v.GetInt64();
  if (!v.IsNumber()) return std::nullopt;
  double d = std::floor(v.GetDouble());
  if (!std::isfinite(d) || d < -9.2e18 || d > 9.2e18) return std::nullopt;
  return static_cast<int64_t>(d);
}

bool boolMember(const rapidjson::Value& o, const char* name, bool dflt) {
  const auto* v = member(o, name);
  if (v && v->IsBool()) return v->GetBool();
  // AWS's JSON reader takes "true"/"yes"/"1" (and their false forms) for a Boolean member; the
  // shape check has already refused any other string.
  if (v && v->IsString()) {
    std::string u(v->GetString(), v->GetStringLength());
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u == "TRUE" || u == "YES" || u == "1") return true;
    if (u == "FALSE" || u == "NO" || u == "0") return false;
  }
  return dflt;
}

std::optional<Item> itemMember(const rapidjson::Value& o, const char* name, ApiError& err) {
  const auto* v = member(o, name);
  if (!v) return std::nullopt;
  if (!v->IsObject()) {
    err = coralError("SerializationException", std::string("Unexpected value type in payload for ") + name);
    return std::nullopt;
  }
  auto m = parseAttributeMap(*v);
  if (!m) {
    err = validation(m.error().message);
    return std::nullopt;
  }
  return std::move(*m);
}

bool isPlaceholderKey(std::string_view key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (char c : key.substr(1))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return false;
  return true;
}

bool readExpressionMaps(const rapidjson::Value& o, ExpressionMaps& maps, ApiError& err) {
  if (const auto* n = member(o, "ExpressionAttributeNames")) {
    if (!n->IsObject()) {
      err = coralError("SerializationException", "Unexpected value type in payload for ExpressionAttributeNames");
      return false;
    }
    if (n->MemberCount() == 0) {
      err = validation("ExpressionAttributeNames must not be empty");
      return false;
    }
    for (const auto& m : n->GetObject()) {
      if (!isPlaceholderKey({m.name.GetString(), m.name.GetStringLength()}, '#')) {
        err = validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" +
                         std::string(m.name.GetString(), m.name.GetStringLength()) + "\"");
        return false;
      }
    }
    maps.names.emplace();
    for (const auto& m : n->GetObject()) {
      if (!m.value.IsString()) {
        err = coralError("SerializationException", "Unexpected value type in payload");
        return false;
      }
      if (m.value.GetStringLength() > kMaxAttributeNameBytes) {
        err = validation(kAttributeNameTooLarge);
        return false;
      }
      // An empty name is no name: a path that uses the placeholder reports it as not defined.
      if (m.value.GetStringLength() == 0) continue;
      maps.names->emplace(m.name.GetString(), m.value.GetString());
    }
  }
  if (const auto* v = member(o, "ExpressionAttributeValues")) {
    if (!v->IsObject()) {
      err = coralError("SerializationException", "Unexpected value type in payload for ExpressionAttributeValues");
      return false;
    }
    if (v->MemberCount() == 0) {
      err = validation("ExpressionAttributeValues must not be empty");
      return false;
    }
    for (const auto& m : v->GetObject()) {
      if (!isPlaceholderKey({m.name.GetString(), m.name.GetStringLength()}, ':')) {
        err = validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" +
                         std::string(m.name.GetString(), m.name.GetStringLength()) + "\"");
        return false;
      }
    }
    auto m = parseAttributeMap(*v);
    if (!m) {
      // DynamoDB's message names the key: find the first value that fails on its own.
      std::string key;
      for (const auto& one : v->GetObject()) {
        if (!parseAttributeValue(one.value)) {
          key = std::string(one.name.GetString(), one.name.GetStringLength());
          break;
        }
      }
      err = validation("ExpressionAttributeValues contains invalid value: " + m.error().message +
                       (key.empty() ? "" : " for key " + key));
      return false;
    }
    maps.values = std::move(*m);
  }
  return true;
}

ApiError constraintError(std::string_view value, std::string_view field, std::string_view constraint) {
  return validation("1 validation error detected: Value '" + std::string(value) + "' at '" + std::string(field) +
                    "' failed to satisfy constraint: " + std::string(constraint));
}

bool validateTableName(std::string_view name, std::string_view field, ApiError& err) {
  if (name.size() < 3) {
    err = constraintError(name, field, "Member must have length greater than or equal to 3");
    return false;
  }
  if (name.size() > 255) {
    err = constraintError(name, field, "Member must have length less than or equal to 255");
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) {
      err = constraintError(name, field, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
      return false;
    }
  }
  return true;
}

bool readCapacityMode(const rapidjson::Value& o, CapacityMode& mode, ApiError& err) {
  mode = CapacityMode::None;
  auto v = stringMember(o, "ReturnConsumedCapacity", err);
  if (!err.type.empty()) return false;
  if (!v || *v == "NONE") return true;
  if (*v == "TOTAL") {
    mode = CapacityMode::Total;
    return true;
  }
  if (*v == "INDEXES") {
    mode = CapacityMode::Indexes;
    return true;
  }
  err = constraintError(*v, "returnConsumedCapacity", "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
  return false;
}

double readUnits(size_t bytes, bool consistent) {
  double units = std::max<double>(1, std::ceil(static_cast<double>(bytes) / 4096.0));
  units = consistent ? units : units / 2;
  capacityMeter().readUnits += units;  // for /metrics (store_metrics.h)
  return units;
}

double writeUnitsFor(size_t bytes) { return std::max<double>(1, std::ceil(static_cast<double>(bytes) / 1024.0)); }

double writeUnits(size_t bytes) {
  const double units = writeUnitsFor(bytes);
  capacityMeter().writeUnits += units;  // for /metrics (store_metrics.h)
  return units;
}

void writeConsumedCapacity(JsonWriter& w, std::string_view table, double units, CapacityMode mode) {
  w.StartObject();
  kv(w, "TableName", table);
  key(w, "CapacityUnits");
  w.Double(units);
  if (mode == CapacityMode::Indexes) {
    key(w, "Table");
    w.StartObject();
    key(w, "CapacityUnits");
    w.Double(units);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace cdnlab::store

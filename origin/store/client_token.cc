#include "origin/store/client_token.h"

#include <xxhash.h>

#include <algorithm>
#include <vector>

#include "common/parse_integer.h"
#include "origin/store/json_out.h"

namespace cdnlab::store {
namespace {

void writeCanonical(const rapidjson::Value& v, JsonWriter& w) {
  if (v.IsObject()) {
    std::vector<const rapidjson::Value::Member*> members;
    for (const auto& m : v.GetObject()) members.push_back(&m);
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      return std::string_view(a->name.GetString(), a->name.GetStringLength()) <
             std::string_view(b->name.GetString(), b->name.GetStringLength());
    });
    w.StartObject();
    for (const auto* m : members) {
      key(w, std::string_view(m->name.GetString(), m->name.GetStringLength()));
      writeCanonical(m->value, w);
    }
    w.EndObject();
  } else if (v.IsArray()) {
    w.StartArray();
    for (const auto& e : v.GetArray()) writeCanonical(e, w);
    w.EndArray();
  } else {
    v.Accept(w);
  }
}

}  // namespace

std::string requestFingerprint(const rapidjson::Value& operations) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  writeCanonical(operations, w);
  return std::to_string(XXH3_64bits(sb.GetString(), sb.GetSize()));
}

TokenState clientTokenState(const std::string* record, std::string_view fingerprint, int64_t now) {
  if (!record) return TokenState::New;
  std::string_view r(*record);
  size_t bar = r.find('|');
  int64_t when = bar == std::string_view::npos ? 0 : parseInteger<int64_t>(r.substr(bar + 1)).value_or(0);
  if (now - when >= kClientTokenLifetimeSeconds) return TokenState::New;  // expired: a new request
  return r.substr(0, bar) == fingerprint ? TokenState::Replay : TokenState::Mismatch;
}

std::string clientTokenRecord(std::string_view fingerprint, int64_t now) {
  return std::string(fingerprint) + "|" + std::to_string(now);
}

ApiError clientTokenMismatch() {
  return dynamoError("IdempotentParameterMismatchException",
                     "Request parameters do not match the ones provided in the previous request with the same ClientRequestToken");
}

}  // namespace cdnlab::store

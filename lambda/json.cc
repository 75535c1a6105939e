// Typed JSON readers for request bodies and persisted records (see json.h).
#include "lambda/json.h"

#include <rapidjson/error/en.h>

namespace cdnlab::lambda {

Result<rapidjson::Document> parseObject(std::string_view body) {
  rapidjson::Document d;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    d.SetObject();
    return d;
  }
  d.Parse(body.data(), body.size());
  if (d.HasParseError()) {
    return Error{400, std::string("could not parse request body into json: ") +
                          rapidjson::GetParseError_En(d.GetParseError()) + " at offset " +
                          std::to_string(d.GetErrorOffset())};
  }
  if (!d.IsObject()) return Error{400, "request body must be a JSON object"};
  return d;
}

Result<std::optional<std::string>> getString(const rapidjson::Value& obj, const char* field) {
  auto it = obj.FindMember(field);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::optional<std::string>{};
  if (!it->value.IsString()) return Error{400, std::string("field ") + field + " must be a string"};
  return std::optional<std::string>(std::string(it->value.GetString(), it->value.GetStringLength()));
}

Result<std::optional<int64_t>> getInt(const rapidjson::Value& obj, const char* field) {
  auto it = obj.FindMember(field);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::optional<int64_t>{};
  if (!it->value.IsInt64()) return Error{400, std::string("field ") + field + " must be an integer"};
  return std::optional<int64_t>(it->value.GetInt64());
}

Result<std::optional<bool>> getBool(const rapidjson::Value& obj, const char* field) {
  auto it = obj.FindMember(field);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::optional<bool>{};
  if (!it->value.IsBool()) return Error{400, std::string("field ") + field + " must be a boolean"};
  return std::optional<bool>(it->value.GetBool());
}

bool isJsonValue(std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  return !d.HasParseError();
}

}  // namespace cdnlab::lambda

// Typed JSON readers for request bodies and persisted records (see json.h).
#include "lambda/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace cdnlab::lambda {

Result<rapidjson::Document> parseObject(std::string_view body) {
  rapidjson::Document d;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    d.SetObject();
    return d;
  }
  // Iterative: a request body is up to 6 MB from any client, and the recursive parser would
  // overflow the stack on a few MB of '['. Nothing walks the tree recursively afterwards.
  d.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (d.HasParseError()) {
    return Error{400, std::string("Could not parse request body into json: ") +
                          rapidjson::GetParseError_En(d.GetParseError()) + " at offset " +
                          std::to_string(d.GetErrorOffset())};
  }
  if (!d.IsObject()) return Error{400, "Could not parse request body into json: the body must be a JSON object"};
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
  // Syntax only, iteratively and without building a document: an invoke payload of 6 MB of '['
  // is valid JSON to judge, not a reason to overflow the stack.
  rapidjson::MemoryStream in(body.data(), body.size());
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::Reader reader;
  return !reader.Parse<rapidjson::kParseIterativeFlag>(in, ignore).IsError();
}

}  // namespace cdnlab::lambda

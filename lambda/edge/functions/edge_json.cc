// The built-in edge functions' shared event handling (edge_json.h).
#include "lambda/edge/functions/edge_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "common/json_depth.h"

namespace cdnlab::lambda::edge::functions {

using rapidjson::Value;

int fail(const cdnlab_native_context* ctx, const char* type, const char* message) {
  ctx->set_error(ctx->host, type, message);
  return CDNLAB_NATIVE_ERROR;
}

bool EdgeEventDoc::parse(const cdnlab_native_context* ctx, const char* event, size_t len) {
  // An event can come from any client through the Lambda Invoke API; the parse and answer()'s
  // Writer recurse per level. Events of at most kMaxRecursiveJsonDepth bytes skip the scan.
  if (jsonNestsDeeperThan(std::string_view(event, len), kMaxRecursiveJsonDepth)) {
    return fail(ctx, "InvalidEvent", "the event nests arrays and objects too deep"), false;
  }
  doc_.Parse(event, len);
  if (doc_.HasParseError() || !doc_.IsObject()) return fail(ctx, "InvalidEvent", "the event is not a JSON object"), false;
  auto records = doc_.FindMember("Records");
  if (records == doc_.MemberEnd() || !records->value.IsArray() || records->value.Empty() || !records->value[0].IsObject()) {
    return fail(ctx, "InvalidEvent", "the event has no Records[0]"), false;
  }
  auto cf = records->value[0].FindMember("cf");
  if (cf == records->value[0].MemberEnd() || !cf->value.IsObject()) return fail(ctx, "InvalidEvent", "Records[0].cf is missing"), false;
  auto req = cf->value.FindMember("request");
  if (req == cf->value.MemberEnd() || !req->value.IsObject()) return fail(ctx, "InvalidEvent", "cf.request is missing"), false;
  request_ = &req->value;
  if (!request_->HasMember("headers") || !(*request_)["headers"].IsObject()) {
    return fail(ctx, "InvalidEvent", "cf.request.headers is missing"), false;
  }
  auto resp = cf->value.FindMember("response");
  if (resp != cf->value.MemberEnd()) {
    if (!resp->value.IsObject() || !resp->value.HasMember("headers") || !resp->value["headers"].IsObject()) {
      return fail(ctx, "InvalidEvent", "cf.response.headers is missing"), false;
    }
    response_ = &resp->value;
  }
  auto config = cf->value.FindMember("config");
  if (config != cf->value.MemberEnd() && config->value.IsObject()) {
    auto et = config->value.FindMember("eventType");
    if (et != config->value.MemberEnd() && et->value.IsString()) eventType_ = {et->value.GetString(), et->value.GetStringLength()};
  }
  return true;
}

std::optional<std::string_view> EdgeEventDoc::header(const Value& msg, std::string_view lower) {
  auto headers = msg.FindMember("headers");
  if (headers == msg.MemberEnd() || !headers->value.IsObject()) return std::nullopt;
  auto list = headers->value.FindMember(Value(rapidjson::StringRef(lower.data(), static_cast<rapidjson::SizeType>(lower.size()))));
  if (list == headers->value.MemberEnd() || !list->value.IsArray() || list->value.Empty()) return std::nullopt;
  const Value& first = list->value[0];
  if (!first.IsObject() || !first.HasMember("value") || !first["value"].IsString()) return std::nullopt;
  return std::string_view(first["value"].GetString(), first["value"].GetStringLength());
}

void EdgeEventDoc::setHeader(Value& msg, std::string_view key, std::string_view value) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  Value& headers = msg["headers"];
  Value field(rapidjson::kObjectType);
  field.AddMember("key", Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), alloc()), alloc());
  field.AddMember("value", Value(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc()), alloc());
  Value list(rapidjson::kArrayType);
  list.PushBack(field, alloc());
  auto it = headers.FindMember(Value(rapidjson::StringRef(lower.data(), static_cast<rapidjson::SizeType>(lower.size()))));
  if (it != headers.MemberEnd()) {
    it->value = list;
  } else {
    headers.AddMember(Value(lower.data(), static_cast<rapidjson::SizeType>(lower.size()), alloc()), list, alloc());
  }
}

void EdgeEventDoc::setString(Value& obj, const char* member, std::string_view value) {
  Value v(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc());
  auto it = obj.FindMember(member);
  if (it != obj.MemberEnd()) {
    it->value = v;
  } else {
    obj.AddMember(Value(member, alloc()), v, alloc());
  }
}

int EdgeEventDoc::answer(const cdnlab_native_context* ctx, const Value& v) {
  // Serialised into a buffer on this stack first (one copy into the response, no heap for a
  // typical result).
  char buffer[8192];
  rapidjson::MemoryPoolAllocator<> pool(buffer, sizeof buffer);
  using Buffer = rapidjson::GenericStringBuffer<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>>;
  Buffer sb(&pool, 4096);
  rapidjson::Writer<Buffer, rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>> w(sb, &pool);
  v.Accept(w);
  char* out = ctx->alloc_response(ctx->host, sb.GetSize());
  if (out == nullptr) return fail(ctx, "Function.ResponseSizeTooLarge", "the result is over the response limit");
  std::memcpy(out, sb.GetString(), sb.GetSize());
  return CDNLAB_NATIVE_OK;
}

Value generatedResponse(EdgeEventDoc& doc, int status, std::string_view description, std::string_view body,
                        std::string_view contentType) {
  auto& a = doc.alloc();
  Value r(rapidjson::kObjectType);
  std::string s = std::to_string(status);
  r.AddMember("status", Value(s.c_str(), a), a);
  r.AddMember("statusDescription", Value(description.data(), static_cast<rapidjson::SizeType>(description.size()), a), a);
  r.AddMember("headers", Value(rapidjson::kObjectType), a);
  if (!contentType.empty()) doc.setHeader(r, "Content-Type", contentType);
  r.AddMember("body", Value(body.data(), static_cast<rapidjson::SizeType>(body.size()), a), a);
  return r;
}

}  // namespace cdnlab::lambda::edge::functions

// Tags on functions: TagResource (POST /2017-03-31/tags/{ARN}), ListTags (GET) and
// UntagResource (DELETE ?tagKeys=...), and the Tags map CreateFunction takes. Stages: resolve
// the resource ARN to an unqualified function -> read and check the tags -> change the record
// -> persist. AWS tags functions only: a version's or an alias's ARN is refused.
#include "lambda/tags.h"

#include "lambda/codec.h"
#include "lambda/service.h"

namespace cdnlab::lambda {

ApiResult<std::map<std::string, std::string>> tagsOf(const rapidjson::Value& body, const char* field) {
  std::map<std::string, std::string> tags;
  auto it = body.FindMember(field);
  if (it == body.MemberEnd() || it->value.IsNull()) return tags;
  if (!it->value.IsObject()) return invalidRequestContent(std::string(field) + " must be a map of strings to strings");
  for (auto& m : it->value.GetObject()) {
    if (!m.value.IsString()) return invalidRequestContent(std::string(field) + " must be a map of strings to strings");
    tags[std::string(m.name.GetString(), m.name.GetStringLength())] = std::string(m.value.GetString(), m.value.GetStringLength());
  }
  if (auto e = checkTags(tags)) return *e;
  return tags;
}

namespace {

// Every value of a repeated query parameter (UntagResource sends tagKeys=a&tagKeys=b).
std::vector<std::string> queryParams(std::string_view query, std::string_view key) {
  std::vector<std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.substr(0, pair.find('=')) != key) continue;
    if (auto v = queryParam(pair, key)) out.push_back(*v);
  }
  return out;
}

}  // namespace

ApiResult<FunctionRecord*> LambdaService::requireTaggable(const std::string& resourceArn) {
  auto ref = parseFunctionRef(resourceArn);
  if (!ref || resourceArn.rfind("arn:", 0) != 0)
    return validationError(resourceArn, "resource",
                           "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:function:[a-zA-Z0-9-_]+");
  if (!ref->qualifier.empty())
    return invalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.");
  FunctionRecord* rec = registry_->find(ref->name);
  if (!rec) return resourceNotFound(notFoundMessage(options_.account, ref->name, ""));
  return rec;
}

ApiResult<http::Response> LambdaService::tagResource(const std::string& resourceArn, const http::Request& req) {
  auto rec = requireTaggable(resourceArn);
  if (!rec) return rec.error();
  auto body = parseObject(req.body);
  if (!body) return invalidRequestContent(body.error().message);
  if (!body->HasMember("Tags") || (*body)["Tags"].IsNull()) return validationError("null", "tags", "Member must not be null");
  auto tags = tagsOf(*body, "Tags");
  if (!tags) return tags.error();
  std::map<std::string, std::string> merged = (*rec)->tags;
  for (auto& [k, v] : *tags) merged[k] = v;
  if (auto e = checkTags(merged)) return *e;
  (*rec)->tags = std::move(merged);
  if (auto r = registry_->save(**rec); !r) return serviceError(r.error().message);
  return jsonResponse(204, "");
}

ApiResult<http::Response> LambdaService::listTags(const std::string& resourceArn) {
  auto rec = requireTaggable(resourceArn);
  if (!rec) return rec.error();
  JsonWriter w;
  w.startObject().key("Tags").startObject();
  for (const auto& [k, v] : (*rec)->tags) w.key(k).string(v);
  w.endObject().endObject();
  return jsonResponse(200, w.take());
}

ApiResult<http::Response> LambdaService::untagResource(const std::string& resourceArn, const http::Request& req) {
  auto rec = requireTaggable(resourceArn);
  if (!rec) return rec.error();
  std::vector<std::string> keys = queryParams(req.query, "tagKeys");
  if (keys.empty()) return validationError("null", "tagKeys", "Member must not be null");
  for (const auto& k : keys) (*rec)->tags.erase(k);  // a key the function lacks is no error
  if (auto r = registry_->save(**rec); !r) return serviceError(r.error().message);
  return jsonResponse(204, "");
}

}  // namespace cdnlab::lambda

// AWS_IAM route authorization (see iam_authorize.h).
#include "gateway/server/iam_authorize.h"

#include "gateway/json.h"
#include "gateway/mgmt/mgmt_response.h"

namespace cdnlab::gateway {
namespace {

// Every field `lower` joined with "," (SigV4's rule for repeated headers).
std::optional<std::string> joinedHeader(const http::Headers& h, std::string_view lower) {
  std::optional<std::string> out;
  for (const auto& f : h)
    if (http::equalsIgnoreCase(f.name, lower)) {
      if (out) *out += "," + f.value;
      else out = f.value;
    }
  return out;
}

// The access key of "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/execute-api/aws4_request, ...".
std::string accessKeyOf(std::string_view authorization) {
  size_t c = authorization.find("Credential=");
  if (c == std::string_view::npos) return "";
  std::string_view rest = authorization.substr(c + 11);
  return std::string(rest.substr(0, rest.find('/')));
}

}  // namespace

std::optional<IamRefusal> authorizeIam(const http::Request& req, const std::vector<auth::Credential>& keys,
                                       const std::string& accountId, int64_t nowEpochSeconds, std::string& authorizerJson) {
  auth::SignedRequest sr{req.method, req.path, req.query,
                         [&req](std::string_view n) { return joinedHeader(req.headers, n); }, req.body};
  if (auto bad = auth::verifySigV4(sr, keys, nowEpochSeconds, "execute-api")) {
    std::string type = bad->type.substr(bad->type.rfind('#') + 1);
    if (type == "MissingAuthenticationTokenException") return IamRefusal{"ForbiddenException", "Forbidden"};
    return IamRefusal{type, bad->message};
  }
  std::string key = accessKeyOf(req.headers.get("authorization").value_or(""));
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  w.StartObject();
  jkv(w, "accessKey", key);
  jkv(w, "accountId", accountId);
  jkv(w, "callerId", key);
  jkey(w, "cognitoIdentity");
  w.Null();
  jkey(w, "principalOrgId");
  w.Null();
  jkv(w, "userArn", "arn:aws:iam::" + accountId + ":user/" + key);
  jkv(w, "userId", key);
  w.EndObject();
  authorizerJson.assign(b.GetString(), b.GetSize());
  return std::nullopt;
}

http::Response iamRefusalResponse(const IamRefusal& r) {
  http::Response resp = messageResponse(403, r.message);
  resp.headers.set("x-amzn-ErrorType", r.type);
  return resp;
}

std::optional<auth::Credential> parseIamKey(const std::string& spec) {
  size_t colon = spec.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) return std::nullopt;
  return auth::Credential{spec.substr(0, colon), spec.substr(colon + 1)};
}

}  // namespace cdnlab::gateway

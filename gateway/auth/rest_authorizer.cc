// REST API Lambda authorizers: identity, events, answers, policy (see rest_authorizer.h).
#include "gateway/auth/rest_authorizer.h"

#include <rapidjson/document.h>

#include <regex>

#include "gateway/auth/cognito_authorizer.h"
#include "gateway/json.h"

namespace cdnlab::gateway {
namespace {

constexpr std::string_view kHeader = "method.request.header.";
constexpr std::string_view kQuery = "method.request.querystring.";
constexpr std::string_view kStage = "stageVariables.";
constexpr std::string_view kContext = "context.";

bool startsWith(std::string_view s, std::string_view p) { return s.size() > p.size() && s.substr(0, p.size()) == p; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool actionMatches(const std::vector<std::string>& actions) {
  for (const auto& a : actions)
    if (arnPatternMatches(a, "execute-api:Invoke")) return true;
  return false;
}

}  // namespace

std::vector<std::string> splitIdentitySources(std::string_view identitySource) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= identitySource.size()) {
    size_t comma = identitySource.find(',', i);
    if (comma == std::string_view::npos) comma = identitySource.size();
    std::string_view part = trim(identitySource.substr(i, comma - i));
    if (!part.empty()) out.emplace_back(part);
    i = comma + 1;
  }
  return out;
}

Result<bool> checkRestAuthorizer(const RestAuthorizer& a) {
  if (a.name.empty()) return Error{400, "Invalid input: name is required"};
  if (a.type != "TOKEN" && a.type != "REQUEST" && a.type != "COGNITO_USER_POOLS")
    return Error{400, "Invalid authorizer type '" + a.type + "' (TOKEN, REQUEST, COGNITO_USER_POOLS)"};
  if (a.authorizerResultTtlInSeconds < 0 || a.authorizerResultTtlInSeconds > 3600)
    return Error{400, "Invalid authorizer TTL: authorizerResultTtlInSeconds must be between 0 and 3600"};
  auto sources = splitIdentitySources(a.identitySource);
  if (a.type == "COGNITO_USER_POOLS") {
    if (a.providerARNs.empty()) return Error{400, "ProviderARNs need to be specified for COGNITO_USER_POOLS authorizers"};
    if (a.providerARNs.size() > 1000) return Error{400, "Too many provider ARNs: at most 1000 user pools per authorizer"};
    for (const auto& arn : a.providerARNs)
      if (auto p = cognitoUserPoolOf(arn); !p) return p.error();
  } else if (a.authorizerUri.rfind("arn:aws:apigateway:", 0) != 0 || a.authorizerUri.find(":lambda:path/") == std::string::npos) {
    return Error{400, "Invalid Authorizer URI: " + a.authorizerUri +
                          ". Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation."};
  }
  if (a.type != "REQUEST") {  // TOKEN and COGNITO_USER_POOLS read one header
    if (sources.size() != 1 || !startsWith(sources[0], kHeader))
      return Error{400, "Invalid identity source for " + a.type + " authorizer: '" + a.identitySource +
                            "' (one method.request.header.<name>)"};
  } else {
    if (sources.empty() && a.authorizerResultTtlInSeconds > 0)
      return Error{400, "Identity source must be specified when caching is enabled for a REQUEST authorizer"};
    for (const auto& s : sources)
      if (!startsWith(s, kHeader) && !startsWith(s, kQuery) && !startsWith(s, kStage) && !startsWith(s, kContext))
        return Error{400, "Invalid identity source '" + s +
                              "' (method.request.header.<name>, method.request.querystring.<name>, "
                              "stageVariables.<name>, context.<name>)"};
  }
  if (!a.identityValidationExpression.empty()) {
    if (a.type == "REQUEST") return Error{400, "identityValidationExpression applies to TOKEN and COGNITO_USER_POOLS authorizers only"};
    if (a.identityValidationExpression.size() > 512) return Error{400, "Invalid identityValidationExpression: longer than 512"};
    try {  // std::regex reports a bad pattern only by throwing; caught here when it is defined
      std::regex re(a.identityValidationExpression, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      return Error{400, "Invalid identityValidationExpression: " + a.identityValidationExpression};
    }
  }
  return true;
}

std::optional<std::vector<std::string>> resolveRestIdentity(const std::vector<std::string>& sources,
                                                            const RestIdentityInputs& in) {
  std::vector<std::string> out;
  out.reserve(sources.size());
  for (const auto& s : sources) {
    std::string_view src(s);
    std::string v;
    if (startsWith(src, kHeader)) {
      if (in.headers)
        if (auto h = in.headers->get(src.substr(kHeader.size()))) v = std::string(*h);
    } else if (startsWith(src, kQuery)) {
      if (in.query)
        if (auto* values = queryValues(*in.query, src.substr(kQuery.size()))) v = values->front();
    } else if (startsWith(src, kStage)) {
      if (in.stageVariables)
        if (auto it = in.stageVariables->find(std::string(src.substr(kStage.size()))); it != in.stageVariables->end())
          v = it->second;
    } else if (startsWith(src, kContext)) {
      if (in.context) v = in.context(src.substr(kContext.size()));
    }
    if (v.empty()) return std::nullopt;
    out.push_back(std::move(v));
  }
  return out;
}

std::string buildTokenAuthorizerEvent(std::string_view token, std::string_view methodArn) {
  return renderJson([&](JsonWriter& w) {
    w.StartObject();
    jkv(w, "type", "TOKEN");
    jkv(w, "authorizationToken", token);
    jkv(w, "methodArn", methodArn);
    w.EndObject();
  });
}

std::string buildRequestAuthorizerEvent(std::string_view restProxyEvent, std::string_view methodArn) {
  rapidjson::Document event;
  event.Parse(restProxyEvent.data(), restProxyEvent.size());
  return renderJson([&](JsonWriter& w) {
    w.StartObject();
    jkv(w, "type", "REQUEST");
    jkv(w, "methodArn", methodArn);
    if (event.IsObject())
      for (auto it = event.MemberBegin(); it != event.MemberEnd(); ++it) {
        std::string_view name(it->name.GetString(), it->name.GetStringLength());
        if (name == "body" || name == "isBase64Encoded") continue;
        jkey(w, name);
        it->value.Accept(w);
      }
    w.EndObject();
  });
}

Result<AuthorizerVerdict> readRestAuthorizerAnswer(std::string_view body) {
  auto verdict = readAuthorizerResponse(body, false);
  if (!verdict) return verdict.error();
  AuthorizerVerdict out = std::move(*verdict);
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());  // parsed once already: an object
  if (auto it = doc.FindMember("usageIdentifierKey"); it != doc.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsString()) return Error{500, "authorizer answer: usageIdentifierKey must be a string"};
    out.usageIdentifierKey.assign(it->value.GetString(), it->value.GetStringLength());
  }
  rapidjson::Document ctx;
  ctx.Parse(out.contextJson.c_str());
  if (ctx.IsObject())
    for (auto it = ctx.MemberBegin(); it != ctx.MemberEnd(); ++it)
      if (it->value.IsObject() || it->value.IsArray())
        return Error{500, std::string("authorizer answer: context value '") + it->name.GetString() +
                              "' must be a string, number or boolean (API Gateway refuses objects and lists)"};
  return out;
}

PolicyDecision evaluatePolicy(const AuthorizerVerdict& v, std::string_view methodArn) {
  bool allowed = false;
  for (const auto& s : v.statements) {
    if (!actionMatches(s.actions)) continue;
    bool hit = false;
    for (const auto& r : s.resources) hit = hit || arnPatternMatches(r, methodArn);
    if (!hit) continue;
    if (!s.allow) return PolicyDecision::ExplicitDeny;
    allowed = true;
  }
  return allowed ? PolicyDecision::Allow : PolicyDecision::NotAllowed;
}

vtl::Value authorizerContextValue(const AuthorizerVerdict& v) {
  vtl::Value out = vtl::Value::map();
  rapidjson::Document ctx;
  ctx.Parse(v.contextJson.c_str());
  if (ctx.IsObject())
    for (auto it = ctx.MemberBegin(); it != ctx.MemberEnd(); ++it) {
      const auto& val = it->value;
      vtl::Value x;
      if (val.IsString()) x = vtl::Value(std::string(val.GetString(), val.GetStringLength()));
      else if (val.IsBool()) x = vtl::Value(val.GetBool());
      else if (val.IsInt64()) x = vtl::Value(val.GetInt64());
      else if (val.IsNumber()) x = vtl::Value(val.GetDouble());
      out.asMap().put(it->name.GetString(), x);
    }
  out.asMap().put("principalId", vtl::Value(v.principalId));
  return out;
}

}  // namespace cdnlab::gateway

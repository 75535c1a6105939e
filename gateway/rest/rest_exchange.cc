// The REST request's template inputs and exits (see rest_exchange.h).
#include "gateway/rest/rest_exchange.h"

#include "common/log.h"
#include "gateway/json.h"
#include "gateway/rest/rest_event.h"
#include "gateway/server/gateway_server.h"

namespace cdnlab::gateway {

using vtl::Value;

Value paramsOf(const RestExchange& x) {
  const auto& req = x.ctx->request();
  Value all = Value::map(), path = Value::map(), query = Value::map(), header = Value::map();
  for (const auto& [k, v] : x.match.pathParameters) path.asMap().put(k, Value(v));
  for (const auto& [k, values] : x.query) query.asMap().put(k, Value(values.front()));
  for (const auto& h : req.headers) header.asMap().put(h.name, Value(h.value));
  all.asMap().put("path", path);
  all.asMap().put("querystring", query);
  all.asMap().put("header", header);
  return all;
}

CallerIdentity callerOf(const RestExchange& x) {
  CallerIdentity c;
  if (x.iamAuthorizerJson.empty()) return c;
  rapidjson::Document d;  // the IAM verifier's own JSON (iam_authorize.h)
  d.Parse(x.iamAuthorizerJson.data(), x.iamAuthorizerJson.size());
  auto member = [&d](const char* n) {
    return d.IsObject() && d.HasMember(n) && d[n].IsString() ? std::string(d[n].GetString(), d[n].GetStringLength()) : "";
  };
  c.accessKey = member("accessKey");
  c.accountId = member("accountId");
  c.caller = member("callerId");
  c.user = member("userId");
  c.userArn = member("userArn");
  return c;
}

Value contextOf(const RestExchange& x) {
  const auto& req = x.ctx->request();
  Value c = Value::map();
  auto& m = c.asMap();
  m.put("accountId", Value(x.gw->options().accountId));
  m.put("apiId", Value(x.api ? x.api->id : x.target.apiId));
  m.put("domainName", Value(x.target.domainName));
  m.put("domainPrefix", Value(x.target.domainName.substr(0, x.target.domainName.find('.'))));
  m.put("extendedRequestId", Value(x.requestId));
  m.put("httpMethod", Value(req.method));
  m.put("path", Value(x.target.path));
  m.put("protocol", Value(req.httpMinor == 0 ? "HTTP/1.0" : "HTTP/1.1"));
  m.put("requestId", Value(x.requestId));
  m.put("requestTime", Value(clfTime(x.timeMs)));
  m.put("requestTimeEpoch", Value(x.timeMs));
  m.put("resourceId", Value(x.match.resource ? x.match.resource->id : ""));
  m.put("resourcePath", Value(x.match.resource ? x.match.resource->path : ""));
  m.put("stage", Value(x.stage ? x.stage->name : ""));
  Value id = Value::map();
  id.asMap().put("sourceIp", Value(req.peer.substr(0, req.peer.rfind(':'))));
  id.asMap().put("userAgent", Value(std::string(req.headers.get("user-agent").value_or(""))));
  id.asMap().put("apiKey", Value(x.apiKeyValue));
  id.asMap().put("apiKeyId", Value(x.apiKeyId));
  CallerIdentity caller = callerOf(x);
  id.asMap().put("accessKey", Value(caller.accessKey));
  id.asMap().put("accountId", Value(caller.accountId));
  id.asMap().put("caller", Value(caller.caller));
  id.asMap().put("user", Value(caller.user));
  id.asMap().put("userArn", Value(caller.userArn));
  for (const char* k : {"cognitoAuthenticationProvider", "cognitoAuthenticationType", "cognitoIdentityId",
                        "cognitoIdentityPoolId", "principalOrgId"})
    id.asMap().put(k, Value(""));
  m.put("identity", id);
  Value authorizer = x.authorizer ? authorizerContextValue(*x.authorizer) : Value::map();
  if (x.authorizer) authorizer.asMap().put("integrationLatency", Value(x.authorizerLatencyMs));
  if (x.cognito)  // $context.authorizer.claims.<name>: our own JSON of strings
    if (auto claims = vtl::parseJsonValue(x.cognito->claimsJson)) authorizer.asMap().put("claims", *claims);
  if (!x.authorizerError.empty()) authorizer.asMap().put("error", Value(x.authorizerError));
  m.put("authorizer", authorizer);
  Value over = Value::map();
  over.asMap().put("header", Value::map());
  m.put("responseOverride", over);
  Value reqOver = Value::map();
  reqOver.asMap().put("header", Value::map());
  reqOver.asMap().put("querystring", Value::map());
  reqOver.asMap().put("path", Value::map());
  m.put("requestOverride", reqOver);
  return c;
}

Value stageVariablesOf(const RestExchange& x) {
  Value v = Value::map();
  if (x.stage)
    for (const auto& [k, s] : x.stage->variables) v.asMap().put(k, Value(s));
  return v;
}

std::optional<std::string> mappingSource(const RestExchange& x, std::string_view src) {
  const auto& req = x.ctx->request();
  auto after = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (src.size() > prefix.size() && src.substr(0, prefix.size()) == prefix) return src.substr(prefix.size());
    return std::nullopt;
  };
  if (src.size() >= 2 && src.front() == '\'' && src.back() == '\'') return std::string(src.substr(1, src.size() - 2));
  if (auto n = after("method.request.path.")) {
    for (const auto& [k, v] : x.match.pathParameters)
      if (k == *n) return v;
    return std::nullopt;
  }
  if (auto n = after("method.request.querystring.")) {
    if (auto* values = queryValues(x.query, *n)) return values->front();
    return std::nullopt;
  }
  if (auto n = after("method.request.header.")) {
    if (auto v = req.headers.get(*n)) return std::string(*v);
    return std::nullopt;
  }
  if (auto n = after("stageVariables.")) {
    if (!x.stage) return std::nullopt;
    auto it = x.stage->variables.find(std::string(*n));
    if (it != x.stage->variables.end()) return it->second;
    return std::nullopt;
  }
  if (auto n = after("context.")) {
    // A dotted path into $context ("context.identity.sourceIp", "context.authorizer.principalId").
    Value at = contextOf(x);
    std::string_view rest = *n;
    while (!rest.empty()) {
      size_t dot = rest.find('.');
      std::string_view part = rest.substr(0, dot);
      const Value* next = at.isMap() ? at.asMap().find(part) : nullptr;
      if (!next) return std::nullopt;
      at = *next;
      rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
    if (at.isNull() || at.isMap() || at.isList()) return std::nullopt;
    return vtl::toText(at);
  }
  return std::nullopt;
}

ProxyRequest proxyRequestOf(const RestExchange& x) {
  const auto& req = x.ctx->request();
  ProxyRequest p = clientProxyRequest(req);
  p.rawPath = x.restPath;
  p.accountId = x.gw->options().accountId;
  p.apiId = x.api->id;
  p.domainName = x.target.domainName;
  p.domainPrefix = x.target.domainName.substr(0, x.target.domainName.find('.'));
  p.stage = x.stage->name;
  p.routeKey = req.method + " " + x.match.resource->path;
  p.routeId = x.match.resource->id;
  p.resourcePath = x.match.resource->path;
  p.requestId = x.requestId;
  p.extendedRequestId = x.requestId;
  p.timeEpochMs = x.timeMs;
  p.pathParameters = x.match.pathParameters;
  p.stageVariables = &x.stage->variables;
  if (x.authorizer) p.authorizerJson = integrationAuthorizerJson(*x.authorizer, "1.0", x.authorizerLatencyMs);
  if (x.cognito) p.authorizerJson = cognitoAuthorizerJson(*x.cognito);
  return p;
}

std::string restProxyEventOf(const RestExchange& x) {
  RestEventExtras extras{x.restPath, x.target.path, x.apiKeyValue, x.apiKeyId, callerOf(x)};
  return buildRestProxyEvent(proxyRequestOf(x), extras);
}

void finish(const RestExchangePtr& x, http::Response resp) {
  resp.headers.set("x-amzn-RequestId", x->requestId);
  x->ctx->respond(std::move(resp));
}

void failWith(const RestExchangePtr& x, GatewayError e) {
  GatewayResponseInputs in;
  in.context = contextOf(*x);
  in.stageVariables = stageVariablesOf(*x);
  in.params = paramsOf(*x);
  in.source = [xp = x.get()](std::string_view s) { return mappingSource(*xp, s); };
  std::string why;
  const GatewayResponseMap* custom = x->stage ? x->stage->gatewayResponses.get() : nullptr;
  http::Response r = renderGatewayResponse(custom, e, std::move(in), &why);
  if (!why.empty()) LOG_INFO("gateway: rest %s: %s", x->target.apiId.c_str(), why.c_str());
  finish(x, std::move(r));
}

}  // namespace cdnlab::gateway

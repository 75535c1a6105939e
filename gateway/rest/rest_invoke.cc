// REST API invoke path (see rest_invoke.h). One RestExchange per request (rest_exchange.h) carries
// what the stages learn to the integration's callback; every answer leaves through finish() or
// failWith().
#include "gateway/rest/rest_invoke.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

#include "common/clock.h"
#include "common/log.h"
#include "common/percent_encode.h"
#include "gateway/integrations/aws_service.h"
#include "gateway/integrations/http_proxy_mapping.h"
#include "gateway/integrations/lambda_invoke.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/integrations/proxy_event.h"
#include "gateway/json.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/rest/rest_authorize.h"
#include "gateway/rest/decimal.h"
#include "gateway/rest/header_field.h"
#include "gateway/rest/rest_exchange.h"
#include "gateway/rest/rest_routing.h"
#include "gateway/routing/route_table.h"
#include "gateway/server/gateway_server.h"
#include "gateway/vtl/renderer.h"

namespace cdnlab::gateway {
namespace {

using vtl::Value;

using ExchangePtr = RestExchangePtr;


// Renders `tpl` over `body`; a template error is logged and answered (400 for a body that is
// not JSON, 500 otherwise) and nullopt returned.
std::optional<std::string> renderOrAnswer(const ExchangePtr& x, const vtl::Template& tpl, std::string_view body,
                                          Value& context) {
  vtl::RenderInput in;
  in.body = body;
  in.params = paramsOf(*x);
  in.context = context;
  in.stageVariables = stageVariablesOf(*x);
  auto r = vtl::render(tpl, in);
  if (!r) {
    LOG_INFO("gateway: rest %s %s: mapping template: %s", x->api->id.c_str(), x->target.path.c_str(),
             r.error().message.c_str());
    if (r.error().code == 400) {
      std::string msg = r.error().message;
      size_t at = msg.find("Could not parse request body into json");
      failWith(x, GatewayError{"BAD_REQUEST_BODY", at == std::string::npos ? msg : msg.substr(at)});
    } else {
      failWith(x, GatewayError{"API_CONFIGURATION_ERROR", "Internal server error"});
    }
    return std::nullopt;
  }
  return std::move(r.value());
}

// The integration request body: the selected template rendered, or the body passed through.
std::optional<std::string> integrationRequestBody(const ExchangePtr& x, Value& context) {
  const auto& req = x->ctx->request();
  std::string_view ct = req.headers.get("content-type").value_or("");
  TemplateChoice c = chooseRequestTemplate(*x->match.method, ct);
  if (c.kind == TemplateChoice::Kind::Unsupported) {
    failWith(x, GatewayError{"UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type"});
    return std::nullopt;
  }
  if (c.kind == TemplateChoice::Kind::Passthrough) return req.body;
  return renderOrAnswer(x, *c.tpl, req.body, context);
}

// Integration response: select by `selector`, render the response template, apply
// responseParameters and $context.responseOverride, store in the stage cache when asked.
void respondMapped(const ExchangePtr& x, const CompiledIntegrationResponse* ir, const http::Headers* backendHeaders,
                   std::string_view backendBody) {
  if (!ir) {
    LOG_INFO("gateway: rest %s %s: no integration response matches and none is the default", x->api->id.c_str(),
             x->target.path.c_str());
    return failWith(x, GatewayError{"API_CONFIGURATION_ERROR", "Internal server error"});
  }
  Value context = contextOf(*x);
  auto [contentType, tpl] = chooseResponseTemplate(*ir);
  std::string body;
  if (tpl) {
    auto rendered = renderOrAnswer(x, *tpl, backendBody, context);
    if (!rendered) return;
    body = std::move(*rendered);
  } else {
    body = std::string(backendBody);
  }
  http::Response resp;
  resp.status = parseNumber<int>(ir->config.statusCode).value_or(500);  // checked when the method was put
  resp.headers.set("Content-Type", contentType);
  for (const auto& [target, source] : ir->config.responseParameters) {
    static const std::string kPrefix = "method.response.header.";
    if (target.rfind(kPrefix, 0) != 0) continue;
    std::string name = target.substr(kPrefix.size());
    if (source.size() >= 2 && source.front() == '\'' && source.back() == '\'') {
      resp.headers.set(name, source.substr(1, source.size() - 2));
    } else if (source.rfind("integration.response.header.", 0) == 0 && backendHeaders) {
      if (auto v = backendHeaders->get(source.substr(28))) resp.headers.set(name, *v);
    } else if (source == "integration.response.body") {
      resp.headers.set(name, std::string(backendBody.substr(0, 8192)));
    }
  }
  if (const Value* over = context.asMap().find("responseOverride"); over && over->isMap()) {
    if (const Value* s = over->asMap().find("status"); s && (s->isInt() || s->isString())) {
      // A template's value: a number, or text that must be one ("abc" leaves the status as it is).
      int64_t st = s->isInt() ? s->asInt() : parseNumber<int64_t>(s->asString()).value_or(0);
      if (st >= 100 && st <= 599) resp.status = static_cast<int>(st);
    }
    if (const Value* h = over->asMap().find("header"); h && h->isMap())
      for (const auto& [k, v] : h->asMap().entries)
        if (safeHeaderField(k, vtl::toText(v))) resp.headers.set(k, vtl::toText(v));
  }
  if (!x->cacheKey.empty() && x->stage->cache && resp.status >= 200 && resp.status < 300) {
    CachedAnswer a;
    a.status = resp.status;
    for (const auto& h : resp.headers) a.headers.emplace_back(h.name, h.value);
    a.body = body;
    x->stage->cache->put(x->cacheKey, std::move(a), x->match.method->settings.cacheTtlInSeconds,
                         SystemClock::instance().nowNs());
  }
  resp.body = Buffer(std::move(body));
  finish(x, std::move(resp));
}

void invokeMock(const ExchangePtr& x) {
  Value context = contextOf(*x);
  auto body = integrationRequestBody(x, context);
  if (!body) return;
  // A mock answers with the statusCode its request template wrote ({"statusCode": 200}); 200 without one.
  int status = 200;
  rapidjson::Document doc;
  if (!body->empty() && !doc.Parse(body->data(), body->size()).HasParseError() && doc.IsObject() &&
      doc.HasMember("statusCode") && doc["statusCode"].IsInt())
    status = doc["statusCode"].GetInt();
  respondMapped(x, selectIntegrationResponse(*x->match.method, std::to_string(status)), nullptr, "");
}

void integrationError(const ExchangePtr& x, const std::string& why, bool timedOut) {
  LOG_INFO("gateway: rest %s %s: integration failed: %s", x->api->id.c_str(), x->target.path.c_str(), why.c_str());
  if (timedOut) return failWith(x, GatewayError{"INTEGRATION_TIMEOUT", "Endpoint request timed out"});
  // AWS answers a failed integration call 500 "Internal server error" (INTEGRATION_FAILURE's own
  // default, 504, is what a customisation of that type changes).
  failWith(x, GatewayError{"INTEGRATION_FAILURE", "Internal server error", 500});
}

void invokeDynamoDb(const ExchangePtr& x, const AwsServiceTarget& t) {
  const auto& ep = x->gw->storeEndpoint();
  if (!ep) return integrationError(x, "no store endpoint configured (--store-endpoint)", false);
  if (!isDynamoDbAction(t.action)) return integrationError(x, "DynamoDB action " + t.action + " is not served", false);
  Value context = contextOf(*x);
  auto body = integrationRequestBody(x, context);
  if (!body) return;
  std::optional<auth::Credential> cred;
  const char* ak = std::getenv("AWS_ACCESS_KEY_ID");
  const char* sk = std::getenv("AWS_SECRET_ACCESS_KEY");
  if (ak && sk && *ak && *sk) cred = auth::Credential{ak, sk};
  http::ClientRequest cr = dynamoDbRequest(ep->host, ep->port, t.action, std::move(*body), t.region, cred, wallMs() / 1000);
  cr.responseTimeoutMs = static_cast<uint64_t>(x->match.method->config.integration->timeoutInMillis);
  WorkerState& ws = x->gw->worker(x->ctx->workerIndex());
  ws.client->request(std::move(cr), [x](Result<http::ClientResponse> r) {
    if (!r) {
      auto code = static_cast<http::ClientError>(r.error().code);
      return integrationError(x, "store: " + r.error().message, code == http::ClientError::ResponseTimeout);
    }
    std::string_view body(r->body.data(), r->body.size());
    respondMapped(x, selectIntegrationResponse(*x->match.method, std::to_string(r->status)), &r->headers, body);
  });
}

// The function an integration URI names, or nullopt when it was answered (no --lambda-endpoint,
// a URI that names no function).
std::optional<LambdaTarget> lambdaTargetOf(const ExchangePtr& x, const std::string& uri) {
  if (!x->gw->lambdaEndpoint()) {
    integrationError(x, "no Lambda endpoint configured (--lambda-endpoint)", false);
    return std::nullopt;
  }
  auto target = resolveLambdaUri(uri);
  if (!target) {
    integrationError(x, target.error().message, false);
    return std::nullopt;
  }
  return *target;
}

// Invokes `target` with `payload` within the integration's timeout; a transport error is answered
// here (504 on a timeout), the Invoke API's answer goes to `onAnswer`.
template <typename Fn>
void invokeLambda(const ExchangePtr& x, const LambdaTarget& target, std::string payload, Fn onAnswer) {
  http::ClientRequest cr = lambdaInvokeRequest(*x->gw->lambdaEndpoint(), target, std::move(payload),
                                               static_cast<uint64_t>(x->match.method->config.integration->timeoutInMillis));
  WorkerState& ws = x->gw->worker(x->ctx->workerIndex());
  ws.client->request(std::move(cr), [x, onAnswer = std::move(onAnswer)](Result<http::ClientResponse> r) {
    if (!r) {
      auto code = static_cast<http::ClientError>(r.error().code);
      return integrationError(x, "Lambda invoke: " + r.error().message, code == http::ClientError::ResponseTimeout);
    }
    onAnswer(*r);
  });
}

// Lambda behind an AWS (custom) integration: the rendered template is the payload; a function
// error selects its integration response by the error message.
void invokeLambdaCustom(const ExchangePtr& x, const std::string& functionUri) {
  auto target = lambdaTargetOf(x, functionUri);
  if (!target) return;
  Value context = contextOf(*x);
  auto payload = integrationRequestBody(x, context);
  if (!payload) return;
  invokeLambda(x, *target, std::move(*payload), [x](http::ClientResponse& r) {
    std::string_view body(r.body.data(), r.body.size());
    if (r.status != 200) return integrationError(x, "Lambda invoke answered " + std::to_string(r.status), false);
    const CompiledRestMethod& m = *x->match.method;
    if (r.headers.get("x-amz-function-error")) {
      std::string message;
      rapidjson::Document doc;
      if (!doc.Parse(body.data(), body.size()).HasParseError() && doc.IsObject() && doc.HasMember("errorMessage") &&
          doc["errorMessage"].IsString())
        message = doc["errorMessage"].GetString();
      return respondMapped(x, selectIntegrationResponse(m, message), &r.headers, body);
    }
    const CompiledIntegrationResponse* def = nullptr;
    for (const auto& ir : m.responses)
      if (!ir.pattern) def = &ir;
    if (!def && !m.responses.empty()) def = &m.responses.front();
    respondMapped(x, def, &r.headers, body);
  });
}

void invokeLambdaProxy(const ExchangePtr& x, const std::string& uri) {
  std::string resolved = uri;
  for (const auto& [k, v] : x->stage->variables) {
    std::string ref = "${stageVariables." + k + "}";
    for (size_t p; (p = resolved.find(ref)) != std::string::npos;) resolved.replace(p, ref.size(), v);
  }
  auto target = lambdaTargetOf(x, resolved);
  if (!target) return;
  invokeLambda(x, *target, restProxyEventOf(*x), [x](http::ClientResponse& r) {
    std::string_view body(r.body.data(), r.body.size());
    if (r.status != 200 || r.headers.get("x-amz-function-error")) {
      LOG_INFO("gateway: rest %s: Lambda proxy: function error or status %d", x->api->id.c_str(), r.status);
      return failWith(x, GatewayError{"INTEGRATION_FAILURE", "Internal server error", 502});
    }
    auto resp = readProxyResponse(body, "1.0");
    if (!resp) {
      LOG_INFO("gateway: rest %s: %s", x->api->id.c_str(), resp.error().message.c_str());
      return failWith(x, GatewayError{"INTEGRATION_FAILURE", "Internal server error", 502});
    }
    finish(x, std::move(*resp));
  });
}

// HTTP and HTTP_PROXY: the URI's {name} from integration.request.path.<name> mappings (else the
// method's path parameter of that name), mapped query strings and headers; HTTP_PROXY also
// forwards the client's query string, headers and body, and answers with the upstream's answer;
// HTTP sends the rendered template and maps the answer through the integration responses.
void invokeHttp(const ExchangePtr& x, bool proxy) {
  const RestIntegration& in = *x->match.method->config.integration;
  const auto& req = x->ctx->request();
  std::map<std::string, std::string> pathVars, qs, headers;
  for (const auto& [k, v] : x->match.pathParameters) pathVars[k] = v;
  for (const auto& [target, src] : in.requestParameters) {
    auto v = mappingSource(*x, src);
    if (!v) continue;
    if (target.rfind("integration.request.path.", 0) == 0) pathVars[target.substr(25)] = *v;
    else if (target.rfind("integration.request.querystring.", 0) == 0) qs[target.substr(32)] = *v;
    else if (target.rfind("integration.request.header.", 0) == 0) headers[target.substr(27)] = *v;
  }
  std::string url = in.uri;
  for (const auto& [k, v] : x->stage->variables) {
    std::string ref = "${stageVariables." + k + "}";
    for (size_t p; (p = url.find(ref)) != std::string::npos;) url.replace(p, ref.size(), v);
  }
  for (const auto& [k, v] : pathVars) {
    for (const std::string& ref : {"{" + k + "+}", "{" + k + "}"}) {
      bool greedy = ref.size() > 2 && ref[ref.size() - 2] == '+';
      for (size_t p; (p = url.find(ref)) != std::string::npos;) url.replace(p, ref.size(), percentEncode(v, greedy || k == "proxy"));
    }
  }
  size_t scheme = url.find("://");
  if (url.rfind("http://", 0) != 0) return integrationError(x, "HTTP integration " + in.uri + ": only http:// upstreams", false);
  size_t slash = url.find('/', scheme + 3);
  auto ep = parseHttpEndpoint(slash == std::string::npos ? url : url.substr(0, slash));
  if (!ep) return integrationError(x, "HTTP integration " + url + ": " + ep.error().message, false);
  std::string target = slash == std::string::npos ? "/" : url.substr(slash);
  std::string extraQuery;
  if (proxy && !req.query.empty()) extraQuery = req.query;
  for (const auto& [k, v] : qs)
    extraQuery += (extraQuery.empty() ? "" : "&") + percentEncode(k, false) + "=" + percentEncode(v, false);
  if (!extraQuery.empty()) target += (target.find('?') == std::string::npos ? "?" : "&") + extraQuery;
  http::ClientRequest cr;
  cr.host = ep->host;
  cr.port = ep->port;
  cr.method = in.httpMethod.empty() || in.httpMethod == "ANY" ? req.method : in.httpMethod;
  cr.target = target;
  std::string body;
  if (proxy) {
    for (const auto& h : req.headers)
      if (!http::equalsIgnoreCase(h.name, "host") && !http::equalsIgnoreCase(h.name, "connection") &&
          !http::equalsIgnoreCase(h.name, "content-length") && !http::equalsIgnoreCase(h.name, "transfer-encoding"))
        cr.headers.add(h.name, h.value);
    body = req.body;
  } else {
    Value context = contextOf(*x);
    auto rendered = integrationRequestBody(x, context);
    if (!rendered) return;
    body = std::move(*rendered);
    if (!body.empty()) cr.headers.add("Content-Type", std::string(req.headers.get("content-type").value_or("application/json")));
  }
  for (const auto& [k, v] : headers)
    if (safeHeaderField(k, v)) cr.headers.set(k, v);
  if (!body.empty()) cr.body = Buffer(std::move(body));
  cr.responseTimeoutMs = static_cast<uint64_t>(in.timeoutInMillis);
  WorkerState& ws = x->gw->worker(x->ctx->workerIndex());
  ws.client->request(std::move(cr), [x, proxy](Result<http::ClientResponse> r) {
    if (!r) return integrationError(x, "HTTP integration: " + r.error().message, isUpstreamTimeout(r.error()));
    if (!proxy) {
      std::string_view body(r->body.data(), r->body.size());
      return respondMapped(x, selectIntegrationResponse(*x->match.method, std::to_string(r->status)), &r->headers, body);
    }
    finish(x, passThroughResponse(std::move(*r)));
  });
}

// Stage cache: the key is the method, the resource path and the cacheKeyParameters' values.
std::string cacheKeyOf(const RestExchange& x) {
  const auto& req = x.ctx->request();
  std::string key = req.method + " " + x.match.resource->path;
  const auto& in = *x.match.method->config.integration;
  for (const auto& p : in.cacheKeyParameters) {
    std::string v;
    if (p.rfind("method.request.path.", 0) == 0) {
      for (const auto& [k, val] : x.match.pathParameters)
        if (k == p.substr(20)) v = val;
    } else if (p.rfind("method.request.querystring.", 0) == 0) {
      if (auto* values = queryValues(x.query, std::string_view(p).substr(27))) v = values->front();
    } else if (p.rfind("method.request.header.", 0) == 0) {
      v = std::string(req.headers.get(p.substr(22)).value_or(""));
    }
    key += '\n' + p + '=' + v;
  }
  return key;
}

// Stage 4, request validation (the method's request validator): required parameters, then the
// body against the model for its content type.
bool validateRequest(const ExchangePtr& x) {
  const CompiledRestMethod& m = *x->match.method;
  const MethodBindings& b = m.bindings;
  const auto& req = x->ctx->request();
  if (b.validateParameters) {
    auto missing = missingRequiredParameters(m.config.requestParameters, [&](std::string_view name) {
      return mappingSource(*x, name).has_value();
    });
    if (!missing.empty()) {
      failWith(x, GatewayError{"BAD_REQUEST_PARAMETERS", missingParametersMessage(missing)});
      return false;
    }
  }
  if (b.validateBody && !b.bodyModels.empty()) {
    std::string_view ct = req.headers.get("content-type").value_or("application/json");
    ct = ct.substr(0, ct.find(';'));
    while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
    const CompiledModel* model = nullptr;
    for (const auto& [type, mm] : b.bodyModels)
      if (http::equalsIgnoreCase(type, ct)) model = mm.get();
    if (!model)
      if (auto it = b.bodyModels.find("$default"); it != b.bodyModels.end()) model = it->second.get();
    if (model) {
      if (auto why = validateBody(*model, req.body)) {
        GatewayError e{"BAD_REQUEST_BODY", "Invalid request body"};
        e.validationErrorString = *why;
        LOG_INFO("gateway: rest %s %s: request body refused by model %s: %s", x->api->id.c_str(), x->target.path.c_str(),
                 model->name.c_str(), why->c_str());
        failWith(x, std::move(e));
        return false;
      }
    }
  }
  return true;
}

// Stage 5, API key and usage plan: the key from x-api-key, or from the authorizer's
// usageIdentifierKey when the API's key source is AUTHORIZER.
bool admitApiKey(const ExchangePtr& x) {
  const CompiledRestMethod& m = *x->match.method;
  if (!m.config.apiKeyRequired) return true;
  const auto& req = x->ctx->request();
  std::string value;
  if (x->api->apiKeySource == "HEADER") value = std::string(req.headers.get("x-api-key").value_or(""));
  else if (x->authorizer) value = x->authorizer->usageIdentifierKey;
  auto key = value.empty() ? x->snap->keysByValue.end() : x->snap->keysByValue.find(value);
  const UsagePlan* plan = nullptr;
  if (key != x->snap->keysByValue.end() && key->second.enabled)
    for (const auto& p : x->stage->plans)
      if (std::find(p->keyIds.begin(), p->keyIds.end(), key->second.id) != p->keyIds.end()) plan = p.get();
  if (!plan) {
    failWith(x, GatewayError{"INVALID_API_KEY", "Forbidden"});
    return false;
  }
  x->apiKeyId = key->second.id;
  x->apiKeyValue = value;
  switch (x->gw->restStore().usage().admit(*plan, x->apiKeyId, x->timeMs, x->startNs)) {
    case UsageVerdict::Throttled:
      failWith(x, GatewayError{"THROTTLED", "Too Many Requests"});
      return false;
    case UsageVerdict::QuotaExceeded:
      failWith(x, GatewayError{"QUOTA_EXCEEDED", "Limit Exceeded"});
      return false;
    case UsageVerdict::Admitted:
      break;
  }
  return true;
}

// Stage 7, stage cache (GET methods with caching enabled in the stage's method settings): true
// when a cached answer was sent.
bool answerFromCache(const ExchangePtr& x) {
  const CompiledRestMethod& m = *x->match.method;
  const RestIntegration& in = *m.config.integration;
  const auto& req = x->ctx->request();
  if (!x->stage->cache || !m.settings.cachingEnabled || req.method != "GET" || in.type == "AWS_PROXY" ||
      in.type == "HTTP_PROXY")  // proxy answers bypass the integration response, where answers are stored
    return false;
  x->cacheKey = cacheKeyOf(*x);
  // Cache-Control: max-age=0 invalidates the entry, but only when the method does not require
  // authorization for it (AWS asks for an execute-api:InvalidateCache permission, which the lab
  // has no IAM to grant); otherwise the header is ignored, as AWS's default strategy does.
  std::string_view cc = req.headers.get("cache-control").value_or("");
  bool invalidate = cc.find("max-age=0") != std::string_view::npos && !m.settings.requireAuthorizationForCacheControl;
  if (invalidate) {
    x->stage->cache->invalidate(x->cacheKey);
    return false;
  }
  auto hit = x->stage->cache->get(x->cacheKey, x->startNs);
  if (!hit) return false;
  http::Response r;
  r.status = hit->status;
  for (const auto& [n, v] : hit->headers) r.headers.add(n, v);
  r.body = Buffer(std::move(hit->body));
  finish(x, std::move(r));
  return true;
}

// Stage 8, the integration.
void integrate(const ExchangePtr& x) {
  const RestIntegration& in = *x->match.method->config.integration;
  if (in.type == "MOCK") return invokeMock(x);
  if (in.type == "AWS_PROXY") return invokeLambdaProxy(x, in.uri);
  if (in.type == "AWS") {
    auto t = parseAwsIntegrationUri(in.uri);
    if (!t) return integrationError(x, t.error().message, false);
    if (t->service == "dynamodb") return invokeDynamoDb(x, *t);
    if (t->service == "lambda" && !t->path.empty()) {
      std::string p = t->path;  // 2015-03-31/functions/<arn>/invocations
      return invokeLambdaCustom(x, "arn:aws:apigateway:" + t->region + ":lambda:path/" + p);
    }
    return integrationError(x, "AWS service " + t->service + " is not served by this gateway (dynamodb, lambda)", false);
  }
  if (in.type == "HTTP" || in.type == "HTTP_PROXY") return invokeHttp(x, in.type == "HTTP_PROXY");
  integrationError(x, "unknown integration type " + in.type, false);
}

// Stages 4 to 8, once authorization let the request through.
void afterAuthorization(const ExchangePtr& x) {
  const CompiledRestMethod& m = *x->match.method;
  if (!validateRequest(x)) return;
  if (!admitApiKey(x)) return;
  // Stage 6, the stage's method throttle (update-stage /<path>/<method>/throttling/*).
  if (m.bucket && !m.bucket->take(x->startNs)) return failWith(x, GatewayError{"THROTTLED", "Too Many Requests"});
  if (!m.config.integration) return failWith(x, GatewayError{"API_CONFIGURATION_ERROR", "Internal server error"});
  if (answerFromCache(x)) return;
  integrate(x);
}

}  // namespace

void runRestInvoke(GatewayServer& gw, const http::RequestContextPtr& ctx, InvokeTarget target,
                   std::shared_ptr<const RestSnapshot> snap) {
  auto x = std::make_shared<RestExchange>();
  x->gw = &gw;
  x->ctx = ctx;
  x->target = std::move(target);
  x->snap = std::move(snap);
  x->requestId = newAwsRequestId();
  x->startNs = SystemClock::instance().nowNs();
  x->timeMs = wallMs();
  const auto& req = ctx->request();
  x->query = parseQueryParameters(req.query, PlusSign::kSpace);

  // Stage 1, resolve: the API, and the stage, which REST APIs always take from the first segment.
  x->api = x->snap->find(x->target.apiId);
  if (!x->api) return failWith(x, GatewayError{"DEFAULT_4XX", "Forbidden", 403, "ForbiddenException"});
  std::string_view path = x->target.path;
  size_t slash = path.find('/', 1);
  std::string stageName(path.substr(1, slash == std::string_view::npos ? std::string_view::npos : slash - 1));
  auto st = x->api->stages.find(stageName);
  if (stageName.empty() || st == x->api->stages.end())
    return failWith(x, GatewayError{"MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"});
  x->stage = &st->second;
  x->restPath = slash == std::string_view::npos ? "/" : std::string(path.substr(slash));

  // Stage 2, match: resource and method; anything unknown is AWS's "Missing Authentication Token".
  x->match = matchResource(*x->stage, req.method, x->restPath);
  if (!x->match.method) return failWith(x, GatewayError{"MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"});

  // Stage 3, authorization (AWS_IAM, a Lambda authorizer); it goes on with stages 4 to 8.
  authorizeRestRequest(x, afterAuthorization);
}

}  // namespace cdnlab::gateway

// REST API invoke path (see rest_invoke.h). One RestExchange per request carries what the stages
// learn to the integration's callback; every answer leaves through finish().
#include "gateway/rest/rest_invoke.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

#include "common/clock.h"
#include "common/log.h"
#include "gateway/integrations/aws_service.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/integrations/proxy_event.h"
#include "gateway/json.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/rest/rest_event.h"
#include "gateway/rest/rest_routing.h"
#include "gateway/routing/route_table.h"
#include "gateway/server/gateway_server.h"
#include "gateway/vtl/renderer.h"

namespace cdnlab::gateway {
namespace {

using vtl::Value;

struct RestExchange {
  GatewayServer* gw = nullptr;
  http::RequestContextPtr ctx;
  std::shared_ptr<const RestSnapshot> snap;
  InvokeTarget target;
  const CompiledRestApi* api = nullptr;
  const CompiledRestStage* stage = nullptr;
  ResourceMatch match;
  std::string restPath;  // the path after the stage ("/items/7")
  std::string requestId;
  int64_t startNs = 0;
  int64_t timeMs = 0;
  std::string apiKeyId;
  std::string apiKeyValue;
  std::string cacheKey;  // non-empty: store the answer under it
};
using ExchangePtr = std::shared_ptr<RestExchange>;

// A header a template may set: a token name and a value without control characters.
bool safeHeader(std::string_view name, std::string_view value) {
  if (name.empty() || value.size() > 8192) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
      return false;
  for (char c : value)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

void finish(const ExchangePtr& x, http::Response resp) {
  resp.headers.set("x-amzn-RequestId", x->requestId);
  x->ctx->respond(std::move(resp));
}

// API Gateway's own answers: {"message": ...} with the error type header clients read.
void answer(const ExchangePtr& x, int status, std::string_view message, std::string_view errorType) {
  http::Response r = messageResponse(status, message);
  if (!errorType.empty()) r.headers.set("x-amzn-ErrorType", errorType);
  finish(x, std::move(r));
}

std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < q.size()) {
    size_t amp = q.find('&', i);
    std::string_view part = q.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string k(part.substr(0, eq)), v(eq == std::string_view::npos ? "" : part.substr(eq + 1));
      for (auto* s : {&k, &v})
        for (auto& c : *s)
          if (c == '+') c = ' ';
      out.emplace_back(percentDecode(k), percentDecode(v));
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
  return out;
}

// $input.params(): path, querystring (first value of each name), header (last value).
Value paramsOf(const RestExchange& x) {
  const auto& req = x.ctx->request();
  Value all = Value::map(), path = Value::map(), query = Value::map(), header = Value::map();
  for (const auto& [k, v] : x.match.pathParameters) path.asMap().put(k, Value(v));
  for (const auto& [k, v] : parseQuery(req.query))
    if (!query.asMap().find(k)) query.asMap().put(k, Value(v));
  for (const auto& h : req.headers) header.asMap().put(h.name, Value(h.value));
  all.asMap().put("path", path);
  all.asMap().put("querystring", query);
  all.asMap().put("header", header);
  return all;
}

// $context for templates (a fresh map per render: templates may #set into it).
Value contextOf(const RestExchange& x) {
  const auto& req = x.ctx->request();
  Value c = Value::map();
  auto& m = c.asMap();
  m.put("accountId", Value(x.gw->options().accountId));
  m.put("apiId", Value(x.api->id));
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
  id.asMap().put("accountId", Value(""));
  id.asMap().put("caller", Value(""));
  id.asMap().put("user", Value(""));
  id.asMap().put("userArn", Value(""));
  m.put("identity", id);
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
  for (const auto& [k, s] : x.stage->variables) v.asMap().put(k, Value(s));
  return v;
}

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
      answer(x, 400, at == std::string::npos ? msg : msg.substr(at), "BadRequestException");
    } else {
      answer(x, 500, "Internal server error", "InternalServerErrorException");
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
    answer(x, 415, "Unsupported Media Type", "UnsupportedMediaTypeException");
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
    return answer(x, 500, "Internal server error", "InternalServerErrorException");
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
  resp.status = std::atoi(ir->config.statusCode.c_str());
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
      int st = s->isInt() ? static_cast<int>(s->asInt()) : std::atoi(s->asString().c_str());
      if (st >= 100 && st <= 599) resp.status = st;
    }
    if (const Value* h = over->asMap().find("header"); h && h->isMap())
      for (const auto& [k, v] : h->asMap().entries)
        if (safeHeader(k, vtl::toText(v))) resp.headers.set(k, vtl::toText(v));
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
  if (timedOut) return answer(x, 504, "Endpoint request timed out", "");
  answer(x, 500, "Internal server error", "InternalServerErrorException");
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

// Lambda behind an AWS (custom) integration: the rendered template is the payload; a function
// error selects its integration response by the error message.
void invokeLambdaCustom(const ExchangePtr& x, const std::string& functionUri) {
  const auto& ep = x->gw->lambdaEndpoint();
  if (!ep) return integrationError(x, "no Lambda endpoint configured (--lambda-endpoint)", false);
  auto target = resolveLambdaUri(functionUri);
  if (!target) return integrationError(x, target.error().message, false);
  Value context = contextOf(*x);
  auto body = integrationRequestBody(x, context);
  if (!body) return;
  http::ClientRequest cr;
  cr.host = ep->host;
  cr.port = ep->port;
  cr.method = "POST";
  cr.target = ep->basePath + invokePath(*target);
  cr.headers.add("Content-Type", "application/json");
  cr.body = Buffer(std::move(*body));
  cr.responseTimeoutMs = static_cast<uint64_t>(x->match.method->config.integration->timeoutInMillis);
  WorkerState& ws = x->gw->worker(x->ctx->workerIndex());
  ws.client->request(std::move(cr), [x](Result<http::ClientResponse> r) {
    if (!r) {
      auto code = static_cast<http::ClientError>(r.error().code);
      return integrationError(x, "Lambda invoke: " + r.error().message, code == http::ClientError::ResponseTimeout);
    }
    std::string_view body(r->body.data(), r->body.size());
    if (r->status != 200) return integrationError(x, "Lambda invoke answered " + std::to_string(r->status), false);
    const CompiledRestMethod& m = *x->match.method;
    if (r->headers.get("x-amz-function-error")) {
      std::string message;
      rapidjson::Document doc;
      if (!doc.Parse(body.data(), body.size()).HasParseError() && doc.IsObject() && doc.HasMember("errorMessage") &&
          doc["errorMessage"].IsString())
        message = doc["errorMessage"].GetString();
      return respondMapped(x, selectIntegrationResponse(m, message), &r->headers, body);
    }
    const CompiledIntegrationResponse* def = nullptr;
    for (const auto& ir : m.responses)
      if (!ir.pattern) def = &ir;
    if (!def && !m.responses.empty()) def = &m.responses.front();
    respondMapped(x, def, &r->headers, body);
  });
}

void invokeLambdaProxy(const ExchangePtr& x, const std::string& uri) {
  const auto& ep = x->gw->lambdaEndpoint();
  if (!ep) return integrationError(x, "no Lambda endpoint configured (--lambda-endpoint)", false);
  std::string resolved = uri;
  for (const auto& [k, v] : x->stage->variables) {
    std::string ref = "${stageVariables." + k + "}";
    for (size_t p; (p = resolved.find(ref)) != std::string::npos;) resolved.replace(p, ref.size(), v);
  }
  auto target = resolveLambdaUri(resolved);
  if (!target) return integrationError(x, target.error().message, false);
  const auto& req = x->ctx->request();
  ProxyRequest p;
  p.method = req.method;
  p.rawPath = x->restPath;
  p.rawQuery = req.query;
  p.protocol = req.httpMinor == 0 ? "HTTP/1.0" : "HTTP/1.1";
  p.headers = &req.headers;
  p.body = req.body;
  p.sourceIp = req.peer.substr(0, req.peer.rfind(':'));
  p.userAgent = std::string(req.headers.get("user-agent").value_or(""));
  p.accountId = x->gw->options().accountId;
  p.apiId = x->api->id;
  p.domainName = x->target.domainName;
  p.domainPrefix = x->target.domainName.substr(0, x->target.domainName.find('.'));
  p.stage = x->stage->name;
  p.routeKey = req.method + " " + x->match.resource->path;
  p.routeId = x->match.resource->id;
  p.resourcePath = x->match.resource->path;
  p.requestId = x->requestId;
  p.extendedRequestId = x->requestId;
  p.timeEpochMs = x->timeMs;
  p.pathParameters = x->match.pathParameters;
  StringMap vars(x->stage->variables.begin(), x->stage->variables.end());
  p.stageVariables = &vars;
  http::ClientRequest cr;
  cr.host = ep->host;
  cr.port = ep->port;
  cr.method = "POST";
  cr.target = ep->basePath + invokePath(*target);
  cr.headers.add("Content-Type", "application/json");
  RestEventExtras extras{x->restPath, x->target.path, x->apiKeyValue, x->apiKeyId};
  cr.body = Buffer(buildRestProxyEvent(p, extras));
  cr.responseTimeoutMs = static_cast<uint64_t>(x->match.method->config.integration->timeoutInMillis);
  WorkerState& ws = x->gw->worker(x->ctx->workerIndex());
  ws.client->request(std::move(cr), [x](Result<http::ClientResponse> r) {
    if (!r) {
      auto code = static_cast<http::ClientError>(r.error().code);
      return integrationError(x, "Lambda invoke: " + r.error().message, code == http::ClientError::ResponseTimeout);
    }
    std::string_view body(r->body.data(), r->body.size());
    if (r->status != 200 || r->headers.get("x-amz-function-error")) {
      LOG_INFO("gateway: rest %s: Lambda proxy: function error or status %d", x->api->id.c_str(), r->status);
      return answer(x, 502, "Internal server error", "");
    }
    auto resp = readProxyResponse(body, "1.0");
    if (!resp) {
      LOG_INFO("gateway: rest %s: %s", x->api->id.c_str(), resp.error().message.c_str());
      return answer(x, 502, "Internal server error", "");
    }
    finish(x, std::move(*resp));
  });
}

// The value of a request parameter mapping's source: 'literal', method.request.path|querystring|header.<name>,
// stageVariables.<name>, context.<name>.
std::optional<std::string> mappingSource(const RestExchange& x, const std::string& src,
                                         const std::vector<std::pair<std::string, std::string>>& query) {
  const auto& req = x.ctx->request();
  if (src.size() >= 2 && src.front() == '\'' && src.back() == '\'') return src.substr(1, src.size() - 2);
  if (src.rfind("method.request.path.", 0) == 0) {
    for (const auto& [k, v] : x.match.pathParameters)
      if (k == src.substr(20)) return v;
    return std::nullopt;
  }
  if (src.rfind("method.request.querystring.", 0) == 0) {
    for (const auto& [k, v] : query)
      if (k == src.substr(27)) return v;
    return std::nullopt;
  }
  if (src.rfind("method.request.header.", 0) == 0) {
    if (auto v = req.headers.get(src.substr(22))) return std::string(*v);
    return std::nullopt;
  }
  if (src.rfind("stageVariables.", 0) == 0) {
    auto it = x.stage->variables.find(src.substr(15));
    if (it != x.stage->variables.end()) return it->second;
    return std::nullopt;
  }
  return std::nullopt;
}

std::string percentEncodeSegment(std::string_view s, bool keepSlash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// HTTP and HTTP_PROXY: the URI's {name} from integration.request.path.<name> mappings (else the
// method's path parameter of that name), mapped query strings and headers; HTTP_PROXY also
// forwards the client's query string, headers and body, and answers with the upstream's answer;
// HTTP sends the rendered template and maps the answer through the integration responses.
void invokeHttp(const ExchangePtr& x, bool proxy) {
  const RestIntegration& in = *x->match.method->config.integration;
  const auto& req = x->ctx->request();
  auto query = parseQuery(req.query);
  std::map<std::string, std::string> pathVars, qs, headers;
  for (const auto& [k, v] : x->match.pathParameters) pathVars[k] = v;
  for (const auto& [target, src] : in.requestParameters) {
    auto v = mappingSource(*x, src, query);
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
      for (size_t p; (p = url.find(ref)) != std::string::npos;) url.replace(p, ref.size(), percentEncodeSegment(v, greedy || k == "proxy"));
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
    extraQuery += (extraQuery.empty() ? "" : "&") + percentEncodeSegment(k, false) + "=" + percentEncodeSegment(v, false);
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
    if (safeHeader(k, v)) cr.headers.set(k, v);
  if (!body.empty()) cr.body = Buffer(std::move(body));
  cr.responseTimeoutMs = static_cast<uint64_t>(in.timeoutInMillis);
  WorkerState& ws = x->gw->worker(x->ctx->workerIndex());
  ws.client->request(std::move(cr), [x, proxy](Result<http::ClientResponse> r) {
    if (!r) {
      auto code = static_cast<http::ClientError>(r.error().code);
      return integrationError(x, "HTTP integration: " + r.error().message,
                              code == http::ClientError::ResponseTimeout || code == http::ClientError::ConnectTimeout);
    }
    if (!proxy) {
      std::string_view body(r->body.data(), r->body.size());
      return respondMapped(x, selectIntegrationResponse(*x->match.method, std::to_string(r->status)), &r->headers, body);
    }
    http::Response resp;
    resp.status = r->status;
    for (const auto& h : r->headers)
      if (!http::equalsIgnoreCase(h.name, "connection") && !http::equalsIgnoreCase(h.name, "keep-alive") &&
          !http::equalsIgnoreCase(h.name, "transfer-encoding") && !http::equalsIgnoreCase(h.name, "content-length"))
        resp.headers.add(h.name, h.value);
    resp.body = std::move(r->body);
    finish(x, std::move(resp));
  });
}

// Stage cache: the key is the method, the resource path and the cacheKeyParameters' values.
std::string cacheKeyOf(const RestExchange& x) {
  const auto& req = x.ctx->request();
  std::string key = req.method + " " + x.match.resource->path;
  const auto& in = *x.match.method->config.integration;
  std::vector<std::pair<std::string, std::string>> query;
  bool queryParsed = false;
  for (const auto& p : in.cacheKeyParameters) {
    std::string v;
    if (p.rfind("method.request.path.", 0) == 0) {
      for (const auto& [k, val] : x.match.pathParameters)
        if (k == p.substr(20)) v = val;
    } else if (p.rfind("method.request.querystring.", 0) == 0) {
      if (!queryParsed) {
        query = parseQuery(req.query);
        queryParsed = true;
      }
      for (const auto& [k, val] : query)
        if (k == p.substr(27)) {
          v = val;
          break;
        }
    } else if (p.rfind("method.request.header.", 0) == 0) {
      v = std::string(req.headers.get(p.substr(22)).value_or(""));
    }
    key += '\n' + p + '=' + v;
  }
  return key;
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

  // Stage 1, resolve: the API, and the stage, which REST APIs always take from the first segment.
  x->api = x->snap->find(x->target.apiId);
  if (!x->api) return answer(x, 403, "Forbidden", "ForbiddenException");
  std::string_view path = x->target.path;
  size_t slash = path.find('/', 1);
  std::string stageName(path.substr(1, slash == std::string_view::npos ? std::string_view::npos : slash - 1));
  auto st = x->api->stages.find(stageName);
  if (stageName.empty() || st == x->api->stages.end())
    return answer(x, 403, "Missing Authentication Token", "MissingAuthenticationTokenException");
  x->stage = &st->second;
  x->restPath = slash == std::string_view::npos ? "/" : std::string(path.substr(slash));

  // Stage 2, match: resource and method; anything unknown is AWS's "Missing Authentication Token".
  x->match = matchResource(*x->stage, req.method, x->restPath);
  if (!x->match.method) return answer(x, 403, "Missing Authentication Token", "MissingAuthenticationTokenException");
  const CompiledRestMethod& m = *x->match.method;

  // Stage 3, API key and usage plan.
  if (m.config.apiKeyRequired) {
    std::string value;
    if (x->api->apiKeySource == "HEADER") value = std::string(req.headers.get("x-api-key").value_or(""));
    auto key = value.empty() ? x->snap->keysByValue.end() : x->snap->keysByValue.find(value);
    if (key == x->snap->keysByValue.end() || !key->second.enabled) return answer(x, 403, "Forbidden", "ForbiddenException");
    const UsagePlan* plan = nullptr;
    for (const auto& p : x->stage->plans)
      if (std::find(p->keyIds.begin(), p->keyIds.end(), key->second.id) != p->keyIds.end()) plan = p.get();
    if (!plan) return answer(x, 403, "Forbidden", "ForbiddenException");
    x->apiKeyId = key->second.id;
    x->apiKeyValue = value;
    switch (gw.restStore().usage().admit(*plan, x->apiKeyId, x->timeMs, x->startNs)) {
      case UsageVerdict::Throttled:
        return answer(x, 429, "Too Many Requests", "TooManyRequestsException");
      case UsageVerdict::QuotaExceeded:
        return answer(x, 429, "Limit Exceeded", "LimitExceededException");
      case UsageVerdict::Admitted:
        break;
    }
  }

  // Stage 3b, the stage's method throttle (update-stage /<path>/<method>/throttling/*).
  if (m.bucket && !m.bucket->take(x->startNs)) return answer(x, 429, "Too Many Requests", "TooManyRequestsException");

  if (!m.config.integration) return answer(x, 500, "Internal server error", "InternalServerErrorException");
  const RestIntegration& in = *m.config.integration;

  // Stage 4, stage cache (GET methods with caching enabled in the stage's method settings).
  if (x->stage->cache && m.settings.cachingEnabled && req.method == "GET" && in.type != "AWS_PROXY" &&
      in.type != "HTTP_PROXY") {  // proxy answers bypass the integration response, where answers are stored
    x->cacheKey = cacheKeyOf(*x);
    // Cache-Control: max-age=0 invalidates the entry, but only when the method does not require
    // authorization for it (AWS asks for an execute-api:InvalidateCache permission, which the lab
    // has no IAM to grant); otherwise the header is ignored, as AWS's default strategy does.
    std::string_view cc = req.headers.get("cache-control").value_or("");
    bool invalidate = cc.find("max-age=0") != std::string_view::npos && !m.settings.requireAuthorizationForCacheControl;
    if (invalidate) {
      x->stage->cache->invalidate(x->cacheKey);
    } else if (auto hit = x->stage->cache->get(x->cacheKey, x->startNs)) {
      http::Response r;
      r.status = hit->status;
      for (const auto& [n, v] : hit->headers) r.headers.add(n, v);
      r.body = Buffer(std::move(hit->body));
      return finish(x, std::move(r));
    }
  }

  // Stage 5, integration.
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

}  // namespace cdnlab::gateway

// The invoke filter chain (see invoke_chain.h). One Exchange per request carries what the filters
// learn (API, stage, route, timings, integration outcome) to the response side and the access log.
#include "gateway/server/invoke_chain.h"

#include <cstring>
#include <random>

#include "common/clock.h"
#include "common/log.h"
#include "gateway/integrations/http_proxy_mapping.h"
#include "gateway/integrations/lambda_invoke.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/integrations/proxy_event.h"
#include "gateway/json.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/runtime/cors.h"
#include "gateway/server/gateway_server.h"
#include "gateway/server/iam_authorize.h"
#include "gateway/server/lambda_authorize.h"
#include "gateway/websocket/ws_manager.h"

namespace cdnlab::gateway {
namespace {

struct Exchange {
  GatewayServer* gw = nullptr;
  http::RequestContextPtr ctx;
  std::shared_ptr<const Snapshot> snap;
  InvokeTarget target;
  const CompiledApi* api = nullptr;
  const CompiledStage* stage = nullptr;
  const CompiledRoute* route = nullptr;
  std::string stagePath;
  RouteMatch match;
  std::string requestId;
  int64_t startNs = 0;
  int64_t timeMs = 0;
  int integrationStatus = -1;
  int64_t integrationStartNs = 0;
  int64_t integrationLatencyUs = -1;
  std::string integrationError;
  std::string errorMessage;
  int status = 0;
  size_t responseLength = 0;
  std::string jwtClaims;   // the authorizer's claims object (JSON), empty without one
  std::string jwtScopes;   // JSON list or "null"
  std::string authorizerError;
  std::shared_ptr<const AuthorizerVerdict> lambdaVerdict;  // a Lambda authorizer's answer that let the request in
  int64_t authorizerLatencyMs = 0;
  std::string iamAuthorizer;  // requestContext.authorizer.iam (JSON) of an AWS_IAM route

  std::string context(std::string_view name) const;
};

using ExchangePtr = std::shared_ptr<Exchange>;

// API Gateway's request ids look like "Kz2mFhZxIAMEV3w=": base64 of 10 random bytes.
std::string newRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char raw[10];
  uint64_t a = rng(), b = rng();
  std::memcpy(raw, &a, 8);
  std::memcpy(raw + 8, &b, 2);
  return base64Encode(std::string_view(raw, 10));
}

std::string Exchange::context(std::string_view n) const {
  const auto& req = ctx->request();
  std::string ip = req.peer.substr(0, req.peer.rfind(':'));
  if (n == "requestId" || n == "extendedRequestId") return requestId;
  if (n == "identity.sourceIp") return ip;
  if (n == "identity.userAgent") return std::string(req.headers.get("user-agent").value_or(""));
  if (n == "requestTime") return clfTime(timeMs);
  if (n == "requestTimeEpoch") return std::to_string(timeMs);
  if (n == "httpMethod") return req.method;
  if (n == "path") return target.path;
  if (n == "protocol") return req.httpMinor == 0 ? "HTTP/1.0" : "HTTP/1.1";
  if (n == "routeKey") return route ? route->route.routeKey : "-";
  if (n == "status") return status ? std::to_string(status) : "";
  if (n == "responseLength") return std::to_string(responseLength);
  if (n == "responseLatency") return std::to_string((SystemClock::instance().nowNs() - startNs) / 1000000);
  if (n == "integrationLatency" || n == "integration.latency")
    return integrationLatencyUs >= 0 ? std::to_string(integrationLatencyUs / 1000) : "";
  if (n == "integrationStatus" || n == "integration.status" || n == "integration.integrationStatus")
    return integrationStatus >= 0 ? std::to_string(integrationStatus) : "";
  if (n == "integrationErrorMessage" || n == "integration.error") return integrationError;
  if (n == "error.message") return errorMessage;
  if (n == "authorizer.error") return authorizerError;
  if (n == "stage") return stage ? stage->name : "";
  if (n == "apiId") return target.apiId;
  if (n == "domainName") return target.domainName;
  if (n == "domainPrefix") return target.domainName.substr(0, target.domainName.find('.'));
  if (n == "accountId") return gw->options().accountId;
  return "";
}

// Response side, in reverse order of the filters: CORS, request id, metrics, access log.
void finish(const ExchangePtr& x, http::Response resp) {
  const auto& req = x->ctx->request();
  if (x->api && x->api->cors) applyCors(*x->api->cors, req, resp);
  resp.headers.set("apigw-requestid", x->requestId);
  x->status = resp.status;
  x->responseLength = resp.body.size();
  if (resp.status >= 400 && x->errorMessage.empty()) x->errorMessage = std::string(http::reasonPhrase(resp.status));
  RouteMetrics* m = x->route ? x->route->metrics.get() : x->stage ? x->stage->unmatchedMetrics.get() : nullptr;
  if (m) {
    m->count.fetch_add(1, std::memory_order_relaxed);
    if (resp.status >= 400 && resp.status < 500) m->status4xx.fetch_add(1, std::memory_order_relaxed);
    if (resp.status >= 500) m->status5xx.fetch_add(1, std::memory_order_relaxed);
    m->latency.record(static_cast<uint64_t>(SystemClock::instance().nowNs() - x->startNs) / 1000);
    if (x->integrationLatencyUs >= 0) m->integrationLatency.record(static_cast<uint64_t>(x->integrationLatencyUs));
  }
  if (x->stage && x->stage->accessLog)
    x->stage->accessLog->write(renderAccessLog(x->stage->accessLogFormat, [&](std::string_view n) { return x->context(n); }));
  x->ctx->respond(std::move(resp));
}

void answerMessage(const ExchangePtr& x, int status, std::string_view message) {
  x->errorMessage = std::string(message);
  finish(x, messageResponse(status, message));
}

void integrationDone(const ExchangePtr& x, int upstreamStatus) {
  x->integrationLatencyUs = (SystemClock::instance().nowNs() - x->integrationStartNs) / 1000;
  x->integrationStatus = upstreamStatus;
}

// An integration that failed: HTTP APIs answer 503 for a timeout, 500 otherwise.
void integrationFailed(const ExchangePtr& x, const Error& e, bool timedOut) {
  x->integrationError = e.message;
  LOG_INFO("gateway: %s %s: integration failed: %s", x->target.apiId.c_str(),
           x->route ? x->route->route.routeKey.c_str() : "-", e.message.c_str());
  if (timedOut) answerMessage(x, 503, "Service Unavailable");
  else answerMessage(x, 500, "Internal Server Error");
}

ProxyRequest proxyRequestOf(const Exchange& x) {
  ProxyRequest p = clientProxyRequest(x.ctx->request());
  p.rawPath = x.target.path;
  p.accountId = x.gw->options().accountId;
  p.apiId = x.target.apiId;
  p.domainName = x.target.domainName;
  p.domainPrefix = x.target.domainName.substr(0, x.target.domainName.find('.'));
  p.stage = x.stage->name;
  p.routeKey = x.route->route.routeKey;
  p.routeId = x.route->route.id;
  p.resourcePath = x.route->resourcePath.empty() ? x.stagePath : x.route->resourcePath;
  p.requestId = x.requestId;
  p.extendedRequestId = x.requestId;
  p.timeEpochMs = x.timeMs;
  p.pathParameters = x.match.pathParameters;
  p.stageVariables = &x.stage->stageVariables;
  return p;
}

void invokeLambda(const ExchangePtr& x, const Integration& in) {
  const auto& ep = x->gw->lambdaEndpoint();
  std::string uri = substituteStageVariables(in.uri, &x->stage->stageVariables);
  auto target = resolveLambdaUri(uri);
  if (!target) return integrationFailed(x, target.error(), false);
  if (!ep) return integrationFailed(x, Error{500, "no Lambda endpoint configured (--lambda-endpoint)"}, false);
  ProxyRequest p = proxyRequestOf(*x);
  if (!x->jwtClaims.empty()) {
    std::string inner = "{\"claims\":" + x->jwtClaims + ",\"scopes\":" + x->jwtScopes + "}";
    p.authorizerJson = in.payloadFormatVersion == "1.0" ? inner : "{\"jwt\":" + inner + "}";
  }
  if (x->lambdaVerdict)
    p.authorizerJson = integrationAuthorizerJson(*x->lambdaVerdict, in.payloadFormatVersion, x->authorizerLatencyMs);
  if (!x->iamAuthorizer.empty()) p.authorizerJson = "{\"iam\":" + x->iamAuthorizer + "}";
  std::string event = in.payloadFormatVersion == "1.0" ? buildEventV1(p) : buildEventV2(p);
  http::ClientRequest cr = lambdaInvokeRequest(*ep, *target, std::move(event), static_cast<uint64_t>(in.timeoutMs));
  x->integrationStartNs = SystemClock::instance().nowNs();
  std::string version = in.payloadFormatVersion;
  WorkerState& ws = x->gw->worker(x->ctx->workerIndex());
  ws.client->request(std::move(cr), [x, version](Result<http::ClientResponse> r) {
    if (!r) {
      integrationDone(x, -1);
      auto code = static_cast<http::ClientError>(r.error().code);
      return integrationFailed(x, Error{500, "Lambda invoke: " + r.error().message},
                               code == http::ClientError::ResponseTimeout);
    }
    integrationDone(x, r->status);
    std::string_view body(r->body.data(), r->body.size());
    if (r->status != 200) {
      std::string why = "Lambda invoke answered " + std::to_string(r->status);
      if (auto t = r->headers.get("x-amzn-errortype")) why += " " + std::string(*t);
      return integrationFailed(x, Error{500, why + ": " + std::string(body.substr(0, 200))}, false);
    }
    if (auto fe = r->headers.get("x-amz-function-error")) {
      return integrationFailed(x, Error{500, "function error (" + std::string(*fe) + "): " + std::string(body.substr(0, 200))},
                               false);
    }
    auto resp = readProxyResponse(body, version);
    if (!resp) return integrationFailed(x, resp.error(), false);
    finish(x, std::move(*resp));
  });
}

void invokeHttp(const ExchangePtr& x, const Integration& in) {
  ProxyInputs pi;
  pi.request = &x->ctx->request();
  pi.stagePath = x->stagePath;
  pi.pathParameters = x->match.pathParameters;
  pi.stageVariables = &x->stage->stageVariables;
  pi.context = [xp = x.get()](std::string_view n) { return xp->context(n); };
  auto up = buildUpstreamRequest(in, pi);
  if (!up) return integrationFailed(x, up.error(), false);
  auto ep = parseHttpEndpoint(up->url);
  if (!ep) return integrationFailed(x, Error{500, "HTTP integration " + up->url + ": " + ep.error().message}, false);
  http::ClientRequest cr;
  cr.host = ep->host;
  cr.port = ep->port;
  cr.method = up->method;
  std::string pathAndQuery = up->url.substr(up->url.find('/', up->url.find("://") + 3) == std::string::npos
                                                ? up->url.size()
                                                : up->url.find('/', up->url.find("://") + 3));
  cr.target = pathAndQuery.empty() ? "/" : pathAndQuery;
  cr.headers = std::move(up->headers);
  cr.headers.add("X-Forwarded-For", pi.request->peer.substr(0, pi.request->peer.rfind(':')));
  if (!pi.request->body.empty()) cr.body = Buffer::copyOf(pi.request->body);
  cr.responseTimeoutMs = static_cast<uint64_t>(in.timeoutMs);
  x->integrationStartNs = SystemClock::instance().nowNs();
  WorkerState& ws = x->gw->worker(x->ctx->workerIndex());
  ws.client->request(std::move(cr), [x](Result<http::ClientResponse> r) {
    if (!r) {
      integrationDone(x, -1);
      return integrationFailed(x, Error{500, "HTTP integration: " + r.error().message}, isUpstreamTimeout(r.error()));
    }
    integrationDone(x, r->status);
    finish(x, passThroughResponse(std::move(*r)));
  });
}

void invokeMock(const ExchangePtr& x, const Integration& in) {
  x->integrationStartNs = SystemClock::instance().nowNs();
  http::Response resp;
  resp.status = in.mock.statusCode;
  if (const MockAnswer* m = x->route->mock.get(); m && !x->api->cors) {
    // Built with the snapshot: the answer points at shared header lines and body (no copies).
    // With CORS configured the fields stay per request, as CORS replaces some of them.
    resp.headerBlock = m->headerLines;
    resp.body = m->body;
  } else {
    resp.headers = mockHeaders(in.mock);
    resp.body = Buffer::copyOf(in.mock.body);
  }
  integrationDone(x, resp.status);
  finish(x, std::move(resp));
}

// Filters 4 and 5: throttle, then the integration.
void throttleAndIntegrate(const ExchangePtr& x) {
  if (x->route->bucket && !x->route->bucket->take(SystemClock::instance().nowNs())) {
    x->route->metrics->throttled.fetch_add(1, std::memory_order_relaxed);
    return answerMessage(x, 429, "Too Many Requests");
  }
  const Integration* in = x->route->integration.get();
  if (!in) return answerMessage(x, 404, "Not Found");
  if (in->type == "MOCK") return invokeMock(x, *in);
  if (in->type == "AWS_PROXY") return invokeLambda(x, *in);
  if (in->type == "HTTP_PROXY") return invokeHttp(x, *in);
  integrationFailed(x, Error{500, "integration type " + in->type + " is not served by HTTP APIs"}, false);
}

// A Lambda authorizer's verdict applied: 403 when it does not allow this route, else on.
void applyVerdict(const ExchangePtr& x, std::shared_ptr<const AuthorizerVerdict> v, const std::string& routeArn) {
  if (!verdictAllows(*v, routeArn)) {
    x->authorizerError = v->simple ? "the authorizer answered isAuthorized false" : "the authorizer's policy does not allow " + routeArn;
    return answerMessage(x, 403, "Forbidden");
  }
  x->lambdaVerdict = std::move(v);
  throttleAndIntegrate(x);
}

// Filter 3, Lambda authorizer (authorizationType CUSTOM): identity sources (401 when one is
// missing), the cached verdict or the function's, then the verdict against the route ARN.
void runLambdaAuthorizer(const ExchangePtr& x, const Authorizer& az) {
  const auto& req = x->ctx->request();
  IdentityInputs in{&req.headers, req.query, &x->stage->stageVariables, [xp = x.get()](std::string_view n) { return xp->context(n); }};
  auto identity = resolveIdentitySources(az.identitySource, in);
  if (!identity) {
    x->authorizerError = "an identity source of authorizer " + az.id + " is missing";
    return answerMessage(x, 401, "Unauthorized");
  }
  const auto& o = x->gw->options();
  std::string routeArn = routeArnOf(o.region, o.accountId, x->target.apiId, x->stage->name, req.method, x->stagePath);
  std::string cacheKey;
  if (az.authorizerResultTtlInSeconds > 0) {
    cacheKey = AuthorizerCache::keyOf(x->target.apiId, az, *identity);
    if (auto hit = x->gw->authorizerCache().get(cacheKey, SystemClock::instance().nowNs())) return applyVerdict(x, hit, routeArn);
  }
  ProxyRequest p = proxyRequestOf(*x);
  std::string event = az.authorizerPayloadFormatVersion == "1.0" ? buildAuthorizerEventV1(p, routeArn, *identity)
                                                                  : buildAuthorizerEventV2(p, routeArn, *identity);
  int64_t startNs = SystemClock::instance().nowNs();
  int64_t ttlNs = az.authorizerResultTtlInSeconds * 1000000000LL;
  invokeAuthorizerFunction(*x->gw, x->ctx->workerIndex(), az, std::move(event),
                           [x, routeArn, cacheKey, startNs, ttlNs](Result<std::shared_ptr<const AuthorizerVerdict>> v) {
                             int64_t now = SystemClock::instance().nowNs();
                             x->authorizerLatencyMs = (now - startNs) / 1000000;
                             if (!v) {
                               x->authorizerError = v.error().message;
                               LOG_INFO("gateway: %s: %s", x->target.apiId.c_str(), v.error().message.c_str());
                               return answerMessage(x, 500, "Internal Server Error");
                             }
                             if (!cacheKey.empty()) x->gw->authorizerCache().put(cacheKey, *v, now + ttlNs, now);
                             applyVerdict(x, *v, routeArn);
                           });
}

// A JWT check's outcome: 401 (with www-authenticate saying which check failed) or 403 answered
// and false, or the claims recorded for the integration and true.
bool acceptJwt(const ExchangePtr& x, Result<JwtClaims> claims) {
  if (!claims) {
    x->authorizerError = claims.error().message;
    if (claims.error().code == 403) {
      answerMessage(x, 403, "Forbidden");
      return false;
    }
    x->errorMessage = "Unauthorized";
    // The reason may quote token bytes: keep it one printable header value.
    std::string why = claims.error().message;
    for (auto& c : why)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\\') c = '?';
    http::Response r = messageResponse(401, "Unauthorized");
    r.headers.add("www-authenticate", "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + why + "\"");
    finish(x, std::move(r));
    return false;
  }
  x->jwtClaims = std::move(claims->claimsJson);
  if (claims->scopes.empty()) {
    x->jwtScopes = "null";
  } else {
    x->jwtScopes = "[";
    for (size_t i = 0; i < claims->scopes.size(); ++i) x->jwtScopes += (i ? "," : "") + jsonQuote(claims->scopes[i]);
    x->jwtScopes += "]";
  }
  return true;
}

// Filter 3, JWT authorizer: the bearer token validated with the issuer's key set, from --jwks or
// fetched from the issuer (refreshed once when the token's kid is not in the cached set).
void runJwtAuthorizer(const ExchangePtr& x, const CompiledAuthorizer& az) {
  auto header = x->ctx->request().headers.get(az.identityHeader);
  if (!header || header->empty()) {
    x->authorizerError = "the identity source " + az.identityHeader + " is missing";
    return answerMessage(x, 401, "Unauthorized");
  }
  auto validate = [x, &az, token = std::string(*header)](const Jwks& keys) {
    return validateJwt(token, keys, JwtConfig{az.config.issuer, az.config.audience}, x->route->route.authorizationScopes,
                       wallMs() / 1000);
  };
  if (az.keys) {
    if (acceptJwt(x, validate(*az.keys))) throttleAndIntegrate(x);
    return;
  }
  JwksFetcher* fetcher = x->gw->worker(x->ctx->workerIndex()).jwks.get();
  if (!fetcher) return answerMessage(x, 500, "Internal Server Error");
  // `az` lives in the snapshot the exchange holds, so the callbacks may refer to it.
  fetcher->get(az.config.issuer, false, [x, validate, fetcher, &az](Result<std::shared_ptr<const Jwks>> keys) {
    if (!keys) return (void)acceptJwt(x, keys.error());
    auto claims = validate(**keys);
    if (!claims && claims.error().message.rfind("no key for kid", 0) == 0) {
      return fetcher->get(az.config.issuer, true, [x, validate](Result<std::shared_ptr<const Jwks>> fresh) {
        if (!fresh) return (void)acceptJwt(x, fresh.error());
        if (acceptJwt(x, validate(**fresh))) throttleAndIntegrate(x);
      });
    }
    if (acceptJwt(x, std::move(claims))) throttleAndIntegrate(x);
  });
}

}  // namespace

void runInvokeChain(GatewayServer& gw, const http::RequestContextPtr& ctx, InvokeTarget target) {
  auto x = std::make_shared<Exchange>();
  x->gw = &gw;
  x->ctx = ctx;
  x->target = std::move(target);
  x->requestId = newRequestId();
  x->startNs = SystemClock::instance().nowNs();
  x->timeMs = wallMs();
  // The worker's cached snapshot, refreshed when the model changed.
  WorkerState& ws = gw.worker(ctx->workerIndex());
  uint64_t v = gw.store().version();
  if (ws.snapVersion != v) {
    ws.snap = gw.store().snapshot();
    ws.snapVersion = v;
  }
  x->snap = ws.snap;
  const auto& req = ctx->request();

  // Filter 1, resolve: the API and the stage.
  x->api = x->snap->find(x->target.apiId);
  if (!x->api || x->api->disableExecuteApiEndpoint) return answerMessage(x, 404, "Not Found");
  StageSelection sel = selectStage(*x->api, x->target.path);
  if (!sel.stage) return answerMessage(x, 404, "Not Found");
  x->stage = sel.stage;
  x->stagePath = std::string(sel.stagePath);
  if (x->api->protocolType == "WEBSOCKET")
    return gw.websockets().handle(ctx, x->target, *x->api, *x->stage, x->stagePath);

  // Filter 2, route (a CORS preflight is answered here when the API has a CORS configuration).
  if (x->api->cors && isPreflight(req)) {
    x->ctx->respond([&] {
      http::Response r = preflightResponse(*x->api->cors, req);
      r.headers.set("apigw-requestid", x->requestId);
      return r;
    }());
    return;
  }
  x->match = x->stage->table.match(req.method, x->stagePath);
  if (x->match.index < 0) return answerMessage(x, 404, "Not Found");
  x->route = &x->stage->routes[static_cast<size_t>(x->match.index)];

  // Filter 3, auth: IAM (SigV4), a Lambda authorizer, or a JWT authorizer (401 / 403 as API Gateway answers).
  if (x->route->route.authorizationType == "AWS_IAM") {
    if (auto bad = authorizeIam(req, x->gw->iamCredentials(), x->gw->options().accountId, wallMs() / 1000, x->iamAuthorizer)) {
      x->authorizerError = bad->message;
      x->errorMessage = bad->message;
      return finish(x, iamRefusalResponse(*bad));
    }
  } else if (x->route->route.authorizationType == "CUSTOM") {
    if (!x->route->authorizer) return answerMessage(x, 500, "Internal Server Error");
    return runLambdaAuthorizer(x, x->route->authorizer->config);
  } else if (const CompiledAuthorizer* az = x->route->authorizer.get()) {
    return runJwtAuthorizer(x, *az);
  }

  throttleAndIntegrate(x);
}

}  // namespace cdnlab::gateway

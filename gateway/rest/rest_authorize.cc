// REST API authorization: AWS_IAM and Lambda authorizers (see rest_authorize.h).
#include "gateway/rest/rest_authorize.h"

#include "common/clock.h"
#include "common/log.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/json.h"
#include "gateway/server/gateway_server.h"
#include "gateway/server/iam_authorize.h"

namespace cdnlab::gateway {
namespace {

using Next = void (*)(const RestExchangePtr&);

void unauthorized(const RestExchangePtr& x, std::string why) {
  x->authorizerError = std::move(why);
  failWith(x, GatewayError{"UNAUTHORIZED", "Unauthorized"});
}

void configurationError(const RestExchangePtr& x, std::string why) {
  LOG_INFO("gateway: rest %s: %s", x->api->id.c_str(), why.c_str());
  x->authorizerError = std::move(why);
  // API Gateway answers an authorizer that failed with {"message": null}.
  failWith(x, GatewayError{"AUTHORIZER_CONFIGURATION_ERROR", std::nullopt});
}

// The answer (fresh or cached) against this request's method ARN.
void applyAnswer(const RestExchangePtr& x, std::shared_ptr<const AuthorizerVerdict> v, const std::string& methodArn, Next next) {
  switch (evaluatePolicy(*v, methodArn)) {
    case PolicyDecision::ExplicitDeny:
      x->authorizerError = "the authorizer's policy denies " + methodArn;
      return failWith(x, GatewayError{"ACCESS_DENIED", "User is not authorized to access this resource with an explicit deny"});
    case PolicyDecision::NotAllowed:
      x->authorizerError = "the authorizer's policy does not allow " + methodArn;
      return failWith(x, GatewayError{"ACCESS_DENIED", "User is not authorized to access this resource"});
    case PolicyDecision::Allow:
      break;
  }
  x->authorizer = std::move(v);
  next(x);
}

// The function's answer: a policy, the error "Unauthorized" (a 401, as API Gateway reads it), or
// anything else (500).
Result<std::shared_ptr<const AuthorizerVerdict>> readInvokeAnswer(Result<http::ClientResponse>& r, bool& unauthorizedAnswer) {
  if (!r) return Error{500, "Lambda invoke: " + r.error().message};
  std::string_view body(r->body.data(), r->body.size());
  if (r->status != 200) return Error{500, "Lambda invoke answered " + std::to_string(r->status) + ": " + std::string(body.substr(0, 200))};
  if (r->headers.get("x-amz-function-error")) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    if (doc.IsObject() && doc.HasMember("errorMessage") && doc["errorMessage"].IsString() &&
        std::string_view(doc["errorMessage"].GetString()) == "Unauthorized")
      unauthorizedAnswer = true;
    return Error{500, "function error: " + std::string(body.substr(0, 200))};
  }
  auto v = readRestAuthorizerAnswer(body);
  if (!v) return v.error();
  return std::make_shared<const AuthorizerVerdict>(std::move(*v));
}

void runLambdaAuthorizer(const RestExchangePtr& x, const CompiledRestAuthorizer& az, Next next) {
  const RestAuthorizer& c = az.config;
  const auto& req = x->ctx->request();
  const auto& o = x->gw->options();
  std::string methodArn = routeArnOf(o.region, o.accountId, x->api->id, x->stage->name, req.method, x->restPath);

  // Identity: TOKEN's one header (and its validation expression); REQUEST's sources, which must all
  // be there when answers are cached (without caching, the function is asked regardless).
  RestIdentityInputs in{&req.headers, &x->query, &x->stage->variables, [xp = x.get()](std::string_view n) {
                          return mappingSource(*xp, "context." + std::string(n)).value_or("");
                        }};
  auto identity = resolveRestIdentity(az.sources, in);
  bool tokenType = c.type == "TOKEN";
  if (!identity && (tokenType || c.authorizerResultTtlInSeconds > 0))
    return unauthorized(x, "an identity source of authorizer " + c.id + " is missing");
  if (tokenType && az.tokenPattern && !std::regex_match((*identity)[0], *az.tokenPattern))
    return unauthorized(x, "the token does not match the identityValidationExpression of authorizer " + c.id);

  std::string cacheKey;
  if (c.authorizerResultTtlInSeconds > 0) {
    cacheKey = x->api->id + '\n' + c.id + '\n' + c.authorizerUri;
    for (const auto& v : *identity) cacheKey += '\0' + v;
    if (auto hit = x->gw->authorizerCache().get(cacheKey, SystemClock::instance().nowNs()))
      return applyAnswer(x, hit, methodArn, next);
  }

  const auto& ep = x->gw->lambdaEndpoint();
  if (!ep) return configurationError(x, "authorizer " + c.id + ": no Lambda endpoint configured (--lambda-endpoint)");
  auto target = resolveLambdaUri(c.authorizerUri);
  if (!target) return configurationError(x, "authorizer " + c.id + ": " + target.error().message);
  http::ClientRequest cr;
  cr.host = ep->host;
  cr.port = ep->port;
  cr.method = "POST";
  cr.target = ep->basePath + invokePath(*target);
  cr.headers.add("Content-Type", "application/json");
  cr.headers.add("X-Amz-Invocation-Type", "RequestResponse");
  cr.body = Buffer(tokenType ? buildTokenAuthorizerEvent((*identity)[0], methodArn)
                             : buildRequestAuthorizerEvent(restProxyEventOf(*x), methodArn));
  cr.responseTimeoutMs = kRestAuthorizerTimeoutMs;
  int64_t startNs = SystemClock::instance().nowNs();
  int64_t ttlNs = c.authorizerResultTtlInSeconds * 1000000000LL;
  std::string id = c.id;
  x->gw->worker(x->ctx->workerIndex())
      .client->request(std::move(cr), [x, methodArn, cacheKey, startNs, ttlNs, id, next](Result<http::ClientResponse> r) {
        int64_t now = SystemClock::instance().nowNs();
        x->authorizerLatencyMs = (now - startNs) / 1000000;
        bool unauthorizedAnswer = false;
        auto v = readInvokeAnswer(r, unauthorizedAnswer);
        if (unauthorizedAnswer) return unauthorized(x, "authorizer " + id + " answered Unauthorized");
        if (!v) return configurationError(x, "authorizer " + id + ": " + v.error().message);
        if (!cacheKey.empty()) x->gw->authorizerCache().put(cacheKey, *v, now + ttlNs, now);
        applyAnswer(x, *v, methodArn, next);
      });
}

void runIam(const RestExchangePtr& x, Next next) {
  const auto& req = x->ctx->request();
  auto bad = authorizeIam(req, x->gw->iamCredentials(), x->gw->options().accountId, wallMs() / 1000, x->iamAuthorizerJson);
  if (!bad) return next(x);
  x->authorizerError = bad->message;
  if (bad->type == "ForbiddenException")  // no signature at all
    return failWith(x, GatewayError{"MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"});
  std::string type = bad->message.rfind("Signature expired", 0) == 0 ? "EXPIRED_TOKEN" : "INVALID_SIGNATURE";
  GatewayError e{type, bad->message};
  e.errorType = bad->type;
  failWith(x, std::move(e));
}

}  // namespace

void authorizeRestRequest(const RestExchangePtr& x, Next next) {
  const CompiledRestMethod& m = *x->match.method;
  if (m.config.authorizationType == "AWS_IAM") return runIam(x, next);
  if (m.config.authorizationType == "CUSTOM" && m.bindings.authorizer)
    return runLambdaAuthorizer(x, *m.bindings.authorizer, next);
  next(x);
}

}  // namespace cdnlab::gateway

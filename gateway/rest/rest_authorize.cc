// REST API authorization: AWS_IAM, Lambda and Cognito user pool authorizers (see rest_authorize.h).
#include "gateway/rest/rest_authorize.h"

#include "common/clock.h"
#include "common/log.h"
#include "gateway/json.h"
#include "gateway/rest/authorizer_calls.h"
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

  std::string event = tokenType ? buildTokenAuthorizerEvent((*identity)[0], methodArn)
                                : buildRequestAuthorizerEvent(restProxyEventOf(*x), methodArn);
  int64_t ttlNs = c.authorizerResultTtlInSeconds * 1000000000LL;
  std::string id = c.id;
  invokeLambdaAuthorizer(*x->gw, x->ctx->workerIndex(), c, std::move(event),
                         [x, methodArn, cacheKey, ttlNs, id, next](LambdaAuthorizerAnswer a) {
                           x->authorizerLatencyMs = a.latencyMs;
                           if (a.unauthorized) return unauthorized(x, "authorizer " + id + " answered Unauthorized");
                           if (!a.verdict) return configurationError(x, "authorizer " + id + ": " + a.error);
                           int64_t now = SystemClock::instance().nowNs();
                           if (!cacheKey.empty()) x->gw->authorizerCache().put(cacheKey, a.verdict, now + ttlNs, now);
                           applyAnswer(x, a.verdict, methodArn, next);
                         });
}

// Cognito user pool authorizers: the token in the identity source header validated with its pool's
// key set (authorizer_calls.h). Refusals are 401s; no key set is a 500.
void cognitoRefused(const RestExchangePtr& x, const CognitoRefusal& why) {
  x->authorizerError = why.reason;
  failWith(x, GatewayError{"UNAUTHORIZED", why.message()});
}

void runCognitoAuthorizer(const RestExchangePtr& x, const CompiledRestAuthorizer& az, Next next) {
  const auto& req = x->ctx->request();
  RestIdentityInputs in{&req.headers, nullptr, nullptr, nullptr};
  auto identity = resolveRestIdentity(az.sources, in);
  if (!identity)
    return cognitoRefused(x, CognitoRefusal{false, az.config.identitySource + " of authorizer " + az.config.id + " is missing"});
  auto split = splitJwt((*identity)[0]);
  if (!split) return cognitoRefused(x, CognitoRefusal{false, split.error().message});
  auto token = std::make_shared<const JwtParts>(std::move(*split));
  auto pools = std::make_shared<const std::vector<CognitoUserPool>>(cognitoUserPoolsOf(az.config.providerARNs));
  CognitoRefusal why;
  CognitoCheck claimed{pools.get(), nullptr, nullptr, 0};
  const CognitoUserPool* pool = cognitoPoolOfToken(*token, claimed, why);
  if (!pool) return cognitoRefused(x, why);
  cognitoKeysOf(*x->gw, x->ctx->workerIndex(), *pool, jwtClaimString(token->header, "kid"),
                [x, &az, token, pools, next](Result<std::shared_ptr<const Jwks>> keys) {
                  if (!keys) return configurationError(x, keys.error().message);
                  CognitoCheck check{pools.get(), &x->match.method->config.authorizationScopes, az.tokenPattern.get(),
                                     wallMs() / 1000};
                  auto claims = std::make_shared<CognitoClaims>();
                  CognitoRefusal refusal;
                  if (!validateCognitoToken(*token, **keys, check, *claims, refusal)) return cognitoRefused(x, refusal);
                  x->cognito = std::move(claims);
                  next(x);
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
  if (m.config.authorizationType == "COGNITO_USER_POOLS" && m.bindings.authorizer)
    return runCognitoAuthorizer(x, *m.bindings.authorizer, next);
  next(x);
}

}  // namespace cdnlab::gateway

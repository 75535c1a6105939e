// Lambda authorizer invocations and Cognito key sets (see authorizer_calls.h).
#include "gateway/rest/authorizer_calls.h"

#include <rapidjson/document.h>

#include "common/clock.h"
#include "gateway/auth/rest_authorizer.h"
#include "gateway/integrations/lambda_invoke.h"
#include "gateway/server/gateway_server.h"
#include "gateway/server/jwks_fetcher.h"

namespace cdnlab::gateway {
namespace {

// The function's answer: a policy, the error "Unauthorized" (a 401, as API Gateway reads it), or
// anything else (500).
void readAnswer(Result<http::ClientResponse>& r, LambdaAuthorizerAnswer& out) {
  if (!r) {
    out.error = "Lambda invoke: " + r.error().message;
    return;
  }
  out.body.assign(r->body.data(), r->body.size());
  std::string_view body = out.body;
  if (r->status != 200) {
    out.error = "Lambda invoke answered " + std::to_string(r->status) + ": " + std::string(body.substr(0, 200));
    return;
  }
  if (r->headers.get("x-amz-function-error")) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    out.unauthorized = doc.IsObject() && doc.HasMember("errorMessage") && doc["errorMessage"].IsString() &&
                       std::string_view(doc["errorMessage"].GetString()) == "Unauthorized";
    out.error = "function error: " + std::string(body.substr(0, 200));
    return;
  }
  auto v = readRestAuthorizerAnswer(body);
  if (!v) {
    out.error = v.error().message;
    return;
  }
  out.verdict = std::make_shared<const AuthorizerVerdict>(std::move(*v));
}

}  // namespace

void invokeLambdaAuthorizer(GatewayServer& gw, int worker, const RestAuthorizer& a, std::string event,
                            std::function<void(LambdaAuthorizerAnswer)> done) {
  const auto& ep = gw.lambdaEndpoint();
  if (!ep) return done(LambdaAuthorizerAnswer{nullptr, false, "no Lambda endpoint configured (--lambda-endpoint)", "", 0});
  auto target = resolveLambdaUri(a.authorizerUri);
  if (!target) return done(LambdaAuthorizerAnswer{nullptr, false, target.error().message, "", 0});
  http::ClientRequest cr = lambdaInvokeRequest(*ep, *target, std::move(event), kRestAuthorizerTimeoutMs);
  int64_t startNs = SystemClock::instance().nowNs();
  gw.worker(worker).client->request(std::move(cr), [startNs, done = std::move(done)](Result<http::ClientResponse> r) {
    LambdaAuthorizerAnswer out;
    out.latencyMs = (SystemClock::instance().nowNs() - startNs) / 1000000;
    readAnswer(r, out);
    done(std::move(out));
  });
}

void cognitoKeysOf(GatewayServer& gw, int worker, const CognitoUserPool& pool, const std::string& kid,
                   std::function<void(Result<std::shared_ptr<const Jwks>>)> done) {
  if (auto keys = gw.jwksOf(pool.issuer)) return done(keys);
  const std::string& endpoint = gw.options().cognitoIdpEndpoint;
  if (endpoint.empty())
    return done(Error{500, "no key set for user pool " + pool.poolId + " (--cognito-idp-endpoint URL or --jwks " + pool.issuer + "=FILE)"});
  JwksFetcher* fetcher = gw.worker(worker).jwks.get();
  if (!fetcher) return done(Error{500, "the worker has stopped"});
  std::string source = cognitoKeySource(pool, endpoint);
  fetcher->get(source, false, [fetcher, source, kid, done = std::move(done)](Result<std::shared_ptr<const Jwks>> keys) mutable {
    if (!keys) return done(Error{500, "user pool keys " + source + ": " + keys.error().message});
    if ((*keys)->find(kid, "RSA")) return done(*keys);
    // A kid the cached set lacks: the pool may have rotated its keys.
    fetcher->get(source, true, [source, done = std::move(done)](Result<std::shared_ptr<const Jwks>> fresh) {
      if (!fresh) return done(Error{500, "user pool keys " + source + ": " + fresh.error().message});
      done(*fresh);
    });
  });
}

}  // namespace cdnlab::gateway

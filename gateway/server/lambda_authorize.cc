// Lambda authorizer invocation (see lambda_authorize.h).
#include "gateway/server/lambda_authorize.h"

#include "gateway/integrations/lambda_invoke.h"
#include "gateway/integrations/lambda_target.h"

namespace cdnlab::gateway {

void invokeAuthorizerFunction(GatewayServer& gw, int workerIndex, const Authorizer& az, std::string event,
                              VerdictCallback done) {
  const auto& ep = gw.lambdaEndpoint();
  if (!ep) return done(Error{500, "authorizer " + az.id + ": no Lambda endpoint configured (--lambda-endpoint)"});
  auto target = resolveLambdaUri(az.authorizerUri);
  if (!target) return done(Error{500, "authorizer " + az.id + ": " + target.error().message});
  http::ClientRequest cr = lambdaInvokeRequest(*ep, *target, std::move(event), kAuthorizerTimeoutMs);
  bool simple = az.enableSimpleResponses;
  std::string id = az.id;
  gw.worker(workerIndex).client->request(std::move(cr), [done = std::move(done), simple, id](Result<http::ClientResponse> r) {
    if (!r) return done(Error{500, "authorizer " + id + ": Lambda invoke: " + r.error().message});
    std::string_view body(r->body.data(), r->body.size());
    if (r->status != 200)
      return done(Error{500, "authorizer " + id + ": Lambda invoke answered " + std::to_string(r->status) + ": " +
                                 std::string(body.substr(0, 200))});
    if (auto fe = r->headers.get("x-amz-function-error"))
      return done(Error{500, "authorizer " + id + ": function error (" + std::string(*fe) + "): " + std::string(body.substr(0, 200))});
    auto verdict = readAuthorizerResponse(body, simple);
    if (!verdict) return done(Error{500, "authorizer " + id + ": " + verdict.error().message});
    done(std::make_shared<const AuthorizerVerdict>(std::move(*verdict)));
  });
}

}  // namespace cdnlab::gateway

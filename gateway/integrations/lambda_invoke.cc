// The Lambda Invoke API request (see lambda_invoke.h).
#include "gateway/integrations/lambda_invoke.h"

namespace cdnlab::gateway {

http::ClientRequest lambdaInvokeRequest(const Endpoint& ep, const LambdaTarget& target, std::string payload,
                                        uint64_t timeoutMs) {
  http::ClientRequest cr;
  cr.host = ep.host;
  cr.port = ep.port;
  cr.method = "POST";
  cr.target = ep.basePath + invokePath(target);
  cr.headers.add("Content-Type", "application/json");
  cr.headers.add("X-Amz-Invocation-Type", "RequestResponse");
  cr.body = Buffer(std::move(payload));
  cr.responseTimeoutMs = timeoutMs;
  return cr;
}

}  // namespace cdnlab::gateway

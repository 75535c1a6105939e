// Invoking a Lambda (REQUEST) authorizer's function through the Lambda Invoke API on the worker's
// HttpClient: the event goes out, the answer comes back read as a verdict. The invoke chain
// (invoke_chain.cc) decides what the verdict means for the request and caches it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "gateway/auth/lambda_authorizer.h"
#include "gateway/server/gateway_server.h"

namespace cdnlab::gateway {

// How long an authorizer function may take before the request fails with 500.
inline constexpr uint64_t kAuthorizerTimeoutMs = 10000;

using VerdictCallback = std::function<void(Result<std::shared_ptr<const AuthorizerVerdict>>)>;

// Calls `done` on the worker's loop thread with the verdict, or an error saying why there is none
// (no Lambda endpoint, bad authorizerUri, invoke failed or timed out, function error, malformed answer).
void invokeAuthorizerFunction(GatewayServer& gw, int workerIndex, const Authorizer& az, std::string event,
                              VerdictCallback done);

}  // namespace cdnlab::gateway

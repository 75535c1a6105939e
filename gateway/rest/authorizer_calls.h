// The calls a REST API authorizer makes off the gateway, shared by the invoke path
// (rest_authorize.cc) and TestInvokeAuthorizer (rest_test_authorizer.cc): a Lambda authorizer
// function's invocation through the Lambda Invoke API (--lambda-endpoint), and a Cognito user
// pool's key set (--jwks ISSUER=FILE, else fetched by the worker's JwksFetcher from
// --cognito-idp-endpoint). Both call back on the worker's loop thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "gateway/auth/cognito_authorizer.h"
#include "gateway/auth/lambda_authorizer.h"
#include "gateway/rest/rest_model.h"

namespace cdnlab::gateway {

class GatewayServer;

// How long an authorizer function may take before the request fails (API Gateway's limit).
inline constexpr uint64_t kRestAuthorizerTimeoutMs = 10000;

struct LambdaAuthorizerAnswer {
  std::shared_ptr<const AuthorizerVerdict> verdict;  // null: see unauthorized / error
  bool unauthorized = false;  // the function failed with the error "Unauthorized" (API Gateway: 401)
  std::string error;          // anything else: no endpoint, an invoke error, a malformed answer (500)
  std::string body;           // what the function answered, as it came (for the test log)
  int64_t latencyMs = 0;
};

void invokeLambdaAuthorizer(GatewayServer& gw, int worker, const RestAuthorizer& a, std::string event,
                            std::function<void(LambdaAuthorizerAnswer)> done);

// The key set that verifies `pool`'s tokens; `kid` missing from a cached set refreshes it once
// (JwksFetcher bounds how often). Error: no source configured or the fetch failed.
void cognitoKeysOf(GatewayServer& gw, int worker, const CognitoUserPool& pool, const std::string& kid,
                   std::function<void(Result<std::shared_ptr<const Jwks>>)> done);

}  // namespace cdnlab::gateway

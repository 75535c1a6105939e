// The authorization stage of the REST invoke path: AWS_IAM methods check the request's SigV4
// signature (gateway/server/iam_authorize.h); COGNITO_USER_POOLS methods validate the user pool
// token (gateway/auth/cognito_authorizer.h) with the pool's key set; CUSTOM methods ask their Lambda authorizer (TOKEN or
// REQUEST) through the Lambda Invoke API, keep its answer for authorizerResultTtlInSeconds by
// identity, and evaluate its policy against the method ARN. Refusals are AWS's gateway responses:
// 401 UNAUTHORIZED (no identity, token not matching identityValidationExpression, the function
// answering "Unauthorized"), 403 ACCESS_DENIED (the policy does not allow the method), 500
// AUTHORIZER_CONFIGURATION_ERROR (the function failed or answered something malformed).
#pragma once

#include "gateway/rest/rest_exchange.h"

namespace cdnlab::gateway {

// Calls `next` (on the worker's loop thread, at most once) when the request may go on; otherwise
// answers it.
void authorizeRestRequest(const RestExchangePtr& x, void (*next)(const RestExchangePtr&));

}  // namespace cdnlab::gateway

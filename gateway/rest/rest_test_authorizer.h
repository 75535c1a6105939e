// TestInvokeAuthorizer (`aws apigateway test-invoke-authorizer`, POST
// /restapis/{id}/authorizers/{authorizerId}): runs an authorizer as it is defined now (not as
// deployed) on a simulated request (headers, multiValueHeaders, pathWithQueryString, body,
// stageVariables) and answers what it decided: clientStatus (the status the client would get:
// 200, 401, 403 or 500), log, latency, and principalId and policy (Lambda authorizers) or claims
// (Cognito user pool authorizers). Asynchronous: it may call the authorizer's function or fetch
// a user pool's key set, on the worker's loop.
#pragma once

#include "common/http/server.h"

namespace cdnlab::gateway {

class GatewayServer;

bool isTestInvokeAuthorizer(const http::Request& req);
void testInvokeAuthorizer(GatewayServer& gw, const http::RequestContextPtr& ctx);

}  // namespace cdnlab::gateway

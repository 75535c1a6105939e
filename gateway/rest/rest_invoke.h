// The invoke path of REST APIs (v1), as explicit stages: 1 resolve (API, stage: always the first
// path segment) -> 2 match (resource and method; 403 {"message":"Missing Authentication Token"}
// when none) -> 3 authorization (AWS_IAM, Lambda TOKEN / REQUEST authorizers: rest_authorize.h)
// -> 4 request validation (required parameters, body against the model) -> 5 API key and usage
// plan (403 Forbidden, 429 Too Many Requests / Limit Exceeded) -> 6 method throttle -> 7 stage
// cache -> 8 integration (MOCK, AWS to the DynamoDB-compatible store or to Lambda, HTTP,
// AWS_PROXY with the payload 1.0 event) with request and response mapping templates. Every
// refusal is a gateway response of the stage's deployment (gateway_responses.h).
#pragma once

#include "common/http/server.h"
#include "gateway/rest/rest_store.h"
#include "gateway/routing/invoke_target.h"

namespace cdnlab::gateway {

class GatewayServer;

void runRestInvoke(GatewayServer& gw, const http::RequestContextPtr& ctx, InvokeTarget target,
                   std::shared_ptr<const RestSnapshot> snap);

}  // namespace cdnlab::gateway

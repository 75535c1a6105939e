// The invoke path of REST APIs (v1), as explicit stages: resolve (API, stage: always the first
// path segment) -> match (resource and method; 403 {"message":"Missing Authentication Token"}
// when none) -> API key and usage plan (403 Forbidden, 429 Too Many Requests / Limit Exceeded)
// -> stage cache -> integration (MOCK, AWS to the DynamoDB-compatible store or to Lambda,
// AWS_PROXY with the payload 1.0 event) with request and response mapping templates.
#pragma once

#include "common/http/server.h"
#include "gateway/rest/rest_store.h"
#include "gateway/routing/invoke_target.h"

namespace cdnlab::gateway {

class GatewayServer;

void runRestInvoke(GatewayServer& gw, const http::RequestContextPtr& ctx, InvokeTarget target,
                   std::shared_ptr<const RestSnapshot> snap);

}  // namespace cdnlab::gateway

// The invoke path as an ordered filter chain: resolve (API and stage) -> route -> auth ->
// throttle -> integration, and the answer back through the same filters in reverse
// (CORS headers, request id, metrics, access log). Each filter either continues or answers;
// the integration answers later, from the worker's loop.
#pragma once

#include "common/http/server.h"
#include "gateway/routing/invoke_target.h"

namespace cdnlab::gateway {

class GatewayServer;

void runInvokeChain(GatewayServer& gw, const http::RequestContextPtr& ctx, InvokeTarget target);

}  // namespace cdnlab::gateway

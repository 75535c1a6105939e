// One REST API request on its way through the invoke path's stages (rest_invoke.cc): what the
// stages learn (API, stage, resource and method, the authorizer's answer, the API key), the
// request's $context / $input.params() / $stageVariables for templates, and the two ways out:
// finish() with an answer, or failWith() a gateway response (gateway_responses.h). Loop thread of
// the request's worker only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http/server.h"
#include "gateway/auth/cognito_authorizer.h"
#include "gateway/auth/rest_authorizer.h"
#include "gateway/integrations/proxy_event.h"
#include "gateway/rest/rest_event.h"
#include "gateway/rest/gateway_responses.h"
#include "gateway/rest/rest_routing.h"
#include "gateway/rest/rest_store.h"
#include "gateway/routing/invoke_target.h"
#include "gateway/routing/query_string.h"
#include "gateway/vtl/value.h"

namespace cdnlab::gateway {

class GatewayServer;

struct RestExchange {
  GatewayServer* gw = nullptr;
  http::RequestContextPtr ctx;
  std::shared_ptr<const RestSnapshot> snap;
  InvokeTarget target;
  const CompiledRestApi* api = nullptr;
  const CompiledRestStage* stage = nullptr;
  ResourceMatch match;
  std::string restPath;  // the path after the stage ("/items/7")
  std::string requestId;
  int64_t startNs = 0;
  int64_t timeMs = 0;
  QueryParameters query;  // decoded, '+' read as a space (PlusSign::kSpace)
  std::string apiKeyId;
  std::string apiKeyValue;
  std::string cacheKey;  // non-empty: store the answer under it
  // Authorization's outcome: a Lambda authorizer's answer, a Cognito user pool token's claims, or
  // an AWS_IAM caller.
  std::shared_ptr<const AuthorizerVerdict> authorizer;
  std::shared_ptr<const CognitoClaims> cognito;
  int64_t authorizerLatencyMs = 0;
  std::string iamAuthorizerJson;
  std::string authorizerError;  // why authorization failed ($context.authorizer.error)
};
using RestExchangePtr = std::shared_ptr<RestExchange>;

// $input.params(): path, querystring (first value of each name), header (last value).
vtl::Value paramsOf(const RestExchange& x);
// requestContext.identity / $context.identity of an AWS_IAM method's signer; empty otherwise.
CallerIdentity callerOf(const RestExchange& x);
// $context (a fresh map per call: templates may #set into it), with authorizer.* once authorized.
vtl::Value contextOf(const RestExchange& x);
vtl::Value stageVariablesOf(const RestExchange& x);
// A mapping's source: 'literal', method.request.path|querystring|header.<name>,
// stageVariables.<name>, context.<name>; nullopt when absent.
std::optional<std::string> mappingSource(const RestExchange& x, std::string_view src);

// The Lambda proxy request view of the exchange (payload 1.0 with REST's differences: rest_event.h).
ProxyRequest proxyRequestOf(const RestExchange& x);
std::string restProxyEventOf(const RestExchange& x);

// Answers with x-amzn-RequestId.
void finish(const RestExchangePtr& x, http::Response resp);
// Answers with the gateway response of `type` (the stage's customisation or AWS's default).
void failWith(const RestExchangePtr& x, GatewayError e);

}  // namespace cdnlab::gateway

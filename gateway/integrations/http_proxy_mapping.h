// HTTP proxy integration, pure part: the upstream request an HTTP_PROXY integration sends. The
// integration URI's {name} placeholders take path parameters and ${stageVariables.x} stage
// variables; the client's query string and headers are forwarded (hop-by-hop ones dropped); then
// the integration's requestParameters apply, as API Gateway's parameter mapping does:
//   overwrite:path                 <value>
//   append|overwrite|remove:querystring.<name>  <value>
//   append|overwrite|remove:header.<name>       <value>
// where <value> is a literal, or $request.header.<n>, $request.querystring.<n>, $request.path,
// $request.path.<n>, $context.<v>, $stageVariables.<v> (each "${...}" or "$..." reference in the
// text is substituted).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/http/client.h"
#include "common/http/message.h"
#include "common/result.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

struct ProxyInputs {
  const http::Request* request = nullptr;
  std::string stagePath;  // the path after the stage prefix
  std::vector<std::pair<std::string, std::string>> pathParameters;
  const StringMap* stageVariables = nullptr;
  std::function<std::string(std::string_view)> context;  // $context.<name>
};

struct UpstreamRequest {
  std::string url;      // absolute, http://host:port/path?query
  std::string method;
  http::Headers headers;
};

Result<UpstreamRequest> buildUpstreamRequest(const Integration& in, const ProxyInputs& inputs);
// Substitutes ${stageVariables.x} in a text (integration URIs, Lambda ARNs).
std::string substituteStageVariables(std::string_view text, const StringMap* vars);

// The upstream's answer passed to the client as it came (status, body, headers), less the
// hop-by-hop headers and Content-Length, which belong to the upstream connection.
http::Response passThroughResponse(http::ClientResponse&& upstream);
// True when the upstream did not connect or answer in time (a 504, not a 502).
bool isUpstreamTimeout(const Error& clientError);

}  // namespace cdnlab::gateway

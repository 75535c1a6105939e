// Lambda integration URIs -> the function to invoke on the project's Lambda service. Accepted:
//   arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
//   arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<the ARN above>/invocations
//   <name> (a bare function name)
// Pure; the Invoke request itself is lambda_invoke.h.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace cdnlab::gateway {

struct LambdaTarget {
  std::string function;
  std::string qualifier;  // alias or version; empty: $LATEST
};

Result<LambdaTarget> resolveLambdaUri(std::string_view uri);
// "/2015-03-31/functions/<name>/invocations[?Qualifier=q]"
std::string invokePath(const LambdaTarget& t);

// "http://127.0.0.1:9001" -> host, port (numeric IP or localhost; http only).
struct Endpoint {
  std::string host;
  int port = 80;
  std::string basePath;  // "" or "/prefix" (no trailing slash)
};
Result<Endpoint> parseHttpEndpoint(std::string_view url);

}  // namespace cdnlab::gateway

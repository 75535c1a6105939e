// The Lambda Invoke API request the gateway sends to the project's Lambda service (`cdnlab lambda`
// at --lambda-endpoint): POST <basePath>/2015-03-31/functions/<name>/invocations with a JSON
// payload, answered synchronously (RequestResponse). Pure: the caller sends it with its worker's
// HttpClient and reads the answer (X-Amz-Function-Error marks a function error).
#pragma once

#include <cstdint>
#include <string>

#include "common/http/client.h"
#include "gateway/integrations/lambda_target.h"

namespace cdnlab::gateway {

http::ClientRequest lambdaInvokeRequest(const Endpoint& ep, const LambdaTarget& target, std::string payload,
                                        uint64_t timeoutMs);

}  // namespace cdnlab::gateway

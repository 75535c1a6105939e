// REST API `AWS` integrations, pure part: the integration URI
// `arn:aws:apigateway:{region}:{service}:action/{Action}` (or `path/...`) read into its parts, and
// the DynamoDB call the gateway makes for one: POST / to the store with the rendered template as
// the body, `X-Amz-Target: DynamoDB_20120810.<Action>`, `Content-Type:
// application/x-amz-json-1.0`, signed with SigV4 when the gateway has credentials.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/auth/sigv4.h"
#include "common/http/client.h"
#include "common/result.h"

namespace cdnlab::gateway {

struct AwsServiceTarget {
  std::string region;
  std::string service;  // "dynamodb", "lambda", ...
  std::string action;   // "GetItem" (action/ form)
  std::string path;     // the path/ form's remainder ("2015-03-31/functions/.../invocations")
};

Result<AwsServiceTarget> parseAwsIntegrationUri(std::string_view uri);

// True for the DynamoDB actions the store serves through an integration.
bool isDynamoDbAction(std::string_view action);

// The signed (when `credential` is set) store request for `action`.
http::ClientRequest dynamoDbRequest(const std::string& host, int port, const std::string& action, std::string body,
                                    const std::string& region, const std::optional<auth::Credential>& credential,
                                    int64_t nowEpochSeconds);

}  // namespace cdnlab::gateway

// OpenAPI 3 (YAML or JSON) with API Gateway's extensions -> an HTTP API model, as `aws
// apigatewayv2 import-api --body` and `cdnlab gateway --api FILE` load it. Each operation becomes
// a route "METHOD /path" (x-amazon-apigateway-any-method: ANY; the path "$default": the $default
// route) with the integration from its x-amazon-apigateway-integration (type aws_proxy,
// http_proxy or mock; uri, httpMethod, payloadFormatVersion, timeoutInMillis, requestParameters,
// requestTemplates, responses.default for mock). x-amazon-apigateway-cors becomes the API's CORS
// configuration. Errors name the source, the line and the JSON path:
// "api.yaml:12: paths./items.get.x-amazon-apigateway-integration.type: unknown integration type 'lambda'".
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

// The API (ids left empty for the caller to assign, integrations referenced by routes through
// their index: route.target = "integrations/#<n>").
Result<Api> importOpenApi(std::string_view text, const std::string& source);

}  // namespace cdnlab::gateway

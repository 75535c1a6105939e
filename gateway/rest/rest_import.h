// OpenAPI 3 / Swagger 2 (YAML or JSON) with API Gateway's extensions -> a REST API's resource
// tree, as `aws apigateway import-rest-api` and `put-rest-api` load it: each path becomes a
// resource (and its parents), each operation (x-amazon-apigateway-any-method: ANY) a method with
// request parameters, method responses, apiKeyRequired (a security requirement naming an
// `apiKey` scheme in header x-api-key) and the integration of x-amazon-apigateway-integration
// (type aws_proxy / aws / http / http_proxy / mock, uri, httpMethod, credentials,
// requestTemplates, requestParameters, passthroughBehavior, timeoutInMillis, cacheKeyParameters,
// responses: selection pattern -> statusCode, responseTemplates, responseParameters).
// x-amazon-apigateway-api-key-source and -binary-media-types set the API's. Mapping templates
// are parsed here, so a template outside the supported subset is refused at import.
// Errors: "<source>:<line>: <json path>: <reason>".
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "gateway/rest/rest_model.h"

namespace cdnlab::gateway {

// The API with resource ids assigned (fresh ids; the caller sets the API id and dates).
Result<RestApi> importRestApi(std::string_view text, const std::string& source);

// Checks every mapping template of an integration parses; the error names where it is.
Result<bool> checkTemplates(const RestIntegration& in, const std::string& where);

}  // namespace cdnlab::gateway

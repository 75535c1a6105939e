// Gateway responses of REST APIs: the answers API Gateway gives by itself (no resource or method,
// a refused authorization, a failed validation, throttling, a failed integration ...). Each has a
// response type with AWS's default status and body {"message": "..."}; an API customises them with
// put-gateway-response or x-amazon-apigateway-gateway-responses (status, headers from
// responseParameters, body from responseTemplates over $context.error.*). Pure: no sockets.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/message.h"
#include "common/result.h"
#include "gateway/rest/rest_model.h"
#include "gateway/vtl/parser.h"
#include "gateway/vtl/value.h"

namespace cdnlab::gateway {

using TemplateMap = std::map<std::string, std::shared_ptr<const vtl::Template>>;  // content type -> template

struct GatewayResponseType {
  std::string_view type;       // ACCESS_DENIED, ...
  int status;                  // AWS's default status; 0 for DEFAULT_4XX / DEFAULT_5XX
  std::string_view errorType;  // x-amzn-ErrorType clients read the error code from
};

// Every type API Gateway has, in its documentation's order.
const std::vector<GatewayResponseType>& gatewayResponseTypes();
const GatewayResponseType* findGatewayResponseType(std::string_view type);

// The body every type answers with until customised.
inline constexpr std::string_view kDefaultGatewayTemplate = R"({"message":$context.error.messageString})";

struct CompiledGatewayResponse {
  RestGatewayResponse config;
  TemplateMap templates;
};
using GatewayResponseMap = std::map<std::string, CompiledGatewayResponse>;

// Checks the types, status codes, parameter names and templates; the error names the type.
Result<GatewayResponseMap> compileGatewayResponses(const std::map<std::string, RestGatewayResponse>& responses);

// What went wrong: the type and $context.error.message (nullopt writes JSON null, as AWS's
// AUTHORIZER_CONFIGURATION_ERROR does).
struct GatewayError {
  GatewayError(std::string t, std::optional<std::string> m, int s = 0, std::string et = {})
      : type(std::move(t)), message(std::move(m)), status(s), errorType(std::move(et)) {}
  std::string type;
  std::optional<std::string> message;
  int status = 0;  // this occurrence's status when the type is not customised; 0: the type's default
  std::string errorType;  // x-amzn-ErrorType when not the type's (a SigV4 verifier's exact error)
  std::string validationErrorString;  // $context.error.validationErrorString (request validators)
};

// The request's view for templates and responseParameters. `context` is the request's $context
// map (error.* is added to it); `source` resolves a responseParameters value such as
// method.request.header.X, stageVariables.x or context.requestId (nullopt: absent).
struct GatewayResponseInputs {
  vtl::Value context;
  vtl::Value stageVariables;
  vtl::Value params;
  std::function<std::optional<std::string>(std::string_view source)> source;
};

// The answer, as API Gateway picks it: the type's customisation, else DEFAULT_4XX / DEFAULT_5XX
// by the type's status class, else the built-in. Status: a customised type's statusCode (none:
// its default); an uncustomised type's the fallback's statusCode, else its default. Headers: the fallback's responseParameters then the type's.
// Body: the customised type's template (application/json first; none: the default), else the
// fallback's, else the default.
// A template that fails to render falls back to the default body (the reason goes to `why`).
http::Response renderGatewayResponse(const GatewayResponseMap* custom, const GatewayError& e, GatewayResponseInputs in,
                                     std::string* why = nullptr);

}  // namespace cdnlab::gateway

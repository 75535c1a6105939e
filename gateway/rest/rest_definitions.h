// A REST API's definitions compiled for the invoke path (authorizers with their identity sources
// and validation regex, models as draft-4 validators, gateway responses with parsed templates),
// and their binding to each method of a deployment: which authorizer, validator and body models it
// uses. Also the checks the management API and import run on a method's references.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "common/result.h"
#include "gateway/rest/gateway_responses.h"
#include "gateway/rest/request_validation.h"
#include "gateway/rest/rest_model.h"

namespace cdnlab::gateway {

struct CompiledRestAuthorizer {
  RestAuthorizer config;
  std::vector<std::string> sources;          // identitySource split
  std::shared_ptr<const std::regex> tokenPattern;  // identityValidationExpression; null: none
};

struct CompiledDefinitions {
  std::map<std::string, std::shared_ptr<const CompiledRestAuthorizer>> authorizers;  // by id
  ModelMap models;                                                                    // by name
  std::shared_ptr<const GatewayResponseMap> gatewayResponses;
};

Result<CompiledDefinitions> compileDefinitions(const RestApiDefinitions& d);

// What a method uses of them.
struct MethodBindings {
  std::shared_ptr<const CompiledRestAuthorizer> authorizer;  // authorizationType CUSTOM or COGNITO_USER_POOLS
  bool validateParameters = false;
  bool validateBody = false;
  ModelMap bodyModels;  // content type -> model (requestModels)
};

// Error when the method names an authorizer, validator or model the definitions do not have, or
// an authorization type the gateway does not serve.
Result<MethodBindings> bindMethod(const RestMethod& m, const RestApiDefinitions& d, const CompiledDefinitions& cd);

// The checks put-method / update-method / import run (the same as bindMethod, without compiling).
Result<bool> checkMethodReferences(const RestMethod& m, const RestApiDefinitions& d);

// The models every new API has, as API Gateway makes them: Empty and Error.
std::vector<RestModelSchema> builtinModels();

}  // namespace cdnlab::gateway

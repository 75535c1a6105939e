// The parts of an OpenAPI 3 / Swagger 2 import that become a REST API's definitions rather than
// resources: security schemes with x-amazon-apigateway-authorizer (authorizers) or
// x-amazon-apigateway-authtype awsSigv4 (AWS_IAM), x-amazon-apigateway-request-validators (and the
// document's default x-amazon-apigateway-request-validator), components.schemas / definitions
// (models; a method's request body schema names its model), and
// x-amazon-apigateway-gateway-responses. Errors: "<source>:<line>: <json path>: <reason>".
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>

#include "common/result.h"
#include "gateway/rest/rest_model.h"

namespace cdnlab::gateway {

// What the operations refer to by name while they are imported.
struct ImportedDefinitions {
  RestApiDefinitions definitions;
  std::map<std::string, std::string> authorizerIdByScheme;  // security scheme name -> authorizer id
  std::vector<std::string> iamSchemes;                      // schemes with authtype awsSigv4
  std::map<std::string, std::string> validatorIdByName;
  std::string defaultValidatorId;                           // the document's x-amazon-apigateway-request-validator
};

Result<ImportedDefinitions> importDefinitions(const YAML::Node& root, const std::string& source);

// Applies an operation's `security`, x-amazon-apigateway-request-validator and request body
// (requestBody.content.<type>.schema, or a Swagger 2 `in: body` parameter) to the method; an inline
// schema becomes a model of its own. `op` is the operation's json path for errors.
Result<bool> importOperationDefinitions(const YAML::Node& root, const YAML::Node& operation, const std::string& op,
                                        const std::string& source, ImportedDefinitions& defs, RestMethod& m);

// A YAML node as JSON text (plain scalars typed as YAML 1.2's core schema reads them; quoted ones
// stay strings). Error past 64 levels of nesting.
Result<std::string> yamlToJson(const YAML::Node& n);

}  // namespace cdnlab::gateway

// Compiling a REST API's definitions and binding them to methods (see rest_definitions.h).
#include "gateway/rest/rest_definitions.h"

#include "gateway/auth/rest_authorizer.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

Result<CompiledDefinitions> compileDefinitions(const RestApiDefinitions& d) {
  CompiledDefinitions out;
  for (const auto& a : d.authorizers) {
    if (auto c = checkRestAuthorizer(a); !c) return Error{400, "authorizer " + a.name + ": " + c.error().message};
    auto ca = std::make_shared<CompiledRestAuthorizer>();
    ca->config = a;
    ca->sources = splitIdentitySources(a.identitySource);
    if (!a.identityValidationExpression.empty())  // checked above: it compiles
      ca->tokenPattern = std::make_shared<const std::regex>(a.identityValidationExpression, std::regex::ECMAScript);
    out.authorizers.emplace(a.id, std::move(ca));
  }
  auto models = compileModels(d.models);
  if (!models) return models.error();
  out.models = std::move(*models);
  auto responses = compileGatewayResponses(d.gatewayResponses);
  if (!responses) return responses.error();
  out.gatewayResponses = std::make_shared<const GatewayResponseMap>(std::move(*responses));
  return out;
}

Result<bool> checkMethodReferences(const RestMethod& m, const RestApiDefinitions& d) {
  const std::string& t = m.authorizationType;
  if (t != "NONE" && t != "CUSTOM" && t != "AWS_IAM" && t != "COGNITO_USER_POOLS")
    return Error{400, "Invalid authorization type " + t + " (NONE, CUSTOM, AWS_IAM, COGNITO_USER_POOLS)"};
  if (t == "CUSTOM" || t == "COGNITO_USER_POOLS") {
    if (m.authorizerId.empty()) return Error{400, "Invalid authorizer ID specified: authorizationType " + t + " needs authorizerId"};
    const RestAuthorizer* a = d.findAuthorizer(m.authorizerId);
    if (!a) return Error{400, "Invalid authorizer ID specified"};
    if ((t == "CUSTOM") != (a->type != "COGNITO_USER_POOLS"))
      return Error{400, "Authorizer " + a->id + " of type " + a->type + " does not fit authorizationType " + t};
  }
  if (!m.requestValidatorId.empty() && !d.findValidator(m.requestValidatorId))
    return Error{400, "Invalid Request Validator identifier specified"};
  for (const auto& [ct, name] : m.requestModels)
    if (!d.findModel(name)) return Error{400, "Invalid model identifier specified: " + name};
  return true;
}

Result<MethodBindings> bindMethod(const RestMethod& m, const RestApiDefinitions& d, const CompiledDefinitions& cd) {
  if (auto c = checkMethodReferences(m, d); !c) return c.error();
  MethodBindings b;
  if (m.authorizationType == "CUSTOM" || m.authorizationType == "COGNITO_USER_POOLS") b.authorizer = cd.authorizers.at(m.authorizerId);
  if (const RestRequestValidator* v = m.requestValidatorId.empty() ? nullptr : d.findValidator(m.requestValidatorId)) {
    b.validateParameters = v->validateRequestParameters;
    b.validateBody = v->validateRequestBody;
  }
  for (const auto& [ct, name] : m.requestModels) b.bodyModels[ct] = cd.models.at(name);
  return b;
}

std::vector<RestModelSchema> builtinModels() {
  RestModelSchema empty, error;
  empty.id = newId(6);
  empty.name = "Empty";
  empty.description = "This is a default empty schema model";
  empty.schema = R"({"$schema": "http://json-schema.org/draft-04/schema#", "title" : "Empty Schema", "type" : "object"})";
  error.id = newId(6);
  error.name = "Error";
  error.description = "This is a default error schema model";
  error.schema = R"({"$schema" : "http://json-schema.org/draft-04/schema#", "title" : "Error Schema", "type" : "object", )"
                 R"("properties" : { "message" : { "type" : "string" } }})";
  return {empty, error};
}

}  // namespace cdnlab::gateway

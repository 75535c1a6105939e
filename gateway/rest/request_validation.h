// Request validation of REST API methods, pure: a method's request validator checks the
// required request parameters (method.request.querystring|header|path.<name> marked true) and the
// body against the method's model for its content type. Models are JSON Schema draft 4 as API
// Gateway uses it, validated with RapidJSON's draft-4 validator (rapidjson/schema.h); a model's
// $ref to another model of the API (#/definitions/N, #/components/schemas/N or
// https://apigateway.amazonaws.com/restapis/<id>/models/N) resolves inside the compiled schema.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "gateway/rest/rest_model.h"

namespace cdnlab::gateway {

// A model ready to validate with, shared by every worker. RapidJSON 1.1's schema keeps the match
// state of `pattern` regexes inside the compiled schema (mutable members), so validations of one
// model take turns on `mu`; different models validate in parallel.
struct CompiledModel {
  std::string name;
  rapidjson::Document source;  // the schema with the API's other models under #/x-cdnlab-models
  std::unique_ptr<rapidjson::SchemaDocument> schema;
  mutable std::mutex mu;
};
using ModelMap = std::map<std::string, std::shared_ptr<const CompiledModel>>;

// Checks each model's schema is a JSON object and builds them; the error names the model.
Result<ModelMap> compileModels(const std::vector<RestModelSchema>& models);
// One model's schema is JSON and an object (create-model, import); error: BadRequest's message.
Result<bool> checkModelSchema(const std::string& name, const std::string& schema);

// The names of the required parameters that are missing, in the method's order
// ("method.request.querystring.q" -> "q"). `present` answers for a full parameter name.
std::vector<std::string> missingRequiredParameters(const std::map<std::string, bool>& requestParameters,
                                                   const std::function<bool(std::string_view)>& present);
// API Gateway's message for them: "Missing required request parameters: [q, x-h]".
std::string missingParametersMessage(const std::vector<std::string>& names);

// nullopt when `body` is JSON that the model accepts; otherwise the reason as
// $context.error.validationErrorString writes it ("[object has missing required properties ([\"name\"])]").
std::optional<std::string> validateBody(const CompiledModel& model, std::string_view body);

}  // namespace cdnlab::gateway

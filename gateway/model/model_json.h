// The API model <-> apigatewayv2's JSON members (camelCase, as aws-cli and boto3 send and read
// them). The same functions write the management API's answers and the persisted state
// (`persisted` adds what AWS does not show: deployments' frozen routes, MOCK answers).
#pragma once

#include <string>

#include "common/result.h"
#include "gateway/json.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

void writeApi(JsonWriter& w, const Api& api, const std::string& endpointBase, bool persisted);
void writeIntegration(JsonWriter& w, const Integration& i, bool persisted);
void writeRoute(JsonWriter& w, const Route& r);
void writeStage(JsonWriter& w, const Stage& s);
void writeDeployment(JsonWriter& w, const Deployment& d, bool persisted);

// Read the members a create / update request (or the persisted state) carries onto the value;
// members absent stay as they are. Errors: BadRequestException messages.
Result<bool> readApi(const rapidjson::Value& o, Api& api, bool persisted);
Result<bool> readIntegration(const rapidjson::Value& o, Integration& i, bool persisted);
Result<bool> readRoute(const rapidjson::Value& o, Route& r);
Result<bool> readStage(const rapidjson::Value& o, Stage& s);
Result<bool> readDeployment(const rapidjson::Value& o, Deployment& d);

// Checks an integration as API Gateway does for an HTTP API (type, URI form, payload version,
// timeout range); fills defaults (payloadFormatVersion 2.0 for AWS_PROXY, method ANY).
Result<bool> validateIntegration(Integration& i, const std::string& protocolType);

// The whole state (all APIs) as one JSON document, and back.
std::string writeState(const std::vector<Api>& apis);
Result<std::vector<Api>> readState(std::string_view text);

}  // namespace cdnlab::gateway

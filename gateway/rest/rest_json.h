// REST API model <-> JSON in the apigateway API's member names. The same shapes are the
// management API's answers and the persisted state (<data>/restapis.json); readers take a
// request body or a persisted object and report the first member of the wrong type.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "gateway/json.h"
#include "gateway/rest/rest_model.h"

namespace cdnlab::gateway {

void writeRestApi(JsonWriter& w, const RestApi& a);
void writeResource(JsonWriter& w, const RestResource& r, bool embedMethods);
void writeMethod(JsonWriter& w, const RestMethod& m);
void writeIntegration(JsonWriter& w, const RestIntegration& i);
void writeIntegrationResponse(JsonWriter& w, const RestIntegrationResponse& r);
void writeMethodResponse(JsonWriter& w, const RestMethodResponse& r);
void writeDeployment(JsonWriter& w, const RestDeployment& d);
void writeStage(JsonWriter& w, const RestStage& s);
void writeApiKey(JsonWriter& w, const ApiKey& k, bool includeValue);
void writeUsagePlan(JsonWriter& w, const UsagePlan& p);

void writeAuthorizer(JsonWriter& w, const RestAuthorizer& a);
void writeRequestValidator(JsonWriter& w, const RestRequestValidator& v);
void writeModel(JsonWriter& w, const RestModelSchema& m);
// `custom` null: the type's default (defaultResponse true, AWS's status and template).
void writeGatewayResponse(JsonWriter& w, const std::string& type, const RestGatewayResponse* custom);
void writeDefinitions(JsonWriter& w, const RestApiDefinitions& d);

// Readers fill what the object has and leave the rest; errors name the member.
Result<bool> readIntegration(const rapidjson::Value& o, RestIntegration& out);
Result<bool> readIntegrationResponse(const rapidjson::Value& o, RestIntegrationResponse& out);
Result<bool> readMethodResponse(const rapidjson::Value& o, RestMethodResponse& out);
Result<bool> readMethod(const rapidjson::Value& o, RestMethod& out);
Result<bool> readAuthorizer(const rapidjson::Value& o, RestAuthorizer& out);
Result<bool> readRequestValidator(const rapidjson::Value& o, RestRequestValidator& out);
Result<bool> readModel(const rapidjson::Value& o, RestModelSchema& out);
Result<bool> readGatewayResponse(const rapidjson::Value& o, RestGatewayResponse& out);
Result<bool> readDefinitions(const rapidjson::Value& o, RestApiDefinitions& out);
// A usage plan's members with the checks create-usage-plan makes (name, quota period and offset,
// limits not negative).
Result<bool> readUsagePlan(const rapidjson::Value& o, UsagePlan& out);
Result<bool> readBoolMap(const rapidjson::Value& o, const char* name, std::map<std::string, bool>& out);

std::string writeRestState(const RestState& s);
Result<RestState> readRestState(std::string_view text);

}  // namespace cdnlab::gateway

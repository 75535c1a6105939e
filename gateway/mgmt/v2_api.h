// The apigatewayv2 management API (REST-JSON under /v2/apis), as aws-cli `apigatewayv2` and
// boto3 call it: CreateApi (with quick create), GetApis, GetApi, UpdateApi, DeleteApi, ImportApi,
// ReimportApi, Create/Get/Update/Delete Integration(s), Route(s), Stage(s), Create/Get
// Deployment(s). Synchronous: every call is a short edit of the model under ModelStore's lock.
#pragma once

#include <string>

#include "common/http/message.h"
#include "gateway/model/model_store.h"

namespace cdnlab::gateway {

struct V2ApiOptions {
  std::string endpointBase;  // "http://{apiId}.execute-api.localhost:4010" ({apiId} replaced)
};

// True when `path` belongs to this API (starts with /v2/).
bool isV2ManagementPath(std::string_view path);
http::Response handleV2(ModelStore& store, const http::Request& req, const V2ApiOptions& opts);

// Adds a parsed OpenAPI API to the model: assigns ids, wires route targets, and (when
// `withDefaultStage`) creates an auto-deployed $default stage. Shared by ImportApi and --api.
// Assigns ids to an imported API in place and validates its routes (ReimportApi).
Result<bool> prepareImportedApi(Api& api, bool withDefaultStage);
Result<std::string> addImportedApi(std::vector<Api>& apis, Api api, bool withDefaultStage);

}  // namespace cdnlab::gateway

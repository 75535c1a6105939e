// The apigateway (v1, REST APIs) management API on the gateway's listener, next to apigatewayv2:
// /restapis (import, resources, methods, integrations, integration and method responses,
// deployments, stages, cache flush), /apikeys and /usageplans (keys, usage). REST-JSON as
// aws-cli and boto3 speak it: lists as {"item": [...]}, dates as epoch seconds, errors as
// {"message"} with x-amzn-ErrorType (NotFoundException, BadRequestException, ConflictException).
#pragma once

#include <string_view>

#include "common/http/message.h"
#include "gateway/rest/rest_store.h"

namespace cdnlab::gateway {

bool isRestManagementPath(std::string_view path);
http::Response handleRestManagement(RestStore& store, const http::Request& req);

}  // namespace cdnlab::gateway

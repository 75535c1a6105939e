// The apigateway management API for a REST API's definitions: authorizers
// (create-authorizer, get-authorizers, get-authorizer, update-authorizer, delete-authorizer),
// request validators, models and gateway responses (put-gateway-response, get-gateway-responses,
// get-gateway-response, update-gateway-response, delete-gateway-response), under
// /restapis/{id}/authorizers|requestvalidators|models|gatewayresponses. Changes show at the next
// deployment, as on AWS.
#pragma once

#include <string>
#include <vector>

#include "common/http/message.h"
#include "gateway/rest/rest_store.h"

namespace cdnlab::gateway {

bool isRestDefinitionsCollection(const std::string& collection);
// seg: the decoded path segments ("restapis", id, collection, ...).
http::Response handleRestDefinitions(RestStore& store, const http::Request& req, const std::vector<std::string>& seg);

}  // namespace cdnlab::gateway

// BatchWriteItem's RequestItems as DynamoDB echoes it in a constraint error: the Java toString of
// its request objects (Map<String, List<WriteRequest>>), not the JSON the client sent.
#pragma once

#include <rapidjson/document.h>

#include <string>

namespace cdnlab::store::validate {

// "{<table>=[WriteRequest(putRequest=PutRequest(item={<name>=AttributeValue(s=..., n=null, ...)},
// workloadProfileName=null), deleteRequest=null), ...], ...}". `requestItems` has passed the type
// pass; any member of another JSON type is echoed as null.
std::string javaEchoOfWriteRequests(const rapidjson::Value& requestItems);

}  // namespace cdnlab::store::validate

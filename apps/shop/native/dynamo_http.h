// The shop's native functions talk to the DynamoDB-compatible store as an SDK would: DynamoDB
// JSON 1.0 over HTTP/1.1 to $AWS_ENDPOINT_URL_DYNAMODB (which `cdnlab up` gives the Lambda
// service's process). One blocking request per call on its own connection: a handler runs on a
// native worker thread, never on an event loop. Bounded by the invocation's remaining time.
#pragma once

#include <string>

namespace cdnlab::shop {

struct DynamoReply {
  int status = 0;          // 0: no answer (the error says why)
  std::string body;
  std::string error;       // transport failure
  std::string errorType;   // DynamoDB's __type after the '#', for 4xx/5xx answers
};

// `op`: the operation ("GetItem"); `body`: its JSON request.
DynamoReply dynamoCall(const std::string& op, const std::string& body, long timeoutMs);

}  // namespace cdnlab::shop

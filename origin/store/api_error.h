// The errors the store answers with, in DynamoDB's wire shape. Every service error is HTTP 400
// (botocore retries 5xx for ~25 s, so a client mistake must never look like a server fault);
// only a real internal failure (the engine refusing a write) is a 500.
#pragma once

#include <string>

namespace cdnlab::store {

struct ApiError {
  std::string type;     // full __type, e.g. "com.amazonaws.dynamodb.v20120810#ValidationException"
  std::string message;  // DynamoDB's wording where clients match on it
  int status = 400;
  // Extra members spliced into the error body, already serialised as `"k":v,...` (no braces);
  // used for ConditionalCheckFailedException's Item and TransactionCanceledException's reasons.
  std::string extraJson;
  // The Coral framework's SerializationException, and a ConditionalCheckFailedException carrying
  // the old Item, say "Message", not "message".
  bool capitalMessage = false;
};

inline constexpr const char* kDynamoPrefix = "com.amazonaws.dynamodb.v20120810#";
inline constexpr const char* kCoralPrefix = "com.amazon.coral.service#";
// Every ValidationException comes from the Coral validation layer, request-shape or semantic.
inline constexpr const char* kValidatePrefix = "com.amazon.coral.validate#";

inline ApiError dynamoError(const char* name, std::string message) {
  return ApiError{std::string(kDynamoPrefix) + name, std::move(message), 400, {}};
}
inline ApiError validation(std::string message) {
  return ApiError{std::string(kValidatePrefix) + "ValidationException", std::move(message), 400, {}};
}
inline ApiError resourceNotFound(std::string message = "Requested resource not found") {
  return dynamoError("ResourceNotFoundException", std::move(message));
}
inline ApiError resourceInUse(std::string message) {
  return dynamoError("ResourceInUseException", std::move(message));
}
inline ApiError conditionFailed() {
  return dynamoError("ConditionalCheckFailedException", "The conditional request failed");
}
inline ApiError coralError(const char* name, std::string message) {
  return ApiError{std::string(kCoralPrefix) + name, std::move(message), 400, {}};
}
inline ApiError internalError(std::string message) {
  return ApiError{std::string(kDynamoPrefix) + "InternalServerError", std::move(message), 500, {}};
}

}  // namespace cdnlab::store

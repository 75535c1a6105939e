// The errors the store answers with, in DynamoDB's wire shape. Every service error is HTTP 400
// (botocore retries 5xx for ~25 s, so a client mistake must never look like a server fault);
// only a real internal failure (the engine refusing a write) is a 500.
#pragma once

#include <string>
#include <string_view>

namespace cdnlab::store {

struct ApiError {
  std::string type;     // full __type, e.g. "com.amazonaws.dynamodb.v20120810#ValidationException"
  std::string message;  // DynamoDB's wording where clients match on it
  int status = 400;
  // Extra members spliced into the error body, already serialised as `"k":v,...` (no braces);
  // used for ConditionalCheckFailedException's Item and TransactionCanceledException's reasons.
  std::string extraJson;
  // "Message", not "message": the Coral framework's SerializationException, a
  // ConditionalCheckFailedException carrying the old Item, and the errors dynamoError names.
  bool capitalMessage = false;
};

inline constexpr const char* kDynamoPrefix = "com.amazonaws.dynamodb.v20120810#";
inline constexpr const char* kCoralPrefix = "com.amazon.coral.service#";
// Every ValidationException comes from the Coral validation layer, request-shape or semantic.
inline constexpr const char* kValidatePrefix = "com.amazon.coral.validate#";

// DynamoDB's API model names the message member "Message" for these three errors and "message"
// for every other; the wire follows the model (an SDK fills the error's modeled Message from it).
inline bool modelSpellsMessageCapital(std::string_view name) {
  return name == "TransactionCanceledException" || name == "IdempotentParameterMismatchException" ||
         name == "TransactionInProgressException";
}
inline ApiError dynamoError(const char* name, std::string message) {
  ApiError e{std::string(kDynamoPrefix) + name, std::move(message), 400, {}};
  e.capitalMessage = modelSpellsMessageCapital(name);
  return e;
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

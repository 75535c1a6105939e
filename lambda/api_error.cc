// Lambda API errors rendered as AWS renders them (see api_error.h).
#include "lambda/api_error.h"

#include "lambda/json.h"

namespace cdnlab::lambda {

ApiError resourceNotFound(std::string message) { return {404, "ResourceNotFoundException", std::move(message)}; }
ApiError resourceConflict(std::string message) { return {409, "ResourceConflictException", std::move(message)}; }
ApiError invalidParameter(std::string message) { return {400, "InvalidParameterValueException", std::move(message)}; }
ApiError validationError(std::string_view value, std::string_view field, std::string_view rule) {
  std::string m = "1 validation error detected: Value '";
  m.append(value).append("' at '").append(field).append("' failed to satisfy constraint: ").append(rule);
  return {400, "ValidationException", std::move(m)};
}
ApiError invalidRequestContent(std::string message) {
  return {400, "InvalidRequestContentException", std::move(message)};
}
ApiError preconditionFailed(std::string message) { return {412, "PreconditionFailedException", std::move(message)}; }
ApiError serviceError(std::string message) { return {500, "ServiceException", std::move(message), "", true}; }
ApiError tooManyRequests(std::string reason, std::string message) {
  return {429, "TooManyRequestsException", std::move(message), std::move(reason)};
}

http::Response errorResponse(const ApiError& e, const std::string& requestId) {
  JsonWriter w;
  w.startObject();
  w.key("Type").string(e.server ? "Service" : "User");
  w.key("message").string(e.message);
  if (!e.reason.empty()) {
    w.key("Reason").string(e.reason);
    w.key("retryAfterSeconds").string("1");
  }
  w.endObject();
  http::Response r;
  r.status = e.status;
  r.headers.add("Content-Type", "application/json");
  r.headers.add("x-amzn-ErrorType", e.type);
  r.headers.add("x-amzn-RequestId", requestId);
  if (!e.reason.empty()) r.headers.add("Retry-After", "1");
  r.body = Buffer(w.take());
  return r;
}

http::Response jsonResponse(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = Buffer(std::move(body));
  return r;
}

}  // namespace cdnlab::lambda

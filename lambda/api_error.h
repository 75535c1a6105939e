// Errors of the Lambda API as AWS's clients parse them: the type in the `x-amzn-ErrorType`
// header and in the JSON body ({"Type":"User","message":...}), with AWS's status code. botocore and
// the JavaScript SDK v3 take the error code from that header, the message from the body.
#pragma once

#include <string>

#include "common/http/message.h"

namespace cdnlab::lambda {

struct ApiError {
  ApiError() = default;
  ApiError(int s, std::string t, std::string m, std::string r = "", bool srv = false)
      : status(s), type(std::move(t)), message(std::move(m)), reason(std::move(r)), server(srv) {}
  int status = 400;
  std::string type;     // e.g. "ResourceNotFoundException"
  std::string message;
  std::string reason;   // TooManyRequestsException's Reason (empty: none)
  bool server = false;  // "Type":"Service" instead of "User"
};

ApiError resourceNotFound(std::string message);
ApiError resourceConflict(std::string message);
ApiError invalidParameter(std::string message);
// "1 validation error detected: Value '<value>' at '<field>' failed to satisfy constraint: <rule>"
ApiError validationError(std::string_view value, std::string_view field, std::string_view rule);
ApiError invalidRequestContent(std::string message);
ApiError preconditionFailed(std::string message);
ApiError serviceError(std::string message);
ApiError tooManyRequests(std::string reason, std::string message = "Rate Exceeded.");

http::Response errorResponse(const ApiError& e, const std::string& requestId);
// A successful answer: `body` (JSON, or empty) with AWS's Content-Type.
http::Response jsonResponse(int status, std::string body);

}  // namespace cdnlab::lambda

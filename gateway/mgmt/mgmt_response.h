// Answers of the management APIs in AWS's REST-JSON shape: JSON bodies, and errors as
// {"message": "..."} with the x-amzn-ErrorType header botocore reads the error code from.
#pragma once

#include <string>
#include <string_view>

#include "common/http/message.h"

namespace cdnlab::gateway {

http::Response jsonResponse(int status, std::string body);
// type: NotFoundException, BadRequestException, ConflictException, TooManyRequestsException, ...
http::Response awsError(int status, std::string_view type, std::string_view message);
// The status API Gateway uses for an error type (400 for unknown types).
http::Response awsErrorFor(int code, std::string_view message);
// {"message": "<text>"}: the invoke path's own answers (Not Found, Too Many Requests, ...).
http::Response messageResponse(int status, std::string_view message);

}  // namespace cdnlab::gateway

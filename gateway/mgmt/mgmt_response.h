// Answers of the management APIs in AWS's REST-JSON shape: JSON bodies, and errors as
// {"message": "..."} with the x-amzn-ErrorType header botocore reads the error code from.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "common/http/message.h"
#include "common/result.h"

namespace cdnlab::gateway {

http::Response jsonResponse(int status, std::string body);
// type: NotFoundException, BadRequestException, ConflictException, TooManyRequestsException, ...
http::Response awsError(int status, std::string_view type, std::string_view message);
// The status API Gateway uses for an error type (400 for unknown types).
http::Response awsErrorFor(int code, std::string_view message);
// A request id in AWS's form for x-amzn-RequestId (a random UUID, 8-4-4-4-12 hex).
std::string newAwsRequestId();
// {"message": "<text>"}: the invoke path's own answers (Not Found, Too Many Requests, ...).
http::Response messageResponse(int status, std::string_view message);

// A management request's body as a JSON object (an empty body is {}); errors are
// BadRequestException messages ("Invalid request body: ...").
Result<bool> parseRequestObject(const http::Request& req, rapidjson::Document& doc);

// A request path's non-empty segments as sent (not decoded): "/v2/apis/x" -> {"v2", "apis", "x"}.
std::vector<std::string_view> splitSegments(std::string_view path);
// The percent-decoded value of the first `name` parameter of a query string ("" when absent).
std::string queryParam(std::string_view query, std::string_view name);

}  // namespace cdnlab::gateway

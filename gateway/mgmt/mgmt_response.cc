// Management API answers (see mgmt_response.h).
#include "gateway/mgmt/mgmt_response.h"

#include "gateway/json.h"

namespace cdnlab::gateway {

http::Response jsonResponse(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = Buffer(std::move(body));
  return r;
}

http::Response awsError(int status, std::string_view type, std::string_view message) {
  http::Response r = jsonResponse(status, "{\"message\":" + jsonQuote(message) + "}");
  r.headers.add("x-amzn-ErrorType", type);
  return r;
}

http::Response awsErrorFor(int code, std::string_view message) {
  switch (code) {
    case 404: return awsError(404, "NotFoundException", message);
    case 409: return awsError(409, "ConflictException", message);
    case 429: return awsError(429, "TooManyRequestsException", message);
    case 500: return awsError(500, "InternalServerError", message);
    default: return awsError(400, "BadRequestException", message);
  }
}

http::Response messageResponse(int status, std::string_view message) {
  return jsonResponse(status, "{\"message\":" + jsonQuote(message) + "}");
}

}  // namespace cdnlab::gateway

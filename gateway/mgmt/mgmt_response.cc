// Management API answers (see mgmt_response.h).
#include "gateway/mgmt/mgmt_response.h"

#include <random>

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

std::string newAwsRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) s.push_back('-');
    s.push_back(hex[rng() & 15]);
  }
  return s;
}

http::Response messageResponse(int status, std::string_view message) {
  return jsonResponse(status, "{\"message\":" + jsonQuote(message) + "}");
}

}  // namespace cdnlab::gateway

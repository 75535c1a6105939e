// Management API answers (see mgmt_response.h).
#include "gateway/mgmt/mgmt_response.h"

#include <random>

#include "gateway/json.h"
#include "gateway/routing/query_string.h"

namespace cdnlab::gateway {

http::Response jsonResponse(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = Buffer(std::move(body));
  return r;
}

Result<bool> parseRequestObject(const http::Request& req, rapidjson::Document& doc) {
  if (req.body.empty()) {
    doc.SetObject();
    return true;
  }
  if (auto r = parseJson(req.body, doc); !r) return Error{400, "Invalid request body: " + r.error().message};
  if (!doc.IsObject()) return Error{400, "Invalid request body: expected a JSON object"};
  return true;
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

std::vector<std::string_view> splitSegments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string queryParam(std::string_view query, std::string_view name) {
  const QueryParameters params = parseQueryParameters(query, PlusSign::kLiteral);
  const std::vector<std::string>* values = queryValues(params, name);
  return values ? values->front() : "";
}

}  // namespace cdnlab::gateway

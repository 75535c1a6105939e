// Lambda proxy integration, pure part: the event API Gateway sends a function (payload format 2.0
// and 1.0, field for field as AWS documents them) and the reading of the function's answer into
// an HTTP response (the 2.0 rules: a JSON value without statusCode is a 200 JSON body, cookies
// become Set-Cookie, isBase64Encoded bodies are decoded; anything malformed is an error the
// caller answers with 500 {"message":"Internal Server Error"}).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/http/message.h"
#include "common/result.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

// What the event is built from: the request as the gateway saw it and the route it matched.
struct ProxyRequest {
  std::string method;
  std::string rawPath;     // path as the client sent it (with a named stage's prefix), still encoded
  std::string rawQuery;    // after '?', without it
  std::string protocol = "HTTP/1.1";
  const http::Headers* headers = nullptr;
  std::string body;
  std::string sourceIp;
  std::string userAgent;   // requestContext's copy of the User-Agent header
  std::string accountId = "123456789012";
  std::string apiId;
  std::string domainName;  // e.g. "abc123.execute-api.localhost"
  std::string domainPrefix;
  std::string stage;
  std::string routeKey;    // "GET /items/{id}" or "$default"
  std::string routeId;
  std::string resourcePath;  // the route's path template ("/items/{id}"); for $default the request path
  std::string requestId;
  std::string extendedRequestId;
  int64_t timeEpochMs = 0;
  std::vector<std::pair<std::string, std::string>> pathParameters;
  const StringMap* stageVariables = nullptr;
  // requestContext.authorizer (already JSON), or empty.
  std::string authorizerJson;
};

// An event's members that come from the client's request as it arrived: method, query string,
// protocol, headers, body, source IP and User-Agent. The caller adds the path and the API's side.
ProxyRequest clientProxyRequest(const http::Request& req);

// "12/Mar/2020:19:03:58 +0000" (the requestContext time format, also $context.requestTime).
std::string clfTime(int64_t epochMs);
// True when API Gateway passes the body as text (not base64): no Content-Type, text/*, or a JSON,
// XML, JavaScript or form type.
bool isTextContentType(std::string_view contentType);

std::string buildEventV2(const ProxyRequest& r);
std::string buildEventV1(const ProxyRequest& r);

// Reads a function's answer (the Invoke response body) as `payloadFormatVersion` prescribes.
// Error message says what was malformed (for $context.integrationErrorMessage and logs).
Result<http::Response> readProxyResponse(std::string_view body, const std::string& payloadFormatVersion);

std::string base64Encode(std::string_view in);
Result<std::string> base64Decode(std::string_view in);

}  // namespace cdnlab::gateway

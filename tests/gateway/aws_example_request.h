// The request behind AWS's documented 1.0 Lambda proxy event examples (the HTTP API's
// payload_v1.json and the REST API's rest_proxy_event.json in fixtures/), and the reading of a
// fixture file: the event tests of both API kinds start from the same request.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "gateway/integrations/proxy_event.h"

namespace cdnlab::gateway::test {

inline std::string readFixture(const std::string& name) {
  std::ifstream in(std::string(CDNLAB_SOURCE_DIR) + "/tests/gateway/fixtures/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The example's headers: header1 once, header2 twice.
inline http::Headers awsExampleHeaders() {
  http::Headers h;
  h.add("header1", "value1");
  h.add("header2", "value1");
  h.add("header2", "value2");
  return h;
}

// GET /my/path?parameter1=value1&parameter1=value2&parameter2=value with a text body; the caller
// sets the stage and route key its example shows.
inline ProxyRequest awsExampleRequest(const http::Headers& headers) {
  ProxyRequest r;
  r.method = "GET";
  r.rawPath = "/my/path";
  r.rawQuery = "parameter1=value1&parameter1=value2&parameter2=value";
  r.headers = &headers;
  r.body = "Hello from Lambda!";
  r.sourceIp = "192.0.2.1";
  r.userAgent = "user-agent";
  r.apiId = "id";
  r.domainName = "id.execute-api.us-east-1.amazonaws.com";
  r.domainPrefix = "id";
  r.routeId = "abc1234";
  r.resourcePath = "/my/path";
  r.requestId = "id=";
  r.extendedRequestId = "request-id";
  r.timeEpochMs = 1583349317135;
  return r;
}

}  // namespace cdnlab::gateway::test

// Lambda@Edge events: the four CloudFront triggers, the request / response an edge function sees,
// and the event JSON built from them exactly as CloudFront sends it:
//   {"Records":[{"cf":{"config":{"distributionDomainName","distributionId","eventType","requestId"},
//                      "request":{"clientIp","headers":{"host":[{"key":"Host","value":"..."}]},
//                                 "method","querystring","uri"[,"origin"]},
//                      ["response":{"headers","status","statusDescription"}]}}]}
// `origin` appears at origin-request and origin-response; `response` at the two response
// triggers. Pure: no libuv, no threads; the PoP builds these on its worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/http/message.h"

namespace cdnlab::lambda::edge {

#define CDNLAB_EDGE_TRIGGERS(X)                 \
  X(ViewerRequest, "viewer-request")            \
  X(OriginRequest, "origin-request")            \
  X(OriginResponse, "origin-response")          \
  X(ViewerResponse, "viewer-response")

enum class Trigger {
#define CDNLAB_X(name, text) name,
  CDNLAB_EDGE_TRIGGERS(CDNLAB_X)
#undef CDNLAB_X
};
inline constexpr int kTriggerCount = 4;

std::string_view triggerName(Trigger t);
std::optional<Trigger> parseTrigger(std::string_view name);
inline bool isRequestTrigger(Trigger t) { return t == Trigger::ViewerRequest || t == Trigger::OriginRequest; }

// The custom origin the request goes to (CloudFront's request.origin.custom).
struct EdgeOrigin {
  std::string domainName;  // host name or address
  uint16_t port = 80;
  std::string protocol = "http";
  std::string path;        // prefixed to every upstream path; "" or "/base"
};

struct EdgeRequest {
  std::string clientIp;
  std::string method = "GET";
  std::string uri = "/";       // the path, without the query string
  std::string querystring;     // without '?'
  http::Headers headers;
  std::optional<EdgeOrigin> origin;  // origin-request / origin-response only
};

struct EdgeResponse {
  int status = 200;
  std::string statusDescription;  // "" -> the standard reason phrase
  http::Headers headers;
};

struct EdgeConfig {
  std::string distributionDomainName;  // the PoP's host name as clients use it
  std::string distributionId;          // the PoP id
  std::string requestId;               // per request, also the invocation's request id
};

// The event JSON for `trigger`. `response` is required for the response triggers and ignored
// for the request triggers; the request's origin is written only where CloudFront writes it.
std::string buildEvent(Trigger trigger, const EdgeConfig& config, const EdgeRequest& request,
                       const EdgeResponse* response);

}  // namespace cdnlab::lambda::edge

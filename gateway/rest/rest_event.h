// The Lambda proxy event of a REST API method, pure: the payload 1.0 shape the HTTP API builder
// writes (integrations/proxy_event.h) with what REST APIs send differently - no "version" member,
// "path" is the path after the stage while requestContext.path keeps the stage, and
// requestContext.identity carries the API key used (apiKey, apiKeyId) when the method needs one.
#pragma once

#include <string>

#include "gateway/integrations/proxy_event.h"

namespace cdnlab::gateway {

struct RestEventExtras {
  std::string stagePath;  // "/items/7" (the event's "path")
  std::string fullPath;   // "/prod/items/7" (requestContext.path)
  std::string apiKey;     // empty: no key
  std::string apiKeyId;
};

std::string buildRestProxyEvent(const ProxyRequest& r, const RestEventExtras& extras);

}  // namespace cdnlab::gateway

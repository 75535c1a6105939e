// The Lambda proxy event of a REST API method, pure: the payload 1.0 shape the HTTP API builder
// writes (integrations/proxy_event.h) with what REST APIs send differently - no "version" member,
// "path" is the path after the stage while requestContext.path keeps the stage, and
// requestContext.identity carries the API key used (apiKey, apiKeyId) when the method needs one
// and, for an AWS_IAM method, the signer (accessKey, accountId, caller, user, userArn).
#pragma once

#include <string>

#include "gateway/integrations/proxy_event.h"

namespace cdnlab::gateway {

// The signer of an AWS_IAM method's request; empty fields stay null, as for an anonymous caller.
struct CallerIdentity {
  std::string accessKey;
  std::string accountId;
  std::string caller;
  std::string user;
  std::string userArn;
};

struct RestEventExtras {
  std::string stagePath;  // "/items/7" (the event's "path")
  std::string fullPath;   // "/prod/items/7" (requestContext.path)
  std::string apiKey;     // empty: no key
  std::string apiKeyId;
  CallerIdentity caller = {};  // AWS_IAM methods
};

std::string buildRestProxyEvent(const ProxyRequest& r, const RestEventExtras& extras);

}  // namespace cdnlab::gateway

// Which API, stage and path an invoke request is for, pure. Two forms:
//   Host: <apiId>.execute-api.<anything>   path /<stage>/rest   (as on AWS)
//   /_api/<apiId>/<stage>/rest                                  (clients that cannot set Host)
// A named stage is the first path segment; otherwise the $default stage takes the whole path.
#pragma once

#include <string>
#include <string_view>

#include "gateway/runtime/snapshot.h"

namespace cdnlab::gateway {

struct InvokeTarget {
  std::string apiId;
  std::string path;        // what follows the host or the /_api/<apiId> prefix ("/prod/items/7")
  std::string domainName;  // "<apiId>.execute-api.localhost" or the Host as sent (without port)
};

// False when the request is not an invoke request (management API, /metrics, ...).
bool invokeTargetOf(std::string_view host, std::string_view path, InvokeTarget& out);

struct StageSelection {
  const CompiledStage* stage = nullptr;  // null: no stage serves this path
  std::string_view stagePath;            // path after the stage prefix ("/items/7"), a view into the input
};

StageSelection selectStage(const CompiledApi& api, std::string_view path);

}  // namespace cdnlab::gateway

// The patch operations of the apigateway update-* calls (update-method, update-stage,
// update-api-key, update-authorizer, ...): {"patchOperations": [{"op", "path", "value"}]}, read
// once here for every handler. Inside a path, '/' in a name is written "~1" and '~' "~0".
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "gateway/json.h"

namespace cdnlab::gateway {

struct PatchOp {
  std::string op;  // add | remove | replace | copy | move | test
  std::string path;
  std::string value;
  bool remove() const { return op == "remove"; }
};

// The body's patchOperations (none when absent). Error 400 when it is not a list of objects with
// string members.
Result<std::vector<PatchOp>> patchOperationsOf(const rapidjson::Value& body);

// "application~1json" -> "application/json".
std::string unescapePatchPath(std::string s);

}  // namespace cdnlab::gateway

// Patch operations of the update-* calls (see rest_patch.h).
#include "gateway/rest/rest_patch.h"

namespace cdnlab::gateway {

Result<std::vector<PatchOp>> patchOperationsOf(const rapidjson::Value& body) {
  std::vector<PatchOp> out;
  if (!body.IsObject() || !body.HasMember("patchOperations")) return out;
  const rapidjson::Value& ops = body["patchOperations"];
  if (!ops.IsArray()) return Error{400, "Invalid patch operations: expected a list"};
  for (const auto& o : ops.GetArray()) {
    if (!o.IsObject()) return Error{400, "Invalid patch operations: each one must be an object"};
    PatchOp p;
    JsonReader r(o);
    r.str("op", p.op);
    r.str("path", p.path);
    r.str("value", p.value);
    if (!r.ok()) return Error{400, r.error()};
    out.push_back(std::move(p));
  }
  return out;
}

std::string unescapePatchPath(std::string s) {
  for (size_t k = 0; (k = s.find("~1", k)) != std::string::npos; ++k) s.replace(k, 2, "/");
  for (size_t k = 0; (k = s.find("~0", k)) != std::string::npos; ++k) s.replace(k, 2, "~");
  return s;
}

}  // namespace cdnlab::gateway

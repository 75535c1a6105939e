// REST API model lookups (see rest_model.h).
#include "gateway/rest/rest_model.h"

namespace cdnlab::gateway {

RestResource* RestApi::findResource(const std::string& rid) {
  for (auto& r : resources)
    if (r.id == rid) return &r;
  return nullptr;
}

const RestDeployment* RestApi::findDeployment(const std::string& did) const {
  for (const auto& d : deployments)
    if (d.id == did) return &d;
  return nullptr;
}

RestStage* RestApi::findStage(const std::string& name) {
  for (auto& s : stages)
    if (s.stageName == name) return &s;
  return nullptr;
}

}  // namespace cdnlab::gateway

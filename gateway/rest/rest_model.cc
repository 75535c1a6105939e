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

const RestAuthorizer* RestApiDefinitions::findAuthorizer(const std::string& id) const {
  for (const auto& a : authorizers)
    if (a.id == id) return &a;
  return nullptr;
}

const RestRequestValidator* RestApiDefinitions::findValidator(const std::string& id) const {
  for (const auto& v : requestValidators)
    if (v.id == id) return &v;
  return nullptr;
}

const RestModelSchema* RestApiDefinitions::findModel(const std::string& name) const {
  for (const auto& m : models)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace cdnlab::gateway

// Lookups on the API model and identifier generation.
#include "gateway/model/api_model.h"

#include <random>

namespace cdnlab::gateway {

Integration* Api::findIntegration(const std::string& iid) {
  for (auto& i : integrations)
    if (i.id == iid) return &i;
  return nullptr;
}

Route* Api::findRoute(const std::string& rid) {
  for (auto& r : routes)
    if (r.id == rid) return &r;
  return nullptr;
}

Stage* Api::findStage(const std::string& n) {
  for (auto& s : stages)
    if (s.name == n) return &s;
  return nullptr;
}

const Stage* Api::findStage(const std::string& n) const {
  for (const auto& s : stages)
    if (s.name == n) return &s;
  return nullptr;
}

const Deployment* Api::findDeployment(const std::string& did) const {
  for (const auto& d : deployments)
    if (d.id == did) return &d;
  return nullptr;
}

std::string newId(size_t length) {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string s(length, 'a');
  for (auto& c : s) c = kAlphabet[rng() % 36];
  return s;
}

}  // namespace cdnlab::gateway

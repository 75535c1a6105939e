// Route, the first step of the edge request path: put the request-target into its one normalised
// form and select the cache behavior (behaviors.h) whose path pattern matches first, as
// CloudFront does before any edge function runs. The behavior decides the edge functions, the
// cache key, the TTLs and the upstream of everything that follows.
#include "edge/cache/request_target.h"
#include "edge/pop/core.h"

namespace cdnlab::edge::pop {

std::optional<std::string> normalizeRequestTarget(Transaction& tx) {
  http::Request& r = tx.request;
  if (r.target == "*" && r.method == "OPTIONS") return std::nullopt;  // asterisk-form, passed as is
  auto n = cache::normalizeTarget(r.target);
  if (!n.ok()) return n.error().message;
  if (!n->authority.empty()) r.headers.set("Host", n->authority);
  r.target = n->originForm();
  r.path = n->path;
  r.query = n->query.value_or("");
  return std::nullopt;
}

Next stepRoute(PopCore& core, Transaction& tx) {
  const std::vector<Behavior>& behaviors = core.config().behaviors;
  if (behaviors.empty()) return goTo(Step::FnViewerRequest);
  // Selected on the normalised path, so "/%61pi/x" cannot escape the /api/* behavior.
  if (auto why = normalizeRequestTarget(tx)) {
    tx.synth = {400, *why};
    tx.outcome = Outcome::Synth;
    return goTo(Step::Synth);
  }
  tx.behaviorIndex = selectBehavior(behaviors, tx.request.path);
  tx.behavior = &behaviors[tx.behaviorIndex];
  if (!methodAllowed(tx.behavior->allowedMethods, tx.request.method)) {
    // CloudFront answers 403 for a method outside the behavior's allowed set, never forwarding it.
    tx.synth = {403, "method " + tx.request.method + " is not allowed for " + tx.behavior->pathPattern +
                         " (cache behavior " + tx.behavior->name + ")"};
    tx.outcome = Outcome::Synth;
    switch (tx.behavior->allowedMethods) {
      case AllowedMethods::GetHead: tx.synthHeaders.add("Allow", "GET, HEAD"); break;
      case AllowedMethods::GetHeadOptions: tx.synthHeaders.add("Allow", "GET, HEAD, OPTIONS"); break;
      case AllowedMethods::All: break;
    }
    return goTo(Step::Synth);
  }
  return goTo(Step::FnViewerRequest);
}

}  // namespace cdnlab::edge::pop

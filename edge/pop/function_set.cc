// Resolution of edge-function associations into a FunctionSet, and the lookup per request
// (function_set.h).
#include "edge/pop/function_set.h"

#include "lambda/native/registry.h"

namespace cdnlab::edge::pop {

namespace native = lambda::native;

Result<FunctionSetPtr> FunctionSet::resolve(const std::vector<EdgeFunctionAssociation>& popWide,
                                            const std::vector<std::vector<EdgeFunctionAssociation>>& byBehavior,
                                            const std::vector<std::string>& behaviorNames, bool hasLambdaEndpoint,
                                            const std::string& lambdaBasePath) {
  auto set = std::make_shared<FunctionSet>();
  auto resolveOne = [&](const EdgeFunctionAssociation& a) -> Result<ResolvedFunction> {
    const std::string where = a.source.empty() ? "edge-function " + a.function.spec : a.source + ": " + a.function.spec;
    ResolvedFunction fn;
    fn.association = a;
    if (a.function.kind == EdgeFunctionRef::Kind::Native) {
      fn.native = native::Registry::global().find(a.function.name);
      if (!fn.native) {
        std::string known;
        for (const auto& n : native::Registry::global().names()) known += (known.empty() ? "" : ", ") + n;
        return Error{2, where + ": no native function '" + a.function.name +
                            "' (known: " + known + ")"};
      }
    } else {
      if (!hasLambdaEndpoint) return Error{2, where + ": needs --lambda-endpoint"};
      fn.invokeTarget = lambdaBasePath + "/2015-03-31/functions/" + a.function.name + "/invocations";
    }
    return fn;
  };
  for (const auto& a : popWide) {
    auto fn = resolveOne(a);
    if (!fn.ok()) return fn.error();
    set->byTrigger_[static_cast<size_t>(a.trigger)].push_back(std::move(fn.value()));
    ++set->count_;
  }
  set->byBehavior_.resize(byBehavior.size());
  for (size_t b = 0; b < byBehavior.size(); ++b) {
    for (const auto& a : byBehavior[b]) {
      auto fn = resolveOne(a);
      if (!fn.ok()) {
        std::string name = b < behaviorNames.size() ? behaviorNames[b] : std::to_string(b);
        return Error{2, "behavior " + name + ": " + fn.error().message};
      }
      set->byBehavior_[b][static_cast<size_t>(a.trigger)].push_back(std::move(fn.value()));
      ++set->count_;
    }
  }
  return FunctionSetPtr(std::move(set));
}

const ResolvedFunction* FunctionSet::find(lambda::edge::Trigger trigger, std::string_view path,
                                          std::optional<size_t> behavior) const {
  // A behavior's own function for the trigger first (it was selected by the path already), then
  // the PoP-wide associations by their patterns.
  if (behavior && *behavior < byBehavior_.size()) {
    const auto& own = byBehavior_[*behavior][static_cast<size_t>(trigger)];
    if (!own.empty()) return &own.front();
  }
  for (const auto& fn : byTrigger_[static_cast<size_t>(trigger)])
    if (pathPatternMatches(fn.association.pathPattern, path)) return &fn;
  return nullptr;
}

}  // namespace cdnlab::edge::pop

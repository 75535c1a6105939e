// One generation of a PoP's edge-function associations, resolved: which function runs at which
// trigger for which path or cache behavior. Immutable once built; the FunctionRunner swaps in a
// new one on reload (SIGHUP), and a transaction keeps the set it started with until it ends.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "edge/pop/behaviors.h"
#include "edge/pop/function_config.h"
#include "lambda/native/function.h"

namespace cdnlab::edge::pop {

struct ResolvedFunction {
  EdgeFunctionAssociation association;
  lambda::native::NativeFunctionPtr native;  // Kind::Native
  std::string invokeTarget;                  // Kind::Lambda: /2015-03-31/functions/NAME/invocations
};

class FunctionSet {
 public:
  // Resolves PoP-wide associations (`popWide`, in order) and each cache behavior's own (by
  // behavior index): native names are looked up in the global registry (an unknown name is an
  // error listing the known ones); `lambda:` ones become Invoke targets under lambdaBasePath, and
  // need a Lambda endpoint (`hasLambdaEndpoint`).
  static Result<std::shared_ptr<const FunctionSet>> resolve(const std::vector<EdgeFunctionAssociation>& popWide,
                                                            const std::vector<std::vector<EdgeFunctionAssociation>>& byBehavior,
                                                            const std::vector<std::string>& behaviorNames,
                                                            bool hasLambdaEndpoint, const std::string& lambdaBasePath);

  // The function of cache behavior `behavior` (an index into the PoP's behaviors) for `trigger`;
  // else the first PoP-wide association for `trigger` whose pattern matches `path`; or null.
  const ResolvedFunction* find(lambda::edge::Trigger trigger, std::string_view path,
                               std::optional<size_t> behavior = std::nullopt) const;

  size_t size() const { return count_; }  // associations in the set

 private:
  using ByTrigger = std::array<std::vector<ResolvedFunction>, lambda::edge::kTriggerCount>;
  ByTrigger byTrigger_;
  std::vector<ByTrigger> byBehavior_;  // per cache behavior, at most one per trigger
  size_t count_ = 0;
};

using FunctionSetPtr = std::shared_ptr<const FunctionSet>;

}  // namespace cdnlab::edge::pop

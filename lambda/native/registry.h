// The registry of native functions by name: the compiled-in built-ins (builtins.h) and what
// plugins add when loaded (loader.h). The Lambda service
// resolves a `cdnlab-native` function's Handler, and a PoP its `builtin:NAME` edge functions, here.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "lambda/native/function.h"

namespace cdnlab::lambda::native {

class Registry {
 public:
  // Thread-safe. Fails (nothing added) on an empty or malformed name, a null handler, or a name
  // that is already registered.
  Result<NativeFunctionPtr> add(NativeFunction fn);
  // Thread-safe. The pointer stays valid for as long as the caller holds it, even if the name is
  // re-registered by a later reload.
  NativeFunctionPtr find(std::string_view name) const;
  std::vector<std::string> names() const;  // sorted

  // The process-wide registry: on first use it holds the compiled-in built-ins (builtins.h); plugins
  // loaded with `--native-plugin` are added to it. Never destroyed (abandoned threads may use it).
  static Registry& global();

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, NativeFunctionPtr> byName_;
};

// [A-Za-z0-9_.-]{1,64}: the same alphabet AWS allows in a function name, plus '.'.
bool validNativeName(std::string_view name);

}  // namespace cdnlab::lambda::native

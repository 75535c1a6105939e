// Name -> native function, shared by the Lambda service and the PoPs of one process.
#include "lambda/native/registry.h"

#include <algorithm>

#include "lambda/native/builtins.h"

namespace cdnlab::lambda::native {

bool validNativeName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

Result<NativeFunctionPtr> Registry::add(NativeFunction fn) {
  if (!validNativeName(fn.name)) {
    return Error{400, "native function name '" + fn.name + "' must match [A-Za-z0-9_.-]{1,64}"};
  }
  if (fn.handler == nullptr) return Error{400, "native function '" + fn.name + "' has no handler"};
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = byName_.try_emplace(fn.name, nullptr);
  if (!inserted) {
    return Error{409, "native function '" + fn.name + "' is already registered (from " + it->second->source + ")"};
  }
  it->second = std::make_shared<const NativeFunction>(std::move(fn));
  return it->second;
}

NativeFunctionPtr Registry::find(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = byName_.find(std::string(name));
  return it == byName_.end() ? nullptr : it->second;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [name, fn] : byName_) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Registry& Registry::global() {
  static Registry* registry = [] {
    auto* r = new Registry();  // never destroyed: abandoned threads may still use it
    addBuiltins(*r);
    return r;
  }();
  return *registry;
}

}  // namespace cdnlab::lambda::native

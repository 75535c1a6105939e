// dlopen + version check + registration of a plugin's functions.
#include "lambda/native/loader.h"

#include <dlfcn.h>

#include <set>

namespace cdnlab::lambda::native {

Result<std::vector<NativeFunctionPtr>> loadPlugin(const std::string& path, Registry& registry) {
  auto fail = [&](const std::string& why) { return Error{400, "native plugin " + path + ": " + why}; };
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* err = dlerror();
    return fail(err ? err : "dlopen failed");
  }
  auto entry = reinterpret_cast<cdnlab_native_module_fn>(dlsym(handle, CDNLAB_NATIVE_MODULE_SYMBOL));
  if (entry == nullptr) {
    return fail(std::string("does not export ") + CDNLAB_NATIVE_MODULE_SYMBOL + "() (build it against cdnlab_native.h)");
  }
  const cdnlab_native_module* module = entry();
  if (module == nullptr) return fail(std::string(CDNLAB_NATIVE_MODULE_SYMBOL) + "() returned NULL");
  if (module->abi_version != CDNLAB_NATIVE_ABI_VERSION) {
    return fail("built for native ABI version " + std::to_string(module->abi_version) + ", this host speaks version " +
                std::to_string(CDNLAB_NATIVE_ABI_VERSION) + "; rebuild it against this cdnlab_native.h");
  }
  if (module->function_count == 0 || module->functions == nullptr) return fail("exports no functions");
  constexpr uint32_t kMaxFunctions = 1024;
  if (module->function_count > kMaxFunctions) return fail("exports more than 1024 functions");

  // Validate everything before registering anything, so a bad plugin leaves no half state.
  std::vector<NativeFunction> fns;
  std::set<std::string> seen;
  for (uint32_t i = 0; i < module->function_count; ++i) {
    const cdnlab_native_function& f = module->functions[i];
    std::string where = "functions[" + std::to_string(i) + "]";
    if (f.name == nullptr || !validNativeName(f.name)) return fail(where + ".name must match [A-Za-z0-9_.-]{1,64}");
    if (f.handler == nullptr) return fail(where + " ('" + f.name + "') has no handler");
    if (!seen.insert(f.name).second) return fail(where + ": name '" + f.name + "' appears twice");
    if (registry.find(f.name)) return fail(where + ": '" + f.name + "' is already registered");
    NativeFunction fn;
    fn.name = f.name;
    fn.handler = f.handler;
    fn.userData = f.user_data;
    if (f.init_ms != 0) fn.initTime = std::chrono::milliseconds(f.init_ms);
    fn.source = path;
    fns.push_back(std::move(fn));
  }
  std::vector<NativeFunctionPtr> out;
  for (auto& fn : fns) {
    auto added = registry.add(std::move(fn));
    if (!added.ok()) return fail(added.error().message);  // a race with another loader
    out.push_back(added.value());
  }
  return out;
}

}  // namespace cdnlab::lambda::native

// Loads a native plugin (a shared object built against lambda/native/cdnlab_native.h) and adds
// its functions to a registry. The object is never unloaded: a timed-out handler's abandoned
// thread may still be executing its code.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "lambda/native/registry.h"

namespace cdnlab::lambda::native {

// dlopen(path, RTLD_NOW | RTLD_LOCAL), resolve cdnlab_native_get_module, check the ABI version and
// every entry, then register all functions (all or none: a bad entry or a name clash adds none).
// Errors name the path and what was wrong: missing file or symbol, ABI mismatch, bad entry.
// Returns the registered functions. Thread-safe; call at startup, not on an event loop.
Result<std::vector<NativeFunctionPtr>> loadPlugin(const std::string& path, Registry& registry);

}  // namespace cdnlab::lambda::native

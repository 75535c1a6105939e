// The compiled-in native functions: one table, so the linker keeps every built-in (static
// self-registration would be dropped from a static library) and `cdnlab` can list them.
#pragma once

#include <cstdint>
#include <span>

#include "lambda/edge/request_edit.h"
#include "lambda/native/cdnlab_native.h"

namespace cdnlab::lambda::native {

class Registry;

struct BuiltinSpec {
  const char* name;
  cdnlab_native_handler handler;
  const char* summary;  // one line for `--help` and docs
  edge::EdgeRequestHandler edgeRequest;  // typed entry point at the request triggers, or null
};

// Every built-in: the general ones below (echo) and the Lambda@Edge teaching functions
// (lambda/edge/functions/).
std::span<const BuiltinSpec> builtinTable();
// Adds every built-in to `registry` (source "builtin"); a name clash is logged and skipped.
void addBuiltins(Registry& registry);

}  // namespace cdnlab::lambda::native

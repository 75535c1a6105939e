// The general-purpose compiled-in native handlers (the edge teaching functions live in
// lambda/edge/functions/). Each is a cdnlab_native_handler; builtins.cc lists them by name.
#pragma once

#include "lambda/native/cdnlab_native.h"

namespace cdnlab::lambda::native::builtin {

int echo(const cdnlab_native_context* ctx, const char* event, size_t eventLen, void* userData);

}  // namespace cdnlab::lambda::native::builtin

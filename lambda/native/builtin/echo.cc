// Built-in `echo`: answers with the event it was given. The smallest native function: the
// Lambda service's tests and the invoke-overhead benchmark use it.
#include <cstring>

#include "lambda/native/builtin/builtin.h"

namespace cdnlab::lambda::native::builtin {

int echo(const cdnlab_native_context* ctx, const char* event, size_t eventLen, void*) {
  char* out = ctx->alloc_response(ctx->host, eventLen);
  if (out == nullptr) {
    ctx->set_error(ctx->host, "Function.ResponseSizeTooLarge", "the event is larger than the response limit");
    return CDNLAB_NATIVE_ERROR;
  }
  if (eventLen != 0) std::memcpy(out, event, eventLen);
  return CDNLAB_NATIVE_OK;
}

}  // namespace cdnlab::lambda::native::builtin

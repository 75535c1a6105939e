/* A plugin that claims a future ABI version: the loader must refuse it (tests/lambda/native). */
#include <stddef.h>

#include "lambda/native/cdnlab_native.h"

static int noop(const cdnlab_native_context* ctx, const char* event, size_t event_len, void* user_data) {
  (void)ctx;
  (void)event;
  (void)event_len;
  (void)user_data;
  return CDNLAB_NATIVE_OK;
}

static const cdnlab_native_function kFunctions[] = {{"wrong-abi", noop, NULL, 0}};
static const cdnlab_native_module kModule = {CDNLAB_NATIVE_ABI_VERSION + 1, 1, kFunctions};

__attribute__((visibility("default"))) const cdnlab_native_module* cdnlab_native_get_module(void) { return &kModule; }

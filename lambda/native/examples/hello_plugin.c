/* An example native plugin: plain C against lambda/native/cdnlab_native.h, built by CMake as a
 * MODULE library (cdnlab_hello_plugin.so) and loaded with `--native-plugin PATH`. It exports:
 *   hello-plugin        answers {"message":"Hello from a plugin","bytes":N} (N = event size)
 *   hello-plugin-fail   fails with errorType "HelloError" (what a throwing handler looks like)
 *   hello-plugin-sleep  sleeps for the event's number of milliseconds (e.g. `250`), then answers
 *                       `"slept"`: shows a timeout and the abandoned thread
 * Build your own: cc -shared -fPIC -I<cdnlab source> my_plugin.c -o my_plugin.so */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lambda/native/cdnlab_native.h"

static int hello(const cdnlab_native_context* ctx, const char* event, size_t event_len, void* user_data) {
  (void)event;
  (void)user_data;
  char body[96];
  int n = snprintf(body, sizeof body, "{\"message\":\"Hello from a plugin\",\"bytes\":%zu}", event_len);
  char* out = ctx->alloc_response(ctx->host, (size_t)n);
  if (out == NULL) {
    ctx->set_error(ctx->host, "HelloError", "response buffer refused");
    return CDNLAB_NATIVE_ERROR;
  }
  memcpy(out, body, (size_t)n);
  static const char line[] = "hello-plugin: answered\n";
  ctx->log(ctx->host, line, sizeof line - 1);
  return CDNLAB_NATIVE_OK;
}

static int hello_fail(const cdnlab_native_context* ctx, const char* event, size_t event_len, void* user_data) {
  (void)event;
  (void)event_len;
  (void)user_data;
  ctx->set_error(ctx->host, "HelloError", "this function always fails");
  return CDNLAB_NATIVE_ERROR;
}

static int hello_sleep(const cdnlab_native_context* ctx, const char* event, size_t event_len, void* user_data) {
  (void)user_data;
  char digits[16] = {0};
  size_t n = event_len < sizeof digits - 1 ? event_len : sizeof digits - 1;
  memcpy(digits, event, n);
  long ms = strtol(digits, NULL, 10);
  if (ms < 0 || ms > 60000) ms = 0;
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
  char* out = ctx->alloc_response(ctx->host, 7);
  if (out == NULL) return CDNLAB_NATIVE_ERROR;
  memcpy(out, "\"slept\"", 7);
  return CDNLAB_NATIVE_OK;
}

static const cdnlab_native_function kFunctions[] = {
    {"hello-plugin", hello, NULL, 0},
    {"hello-plugin-fail", hello_fail, NULL, 0},
    {"hello-plugin-sleep", hello_sleep, NULL, 0},
};

static const cdnlab_native_module kModule = {CDNLAB_NATIVE_ABI_VERSION, 3, kFunctions};

__attribute__((visibility("default"))) const cdnlab_native_module* cdnlab_native_get_module(void) { return &kModule; }

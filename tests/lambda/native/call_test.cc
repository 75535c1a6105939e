// callNative: the direct call through the C ABI, its host callbacks and the status rules.
#include <gtest/gtest.h>

#include <cstring>

#include "lambda/native/builtin/builtin.h"
#include "lambda/native/function.h"

namespace cdnlab::lambda::native {
namespace {

NativeFunction make(const char* name, cdnlab_native_handler h) {
  NativeFunction fn;
  fn.name = name;
  fn.handler = h;
  return fn;
}

TEST(NativeCall, EchoAnswersTheEvent) {
  NativeOutput out;
  callNative(make("echo", &builtin::echo), R"({"a":1})", CallOptions{}, out);
  EXPECT_EQ(out.status, NativeStatus::Ok);
  EXPECT_EQ(out.payload, R"({"a":1})");
  EXPECT_GE(out.durationNs, 0);
}

TEST(NativeCall, NoResponseIsNull) {
  NativeOutput out;
  callNative(make("quiet", [](const cdnlab_native_context*, const char*, size_t, void*) { return 0; }), "{}", {}, out);
  EXPECT_EQ(out.status, NativeStatus::Ok);
  EXPECT_EQ(out.payload, "null");
}

TEST(NativeCall, SetErrorIsAFunctionError) {
  NativeOutput out;
  callNative(make("fail",
                  [](const cdnlab_native_context* ctx, const char*, size_t, void*) {
                    ctx->set_error(ctx->host, "MyError", "went \"wrong\"");
                    return CDNLAB_NATIVE_ERROR;
                  }),
             "{}", {}, out);
  EXPECT_EQ(out.status, NativeStatus::FunctionError);
  EXPECT_EQ(out.errorType, "MyError");
  EXPECT_EQ(out.errorPayload(), R"({"errorType":"MyError","errorMessage":"went \"wrong\""})");
}

TEST(NativeCall, NonZeroReturnWithoutErrorIsNamed) {
  NativeOutput out;
  callNative(make("rc7", [](const cdnlab_native_context*, const char*, size_t, void*) { return 7; }), "{}", {}, out);
  EXPECT_EQ(out.status, NativeStatus::FunctionError);
  EXPECT_EQ(out.errorType, "Runtime.HandlerError");
  EXPECT_NE(out.errorMessage.find("returned 7"), std::string::npos);
}

TEST(NativeCall, ResponseOverTheLimitIsRefused) {
  CallOptions opts;
  opts.maxResponseBytes = 4;
  NativeOutput out;
  callNative(make("echo", &builtin::echo), "12345", opts, out);
  EXPECT_EQ(out.status, NativeStatus::FunctionError);
  EXPECT_EQ(out.errorType, "Function.ResponseSizeTooLarge");
  EXPECT_TRUE(out.payload.empty());
}

TEST(NativeCall, ContextCarriesNamesLogAndTime) {
  CallOptions opts;
  opts.requestId = "req-1";
  opts.deadlineNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        (std::chrono::steady_clock::now() + std::chrono::seconds(60)).time_since_epoch())
                        .count();
  opts.memoryMb = 256;
  NativeOutput out;
  callNative(make("ctx",
                  [](const cdnlab_native_context* ctx, const char*, size_t, void*) {
                    char line[160];
                    int n = std::snprintf(line, sizeof line, "%s %s %u %d %u", ctx->function_name, ctx->request_id,
                                          ctx->memory_limit_mb, ctx->remaining_time_ms(ctx->host) > 50000,
                                          ctx->abi_version);
                    ctx->log(ctx->host, line, static_cast<size_t>(n));
                    return 0;
                  }),
             "{}", opts, out);
  EXPECT_EQ(out.log, "ctx req-1 256 1 1");
}

TEST(NativeCall, WithoutARequestIdTheContextHasAnEmptyOne) {
  // CallOptions{}'s requestId is an empty view with a null pointer: copying it must not hand
  // memcpy a null source (UBSan halts the ASan+UBSan suite here without the guard in call.cc).
  NativeOutput out;
  callNative(make("ctx",
                  [](const cdnlab_native_context* ctx, const char*, size_t, void*) {
                    char line[80];
                    int n = std::snprintf(line, sizeof line, "[%s]", ctx->request_id);
                    ctx->log(ctx->host, line, static_cast<size_t>(n));
                    return 0;
                  }),
             "{}", CallOptions{}, out);
  EXPECT_EQ(out.status, NativeStatus::Ok);
  EXPECT_EQ(out.log, "[]");
}

TEST(NativeCall, TimeoutMessageIsAws) {
  EXPECT_EQ(timeoutMessage(std::chrono::milliseconds(3000)), "Task timed out after 3.00 seconds");
  EXPECT_EQ(timeoutMessage(std::chrono::milliseconds(50)), "Task timed out after 0.05 seconds");
}

}  // namespace
}  // namespace cdnlab::lambda::native

// A native function as the host holds it, and the direct call that runs one on the current
// thread (the worker pool calls it; benchmarks and tests may too). Pure: no libuv, no threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lambda/native/cdnlab_native.h"

namespace cdnlab::lambda::edge {
class RequestEdit;
}

namespace cdnlab::lambda::native {

// Modelled cold start of a native environment when neither the function nor the caller sets
// one: small but non-zero, so a lab can see cold vs warm (real process runtimes take 30-100 ms).
inline constexpr std::chrono::microseconds kDefaultInitTime{2000};
// AWS's synchronous response limit (6 MB); edge triggers pass their smaller limits.
inline constexpr size_t kDefaultMaxResponseBytes = 6 * 1024 * 1024;

struct NativeFunction {
  std::string name;
  cdnlab_native_handler handler = nullptr;
  void* userData = nullptr;
  std::chrono::microseconds initTime = kDefaultInitTime;  // per new environment
  std::string source;  // "builtin" or the path of the shared object it came from
  // Built-ins only: a typed entry point at the request triggers (lambda/edge/request_edit.h)
  // that a PoP calls instead of `handler` with a JSON event. Null: JSON only.
  int (*edgeRequest)(edge::RequestEdit& edit, void* userData) = nullptr;
};
using NativeFunctionPtr = std::shared_ptr<const NativeFunction>;

enum class NativeStatus {
  Ok,             // payload is the handler's response ("null" if it wrote none)
  FunctionError,  // errorType / errorMessage from the handler (AWS: X-Amz-Function-Error: Unhandled)
  TimedOut,       // ran past its timeout; errorMessage is AWS's "Task timed out after N.NN seconds"
  Rejected,       // never ran: the pool is stopping or its queue is full (errorType says which)
};
std::string_view nativeStatusName(NativeStatus s);

// What one invocation produced.
struct NativeOutput {
  NativeStatus status = NativeStatus::Ok;
  std::string payload;
  std::string errorType;
  std::string errorMessage;
  std::string log;           // what the handler wrote through ctx->log
  int64_t durationNs = 0;    // the handler call alone
  int64_t initNs = 0;        // modelled cold start (0 when warm)
  bool coldStart = false;
  // AWS's function-error payload: {"errorType":..,"errorMessage":..} (for FunctionError/TimedOut).
  std::string errorPayload() const;
};

struct CallOptions {
  std::string_view requestId;
  int64_t deadlineNs = 0;  // steady_clock time_since_epoch in ns; 0 = no deadline
  uint32_t memoryMb = 128;
  size_t maxResponseBytes = kDefaultMaxResponseBytes;
};

// Calls fn.handler on this thread with `event` and fills `out` (status Ok or FunctionError,
// payload, log, durationNs). Does not model a cold start and cannot time out: the pool does both.
void callNative(const NativeFunction& fn, std::string_view event, const CallOptions& options, NativeOutput& out);

// AWS's wording for a timeout: "Task timed out after 3.00 seconds".
std::string timeoutMessage(std::chrono::milliseconds timeout);

}  // namespace cdnlab::lambda::native

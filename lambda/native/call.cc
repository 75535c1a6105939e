// The direct call of a native handler: builds the C context around host callbacks that write
// into a NativeOutput, calls the handler and turns its return into a status.
#include <chrono>
#include <cstdio>
#include <cstring>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "lambda/native/function.h"

namespace cdnlab::lambda::native {
namespace {

struct CallHost {
  NativeOutput* out;
  size_t maxResponseBytes;
  int64_t deadlineNs;
  bool wroteResponse = false;
  bool setError = false;
};

int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

char* hostAllocResponse(void* h, size_t size) {
  auto* host = static_cast<CallHost*>(h);
  if (size > host->maxResponseBytes) return nullptr;
  host->out->payload.assign(size, '\0');
  host->wroteResponse = true;
  // A zero-size response still needs a valid, distinct pointer.
  return size == 0 ? reinterpret_cast<char*>(host) : host->out->payload.data();
}

void hostSetError(void* h, const char* type, const char* message) {
  auto* host = static_cast<CallHost*>(h);
  host->out->errorType = type ? type : "";
  host->out->errorMessage = message ? message : "";
  host->setError = true;
}

int64_t hostRemainingMs(void* h) {
  auto* host = static_cast<CallHost*>(h);
  if (host->deadlineNs == 0) return INT64_MAX;
  int64_t left = (host->deadlineNs - steadyNowNs()) / 1000000;
  return left > 0 ? left : 0;
}

void hostLog(void* h, const char* text, size_t len) {
  constexpr size_t kMaxLog = 256 * 1024;  // a chatty handler must not grow memory without bound
  auto* host = static_cast<CallHost*>(h);
  if (text == nullptr || host->out->log.size() >= kMaxLog) return;
  host->out->log.append(text, std::min(len, kMaxLog - host->out->log.size()));
}

}  // namespace

std::string_view nativeStatusName(NativeStatus s) {
  switch (s) {
    case NativeStatus::Ok: return "Ok";
    case NativeStatus::FunctionError: return "FunctionError";
    case NativeStatus::TimedOut: return "TimedOut";
    case NativeStatus::Rejected: return "Rejected";
  }
  return "?";
}

std::string NativeOutput::errorPayload() const {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("errorType");
  w.String(errorType.data(), static_cast<rapidjson::SizeType>(errorType.size()));
  w.Key("errorMessage");
  w.String(errorMessage.data(), static_cast<rapidjson::SizeType>(errorMessage.size()));
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

std::string timeoutMessage(std::chrono::milliseconds timeout) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "Task timed out after %.2f seconds", static_cast<double>(timeout.count()) / 1000.0);
  return buf;
}

void callNative(const NativeFunction& fn, std::string_view event, const CallOptions& options, NativeOutput& out) {
  CallHost host{&out, options.maxResponseBytes, options.deadlineNs};
  // The strings the context points at must be NUL-terminated; requestId is a view.
  char requestId[64];
  size_t idLen = std::min(options.requestId.size(), sizeof requestId - 1);
  // An empty view may hold a null pointer, which memcpy must not get even for 0 bytes (UBSan).
  if (idLen > 0) std::memcpy(requestId, options.requestId.data(), idLen);
  requestId[idLen] = '\0';

  cdnlab_native_context ctx{};
  ctx.abi_version = CDNLAB_NATIVE_ABI_VERSION;
  ctx.struct_size = sizeof ctx;
  ctx.function_name = fn.name.c_str();
  ctx.request_id = requestId;
  ctx.memory_limit_mb = options.memoryMb;
  ctx.host = &host;
  ctx.alloc_response = &hostAllocResponse;
  ctx.set_error = &hostSetError;
  ctx.remaining_time_ms = &hostRemainingMs;
  ctx.log = &hostLog;

  int64_t start = steadyNowNs();
  int rc = fn.handler(&ctx, event.data(), event.size(), fn.userData);
  out.durationNs = steadyNowNs() - start;

  if (rc == CDNLAB_NATIVE_OK && !host.setError) {
    out.status = NativeStatus::Ok;
    if (!host.wroteResponse) out.payload = "null";
    return;
  }
  out.status = NativeStatus::FunctionError;
  out.payload.clear();
  if (!host.setError) {
    out.errorType = "Runtime.HandlerError";
    out.errorMessage = "handler returned " + std::to_string(rc) + " without calling set_error";
  } else if (out.errorType.empty()) {
    out.errorType = "Error";
  }
}

}  // namespace cdnlab::lambda::native

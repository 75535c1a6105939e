// An execution environment and the runtime that makes it: the seam between the Invoker (pools,
// timeouts, logs) and how a function actually runs. A process runtime runs a child process
// speaking the Runtime API (process_runtime.h); an in-process native runtime implements the same
// two interfaces. All calls and callbacks happen on the service's loop thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "lambda/api_result.h"

namespace cdnlab::lambda {

// What an environment needs to start.
struct EnvironmentSpec {
  uint64_t id = 0;
  std::string functionName;
  std::string version;     // "$LATEST" or "3"
  std::string runtime;     // "nodejs20.x", ...
  std::string handler;
  std::string codeDir;     // LAMBDA_TASK_ROOT
  int memoryMb = 128;
  std::string logStreamName;
  bool provisioned = false;
  std::map<std::string, std::string> userEnvironment;
};

// One invocation as handed to an environment (the Runtime API's /next response).
struct InvokeRequest {
  std::string requestId;
  std::string payload;
  int64_t deadlineEpochMs = 0;
  std::string invokedFunctionArn;
  std::string traceId;
  std::string clientContext;     // JSON (decoded from X-Amz-Client-Context), may be empty
};

class Environment;

// Callbacks from an environment, each on the loop thread, never from inside the call that
// caused them. After onExit nothing more is called.
class EnvironmentListener {
 public:
  virtual ~EnvironmentListener() = default;
  // Init finished: the runtime asked for its first invocation.
  virtual void onReady(Environment& env) = 0;
  // The runtime reported an init failure (/runtime/init/error); the environment is unusable.
  virtual void onInitError(Environment& env, std::string errorType, std::string body) = 0;
  virtual void onResponse(Environment& env, const std::string& requestId, std::string body) = 0;
  // errorType: Lambda-Runtime-Function-Error-Type (may be empty); body: the error JSON.
  virtual void onFunctionError(Environment& env, const std::string& requestId, std::string errorType,
                               std::string body) = 0;
  // One line of the function's output (stdout/stderr), without its newline.
  virtual void onLog(Environment& env, std::string_view line) = 0;
  // The environment is gone; `why` as AWS words it ("exit status 1", "signal: killed").
  virtual void onExit(Environment& env, std::string why) = 0;
};

class Environment {
 public:
  virtual ~Environment() = default;
  // Hands one invocation over (only after onReady or a finished invocation).
  virtual void invoke(const InvokeRequest& request) = 0;
  // Stops the environment now (SIGKILL for a process); onExit follows.
  virtual void kill() = 0;
  // Delivers output already written but not yet read, so it lands in the invocation it belongs to.
  virtual void drainOutput() = 0;
  // Peak resident memory so far, MB.
  virtual int64_t maxMemoryUsedMb() = 0;
  // After onExit: the owner lets go; the environment frees itself once its handles are closed.
  virtual void release() = 0;
  uint64_t id() const { return id_; }

 protected:
  explicit Environment(uint64_t id) : id_(id) {}
  // A pre-started environment gets its id when a function takes it (process_runtime.cc).
  void assignId(uint64_t id) { id_ = id; }

 private:
  uint64_t id_;
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  // Starts an environment; its init runs now and ends with onReady, onInitError or onExit.
  // On error nothing was started and no callback will fire.
  virtual Result<Environment*> start(const EnvironmentSpec& spec, EnvironmentListener& listener) = 0;
};

}  // namespace cdnlab::lambda

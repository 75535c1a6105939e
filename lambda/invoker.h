// Invoker: runs invocations. For each one it asks the PoolSet for a warm environment, a cold
// start or a throttle; starts environments through a Runtime; hands the invocation over; enforces
// the timeout; writes START / END / REPORT lines and the function's output to the LogStore;
// collects the Tail; counts metrics. Event (asynchronous) invocations wait in an in-memory queue
// and are retried as AWS does (the qualifier's EventInvokeConfig, else twice more after a
// function error; throttles until the event is older than its maximum age), and the record of
// the outcome goes to the configured OnSuccess / OnFailure destination function.
// Everything runs on the service's loop thread; `done` callbacks fire exactly once (from inside
// invoke() when the answer is immediate: a throttle, a runtime that cannot start).
#pragma once

#include <uv.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "lambda/async_record.h"
#include "lambda/environment.h"
#include "lambda/log_store.h"
#include "lambda/metrics.h"
#include "lambda/pool.h"
#include "lambda/registry.h"

namespace cdnlab::lambda {

struct InvokerOptions {
  int maxConcurrency = 1000;
  int64_t idleTimeoutMs = 300000;       // on-demand environment idle this long: stopped
  int64_t initTimeoutMs = 10000;        // AWS's init phase limit
  int64_t asyncRetryDelayMs = 60000;    // first retry of a failed Event invocation; second: 2x
  size_t asyncQueueLimit = 100000;
};

struct InvokeOptions {
  std::string requestId;
  std::string payload;
  bool tail = false;
  std::string clientContext;  // decoded JSON
};

struct InvokeResult {
  std::optional<ApiError> error;  // the request itself failed (throttled, ...)
  bool functionError = false;     // X-Amz-Function-Error: Unhandled
  std::string payload;
  std::string executedVersion;
  std::string logTail;            // the invocation's log lines (caller keeps the last 4 KB)
};

using InvokeDone = std::function<void(InvokeResult)>;

// Provisioned concurrency of one qualifier as GetProvisionedConcurrencyConfig reports it.
struct ProvisionedStatus {
  int requested = 0;
  int allocated = 0;  // environments started (or starting)
  int available = 0;  // initialized
  std::string status; // IN_PROGRESS, READY, FAILED
  std::string reason;
};

class Invoker final : public EnvironmentListener {
 public:
  Invoker(uv_loop_t* loop, Registry& registry, Runtime& runtime, LogStore& logs, Metrics& metrics,
          InvokerOptions options, const Clock& clock);
  ~Invoker() override;
  void start();
  // Kills every environment and closes the timers (service stop).
  void close();

  // A synchronous invocation of a resolved function version.
  void invoke(const Resolved& target, InvokeOptions options, InvokeDone done);
  // An Event invocation: queued; false when the queue is full.
  bool enqueue(const Resolved& target, InvokeOptions options);

  // The function's $LATEST changed (code or configuration): its environments retire.
  void functionChanged(const std::string& function);
  void functionDeleted(const std::string& function);
  void setReserved(const std::string& function, std::optional<int> reserved) { pools_.setReserved(function, reserved); }
  // Starts or stops provisioned environments of function:qualifier (version `version`) to reach n.
  void setProvisioned(const std::string& function, const std::string& qualifier, const std::string& version, int n);
  ProvisionedStatus provisionedStatus(const std::string& function, const std::string& qualifier) const;

  PoolSet& pools() { return pools_; }
  size_t queuedEvents() const { return events_.size(); }

  // EnvironmentListener
  void onReady(Environment& env) override;
  void onInitError(Environment& env, std::string errorType, std::string body) override;
  void onResponse(Environment& env, const std::string& requestId, std::string body) override;
  void onFunctionError(Environment& env, const std::string& requestId, std::string errorType, std::string body) override;
  void onLog(Environment& env, std::string_view line) override;
  void onExit(Environment& env, std::string why) override;

 private:
  struct Running;
  struct EnvRecord;
  struct QueuedEvent;

  EnvRecord* recordOf(uint64_t id);
  bool startEnvironment(uint64_t id, const Resolved& target, bool provisioned, std::string* error);
  void dispatch(EnvRecord& rec);
  void finish(EnvRecord& rec, bool functionError, std::string payload, const char* status = nullptr);
  void logLine(EnvRecord& rec, const std::string& text);
  void armTimer(EnvRecord& rec, int64_t ms);
  void onTimer(EnvRecord& rec);
  void retire(EnvRecord& rec);
  void reconcileProvisioned(const std::string& function, const std::string& qualifier);
  void pumpEvents();
  void scheduleEvents();
  void runEvent(std::shared_ptr<QueuedEvent> ev);
  void finishEvent(const QueuedEvent& ev, AsyncCondition condition);
  EventInvokeConfig asyncConfigOf(const QueuedEvent& ev);
  void expireIdle();

  uv_loop_t* loop_;
  Registry& registry_;
  Runtime& runtime_;
  LogStore& logs_;
  Metrics& metrics_;
  InvokerOptions options_;
  const Clock& clock_;
  PoolSet pools_;
  std::map<uint64_t, std::unique_ptr<EnvRecord>> envs_;
  struct ProvisionedWant {
    std::string version;
    int requested = 0;
    std::string failure;
  };
  std::map<std::pair<std::string, std::string>, ProvisionedWant> provisioned_;
  std::deque<std::shared_ptr<QueuedEvent>> events_;
  uv_timer_t* idleTimer_ = nullptr;
  uv_timer_t* eventTimer_ = nullptr;
  bool closed_ = false;
};

}  // namespace cdnlab::lambda

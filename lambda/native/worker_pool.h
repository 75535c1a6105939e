// The native worker pool: runs native handlers on its own threads, never on the caller's event
// loop, with a per-invocation timeout and a modelled cold start. The Lambda service's Invoke path
// (runtime cdnlab-native) and the PoPs' edge functions both submit here.
//
// Timeouts: a watchdog thread notices an invocation past its deadline, reports it TimedOut at
// once and abandons the worker thread running it (C++ cannot stop a thread safely): the thread
// finishes the handler on its own, its result is dropped, and it exits; a fresh worker replaces
// it so capacity stays the same. Abandoned threads are counted (stats().abandonedThreads).
//
// Cold starts are modelled: the pool keeps idle warm environments per function (one invocation
// at a time each). An invocation that finds none creates one and first waits the function's
// initTime on the worker thread (reported as initNs, coldStart = true). An environment idle for
// longer than PoolOptions::idleExpiry is dropped; a timed-out invocation's environment too.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lambda/native/function.h"

namespace cdnlab::lambda::native {

struct PoolOptions {
  int threads = 2;                          // worker threads (>= 1)
  size_t maxQueued = 10000;                 // beyond this, invoke() answers Rejected
  std::chrono::milliseconds idleExpiry{std::chrono::minutes(5)};  // warm environment lifetime
  // An idle worker polls the queue this long (yielding the CPU) before it sleeps on the condition
  // variable: under a steady stream of small invocations (edge functions on every hit) a job then
  // never pays a futex wake-up and a trip through the scheduler. 0 = sleep at once.
  std::chrono::microseconds idleSpin{50};
  // invokeBatch: how many queued invocations of one batch a worker takes at once, and how long a
  // finished invocation may wait for the others in its run before its completion is posted.
  size_t batchMax = 32;
  std::chrono::microseconds batchDelay{100};
};

// Whether an invocation pays the modelled cold start.
enum class InitMode {
  Auto,  // the pool decides: reuse an idle warm environment of the function, or create one (cold)
  Cold,  // always a new environment (the caller manages environments, e.g. the Lambda service)
  Warm,  // never a cold start (the caller knows the environment is already initialised)
};

struct Invocation {
  NativeFunctionPtr function;                  // required
  std::string event;                           // the event JSON bytes
  std::string requestId;                       // shown to the handler (context.awsRequestId)
  std::chrono::milliseconds timeout{3000};     // AWS default 3 s; counted from after the init
  InitMode init = InitMode::Auto;
  std::chrono::microseconds initTime{-1};      // < 0: the function's own initTime
  uint32_t memoryMb = 128;
  size_t maxResponseBytes = kDefaultMaxResponseBytes;
  // Runs on the worker thread right after the handler returns (not after a timeout), before the
  // completion is posted: work on the output that belongs off the caller's loop, e.g. a PoP
  // parsing and validating what an edge function returned. Counts toward the timeout.
  std::function<void(NativeOutput&)> onWorker;
  // When set, the worker runs this instead of calling function->handler with `event`: a typed
  // entry point such as a PoP's in-process request edit (lambda/edge/request_edit.h). It sets
  // out.status and the error fields itself; the timeout, cold start and counting stay the pool's.
  std::function<void(NativeOutput&)> call;
  // The same without a closure: when set (and `call` is not), the worker runs
  // callFn(callState.get(), out). A std::function that captures a shared_ptr costs a heap
  // allocation per invocation; this costs a reference count. callState is released with `call`.
  void (*callFn)(void* state, NativeOutput& out) = nullptr;
  std::shared_ptr<void> callState;
};

// Runs `fn` on the caller's thread (e.g. HttpServer::post(workerIndex, fn) or LoopPoster::post).
// Must be thread-safe. Returns false if it cannot (the target loop has stopped); `fn` is then
// destroyed without running.
using Post = std::function<bool(std::function<void()>)>;
using Completion = std::function<void(NativeOutput)>;

// A finished invocation whose completion has not run yet.
using Finished = std::pair<Completion, NativeOutput>;

// Where a batch's completions go instead of a Post: the pool hands finished invocations over in
// runs, and the receiver runs each completion on its own thread when it chooses. A PoP's worker
// loop (edge/pop/function_runner.h, NativeLane) takes them from a queue it polls while a batch is
// out, so a completion costs no eventfd write and no closure when the loop is awake anyway.
class CompletionSink {
 public:
  virtual ~CompletionSink() = default;
  // Called on a pool thread (or, for refusals, inside invokeBatch on the caller's thread); must
  // be thread-safe and must not run the completions inline. Never called with an empty run.
  // Takes the items (moves them out); the vector itself stays the caller's.
  virtual void accept(std::vector<Finished>& run) = 0;
};

// One invocation of a batch and its completion.
struct BatchItem {
  Invocation inv;
  Completion done;
};

struct PoolStats {
  uint64_t invocations = 0;      // handler calls started
  uint64_t completed = 0;        // Ok or FunctionError delivered
  uint64_t errors = 0;           // FunctionError
  uint64_t timeouts = 0;         // TimedOut delivered
  uint64_t rejected = 0;         // Rejected delivered (queue full / stopping)
  uint64_t coldStarts = 0;
  uint64_t abandonedTotal = 0;   // threads ever abandoned to an overrunning handler
  uint64_t abandonedThreads = 0; // abandoned threads still running their handler now
  uint64_t queued = 0;           // waiting for a worker now
  uint64_t busy = 0;             // workers running a handler now
  uint64_t warmEnvironments = 0; // idle warm environments now
};

class NativeWorkerPool {
 public:
  // Starts options.threads workers and the watchdog. Throws std::system_error only if the OS
  // refuses to start a thread (startup, not the request path).
  explicit NativeWorkerPool(PoolOptions options = {});
  // Stops: queued invocations are answered Rejected (through their Post), running ones finish (or
  // time out and are abandoned), then the threads are joined. Call from a thread that is not a
  // worker of this pool; the Post targets must still accept (or refuse) posts until it returns.
  ~NativeWorkerPool();
  NativeWorkerPool(const NativeWorkerPool&) = delete;
  NativeWorkerPool& operator=(const NativeWorkerPool&) = delete;

  // Thread-safe; never blocks on a handler. `done` fires exactly once, through `post` (so on the
  // caller's thread), never from inside this call - also when the invocation is Rejected - unless
  // `post` itself refuses, in which case `done` is destroyed without running. The NativeOutput
  // carries Ok / FunctionError (handler's answer), TimedOut (after inv.timeout, with AWS's
  // message), or Rejected (queue full: errorType "TooManyRequestsException"; pool stopping:
  // "ServiceException"). `inv.function` is kept alive until the handler returns.
  void invoke(Invocation inv, Post post, Completion done);

  // invoke() for many invocations whose completions all go through one `post`: one lock, one
  // wake-up, and completions delivered several per post (see "Batches" above). Each item's
  // `done` fires exactly once, as with invoke().
  void invokeBatch(std::vector<BatchItem> items, Post post);
  // The same, with the completions handed to `sink` (see CompletionSink). `sink` must outlive
  // every completion of the batch: until each `done` was handed over, or the pool is destroyed.
  void invokeBatch(std::vector<BatchItem> items, CompletionSink& sink);

  PoolStats stats() const;
  const PoolOptions& options() const { return options_; }

  struct Shared;  // the state abandoned threads keep alive after the pool is gone

 private:
  void submitBatch(std::vector<BatchItem> items, Post post, CompletionSink* sink);
  PoolOptions options_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace cdnlab::lambda::native

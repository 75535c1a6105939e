// The PoP's edge-function runtime: the current set of associations (resolved at startup and
// again on reload), the native worker pool, plugins loaded, the Lambda endpoint parsed, and the
// one call the function steps (functions.cc) make to run a function for a transaction.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "edge/pop/config.h"
#include "edge/pop/function_set.h"
#include "edge/pop/native_lane.h"
#include "edge/pop/transaction.h"
#include "geo/geo_db.h"
#include "lambda/native/worker_pool.h"

namespace cdnlab::edge::pop {

class FunctionRunner {
 public:
  // Loads config.nativePlugins into the global native registry, resolves every association
  // (an unknown native name is an error naming the flag) and starts the worker pool. Null when
  // the PoP has no edge functions (then the steps cost one branch).
  static Result<std::unique_ptr<FunctionRunner>> create(const PopConfig& config);
  // The pool first: it hands what it still holds to the lanes as it stops.
  ~FunctionRunner() { pool_.reset(); }

  // The associations in force now, as seen from `io`'s worker (call on that worker's thread). A
  // transaction keeps the set it got for its whole life: a reload never changes the function a
  // request in flight runs.
  const FunctionSetPtr& current(Io& io);

  // Reads the PoP's function files again (function_sources.h) and, if they resolve, makes them
  // the current set; transactions that start afterwards use it. On any error the current set
  // stays and the error (naming the file and field) is returned. Returns the new set's size.
  // Thread-safe; meant for the main thread's SIGHUP.
  Result<size_t> reload(const PopConfig& config);

  // Runs `fn` on `event`. `done` fires exactly once, on `io`'s worker thread, never from inside
  // this call: native functions through the worker pool and io.post, Lambda functions through
  // io.callService. Failures come back as a NativeOutput with a non-Ok status. Native
  // invocations made during one pass of a worker's loop go to the pool together, and come back
  // through the worker's NativeLane (native_lane.h).
  // `onOutput` (optional) runs first, on the thread that has the output: a pool thread for
  // native functions (so work on the output stays off `io`'s loop), `io`'s for Lambda ones.
  void invoke(Io& io, const ResolvedFunction& fn, std::string event, std::string requestId,
              std::function<void(lambda::native::NativeOutput)> done,
              std::function<void(lambda::native::NativeOutput&)> onOutput = nullptr);

  // Runs a native function through its typed entry point: `call` runs on a pool thread under the
  // function's timeout (Invocation::call) and fills the output; `done` as with invoke().
  void invokeTyped(Io& io, const ResolvedFunction& fn, std::function<void(lambda::native::NativeOutput&)> call,
                   std::function<void(lambda::native::NativeOutput)> done);
  // The same through Invocation::callFn / callState: no closure to allocate per invocation.
  void invokeTyped(Io& io, const ResolvedFunction& fn, void (*callFn)(void*, lambda::native::NativeOutput&),
                   std::shared_ptr<void> callState, std::function<void(lambda::native::NativeOutput)> done);

  lambda::native::PoolStats poolStats() const { return pool_->stats(); }

  // The client's country (ISO 3166-1 alpha-2) from --geo-db, or "" (no database, unknown address).
  // Thread-safe.
  std::string viewerCountry(std::string_view clientIp) const;

 private:
  FunctionRunner() = default;
  NativeLane& laneFor(Io& io);
  void submit(Io& io, lambda::native::Invocation inv, std::function<void(lambda::native::NativeOutput)> done);
  std::chrono::milliseconds timeoutFor(const ResolvedFunction& fn) const;

  FunctionSetPtr latestSet();

  static inline std::atomic<uint64_t> nextSerial_{1};
  const uint64_t serial_ = nextSerial_.fetch_add(1, std::memory_order_relaxed);  // laneFor's cache key
  std::mutex setMu_;              // guards latest_
  FunctionSetPtr latest_;         // the current set, as resolved last
  std::atomic<uint64_t> generation_{1};  // bumped after latest_ changes; lanes compare theirs
  std::unique_ptr<lambda::native::NativeWorkerPool> pool_;
  std::mutex lanesMu_;  // guards the list; each lane is its worker's alone
  std::vector<std::unique_ptr<NativeLane>> lanes_;
  std::unique_ptr<geo::GeoDb> geo_;
  std::string lambdaHost_;
  int lambdaPort_ = 0;
  std::string lambdaBasePath_;
  bool hasLambdaEndpoint_ = false;
  Duration viewerTimeout_{};
  Duration originTimeout_{};
};

}  // namespace cdnlab::edge::pop

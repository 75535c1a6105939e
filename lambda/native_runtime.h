// NativeRuntime: the `cdnlab-native` runtime of the Lambda service. It adapts lambda/native/ (the
// C ABI, the registry of built-in and plugin functions, the native worker pool) to the service's
// Runtime / Environment seam, so a native function has the same pools, concurrency, timeouts,
// logs and Invoke API as a process function. Handler: a registered name (a built-in such as
// `echo`) or a shared object in the code zip or on disk: `lib.so` (its first function) or
// `lib.so:name`. A new environment's cold start is modelled (the function's init time, default
// a few ms) on a loop timer; handlers run on the worker pool, results come back to the loop
// through a uv_async queue.
#pragma once

#include <uv.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lambda/environment.h"
#include "lambda/native/registry.h"
#include "lambda/native/worker_pool.h"

namespace cdnlab::lambda {

class NativeEnvironment;

class NativeRuntime final : public Runtime {
 public:
  NativeRuntime(uv_loop_t* loop, native::PoolOptions poolOptions);
  ~NativeRuntime() override;
  Result<Environment*> start(const EnvironmentSpec& spec, EnvironmentListener& listener) override;
  // Runs fn on the loop thread (thread-safe); false once closed.
  bool post(std::function<void()> fn);
  // Closes the async handle (service stop, on the loop thread).
  void close();
  native::NativeWorkerPool& pool() { return *pool_; }

 private:
  friend class NativeEnvironment;
  Result<native::NativeFunctionPtr> resolve(const std::string& handler, const std::string& codeDir);
  void drain();

  uv_loop_t* loop_;
  uv_async_t* async_;
  std::mutex mu_;
  std::vector<std::function<void()>> queue_;  // guarded by mu_
  bool closed_ = false;                         // guarded by mu_
  bool closing_ = false;                        // loop thread
  std::unique_ptr<native::NativeWorkerPool> pool_;
  std::map<uint64_t, NativeEnvironment*> live_;  // loop thread only
  std::map<std::string, std::vector<native::NativeFunctionPtr>> plugins_;  // content sha256 -> functions
};

}  // namespace cdnlab::lambda

// The native runtime's overhead: the direct call through the C ABI (context set-up, host
// callbacks, response buffer) around the built-in `echo`, and the worker-pool round trip
// (queue -> worker thread -> Post back) for scale. Target: direct call < 1 us.
// Run: ./build/bench/native_bench --benchmark_min_time=0.2 --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <mutex>

#include "lambda/native/registry.h"
#include "lambda/native/worker_pool.h"

namespace {

using namespace cdnlab::lambda::native;

const std::string kEvent = R"({"Records":[{"cf":{"config":{"eventType":"viewer-request"},"request":{"uri":"/index.html","method":"GET","querystring":"","headers":{}}}}]})";

void BM_NativeDirectCall(benchmark::State& state) {
  NativeFunctionPtr echo = Registry::global().find("echo");
  CallOptions opts;
  opts.requestId = "bench-request-id";
  for (auto _ : state) {
    NativeOutput out;
    callNative(*echo, kEvent, opts, out);
    benchmark::DoNotOptimize(out.payload.data());
  }
}
BENCHMARK(BM_NativeDirectCall);

void BM_NativeRegistryLookupAndCall(benchmark::State& state) {
  CallOptions opts;
  for (auto _ : state) {
    NativeFunctionPtr echo = Registry::global().find("echo");
    NativeOutput out;
    callNative(*echo, kEvent, opts, out);
    benchmark::DoNotOptimize(out.payload.data());
  }
}
BENCHMARK(BM_NativeRegistryLookupAndCall);

// One invocation at a time through the pool: includes two thread hand-offs (condvar wake-ups),
// which is what an edge function costs in latency, not in PoP throughput.
void BM_NativePoolRoundTrip(benchmark::State& state) {
  NativeWorkerPool pool(PoolOptions{.threads = 1});
  NativeFunctionPtr echo = Registry::global().find("echo");
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  Post post = [&](std::function<void()> fn) {
    fn();  // the "loop" is this benchmark thread's wait below
    return true;
  };
  for (auto _ : state) {
    Invocation inv;
    inv.function = echo;
    inv.event = kEvent;
    inv.init = InitMode::Warm;
    pool.invoke(std::move(inv), post, [&](NativeOutput) {
      std::lock_guard<std::mutex> lock(mu);
      done = true;
      cv.notify_one();
    });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    done = false;
  }
}
BENCHMARK(BM_NativePoolRoundTrip)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

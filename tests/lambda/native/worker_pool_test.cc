// The native worker pool: completions through Post (never inside invoke), timeouts that abandon
// the thread and keep capacity, modelled cold starts, rejection when full or stopping.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "lambda/native/builtin/builtin.h"
#include "native_test_util.h"

namespace cdnlab::lambda::native {
namespace {

using namespace std::chrono_literals;
using testing::TestLoop;

NativeFunctionPtr fnOf(const char* name, cdnlab_native_handler h, std::chrono::microseconds init = 0us) {
  auto fn = std::make_shared<NativeFunction>();
  fn->name = name;
  fn->handler = h;
  fn->initTime = init;
  return fn;
}

// A handler that blocks until the test opens the gate. Static: an abandoned thread may still be
// inside it when the test's locals are gone.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  int entered = 0;
};
Gate& gate() {
  static Gate* g = new Gate();
  return *g;
}
int blockUntilOpen(const cdnlab_native_context*, const char*, size_t, void*) {
  Gate& g = gate();
  std::unique_lock<std::mutex> lock(g.mu);
  ++g.entered;
  g.cv.wait_for(lock, 30s, [&] { return g.open; });
  return 0;
}

Invocation invocationOf(NativeFunctionPtr fn, std::string event = "{}") {
  Invocation inv;
  inv.function = std::move(fn);
  inv.event = std::move(event);
  inv.requestId = "r";
  return inv;
}

TEST(NativeWorkerPool, CompletesThroughPostNeverInsideInvoke) {
  TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 2});
  auto echo = fnOf("echo", &builtin::echo);
  std::atomic<int> fired{0};
  NativeOutput got;
  pool.invoke(invocationOf(echo, "[1,2]"), loop.poster(), [&](NativeOutput out) {
    got = std::move(out);
    ++fired;
  });
  EXPECT_EQ(fired.load(), 0);  // only the test thread runs completions, in loop.run()
  ASSERT_EQ(loop.run(1), 1);
  EXPECT_EQ(fired.load(), 1);
  EXPECT_EQ(got.status, NativeStatus::Ok);
  EXPECT_EQ(got.payload, "[1,2]");
  EXPECT_EQ(loop.run(1, 50ms), 0);  // exactly once
}

TEST(NativeWorkerPool, ModelledColdStartThenWarm) {
  TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 1});
  auto echo = fnOf("echo", &builtin::echo, 20ms);
  std::vector<NativeOutput> outs;
  auto collect = [&](NativeOutput o) { outs.push_back(std::move(o)); };
  pool.invoke(invocationOf(echo), loop.poster(), collect);
  ASSERT_EQ(loop.run(1), 1);
  pool.invoke(invocationOf(echo), loop.poster(), collect);
  ASSERT_EQ(loop.run(1), 1);
  Invocation forced = invocationOf(echo);
  forced.init = InitMode::Cold;
  forced.initTime = 1ms;
  pool.invoke(forced, loop.poster(), collect);
  ASSERT_EQ(loop.run(1), 1);
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_TRUE(outs[0].coldStart);
  EXPECT_GE(outs[0].initNs, 20'000'000);
  EXPECT_FALSE(outs[1].coldStart);
  EXPECT_EQ(outs[1].initNs, 0);
  EXPECT_TRUE(outs[2].coldStart);
  EXPECT_GE(outs[2].initNs, 1'000'000);
  PoolStats s = pool.stats();
  EXPECT_EQ(s.coldStarts, 2u);
  EXPECT_EQ(s.invocations, 3u);
  EXPECT_EQ(s.warmEnvironments, 1u);  // the Cold-mode invocation's environment is not kept
}

TEST(NativeWorkerPool, IdleEnvironmentsExpire) {
  TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 1, .idleExpiry = 0ms});
  auto echo = fnOf("echo", &builtin::echo, 1ms);
  std::vector<NativeOutput> outs;
  for (int i = 0; i < 2; ++i) {
    pool.invoke(invocationOf(echo), loop.poster(), [&](NativeOutput o) { outs.push_back(std::move(o)); });
    ASSERT_EQ(loop.run(1), 1);
  }
  EXPECT_TRUE(outs[0].coldStart);
  EXPECT_TRUE(outs[1].coldStart);
}

TEST(NativeWorkerPool, OverrunIsTimedOutAndTheThreadAbandoned) {
  TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 1});
  {
    std::lock_guard<std::mutex> lock(gate().mu);
    gate().open = false;
  }
  auto stuck = fnOf("stuck", &blockUntilOpen);
  Invocation inv = invocationOf(stuck);
  inv.timeout = 30ms;
  NativeOutput timedOut;
  pool.invoke(inv, loop.poster(), [&](NativeOutput o) { timedOut = std::move(o); });
  ASSERT_EQ(loop.run(1), 1);
  EXPECT_EQ(timedOut.status, NativeStatus::TimedOut);
  EXPECT_EQ(timedOut.errorType, "Sandbox.Timedout");
  EXPECT_EQ(timedOut.errorMessage, "Task timed out after 0.03 seconds");
  PoolStats s = pool.stats();
  EXPECT_EQ(s.timeouts, 1u);
  EXPECT_EQ(s.abandonedTotal, 1u);
  EXPECT_EQ(s.abandonedThreads, 1u);

  // The single worker is stuck, yet the pool still serves: a replacement took its place.
  NativeOutput next;
  pool.invoke(invocationOf(fnOf("echo", &builtin::echo)), loop.poster(), [&](NativeOutput o) { next = std::move(o); });
  ASSERT_EQ(loop.run(1), 1);
  EXPECT_EQ(next.status, NativeStatus::Ok);

  // When the handler finally returns, its result is dropped (no second completion).
  {
    std::lock_guard<std::mutex> lock(gate().mu);
    gate().open = true;
  }
  gate().cv.notify_all();
  for (int i = 0; i < 1000 && pool.stats().abandonedThreads != 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(pool.stats().abandonedThreads, 0u);
  EXPECT_EQ(loop.run(1, 20ms), 0);
}

// The watchdog is not woken for every job (it keeps its last timed wait), yet a job whose
// deadline comes before that wait ends must still time out on time.
TEST(NativeWorkerPool, ShortTimeoutAfterALongOneStillTimesOut) {
  TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 1});
  Invocation slow = invocationOf(fnOf("echo", &builtin::echo));
  slow.timeout = 60s;
  NativeOutput first;
  pool.invoke(slow, loop.poster(), [&](NativeOutput o) { first = std::move(o); });
  ASSERT_EQ(loop.run(1), 1);
  EXPECT_EQ(first.status, NativeStatus::Ok);
  {
    std::lock_guard<std::mutex> lock(gate().mu);
    gate().open = false;
  }
  Invocation quick = invocationOf(fnOf("stuck3", &blockUntilOpen));
  quick.timeout = 30ms;
  NativeOutput timedOut;
  pool.invoke(quick, loop.poster(), [&](NativeOutput o) { timedOut = std::move(o); });
  ASSERT_EQ(loop.run(1, 20s), 1);  // far less than the 60 s the watchdog was last waiting for
  EXPECT_EQ(timedOut.status, NativeStatus::TimedOut);
  {
    std::lock_guard<std::mutex> lock(gate().mu);
    gate().open = true;
  }
  gate().cv.notify_all();
  for (int i = 0; i < 1000 && pool.stats().abandonedThreads != 0; ++i) std::this_thread::sleep_for(1ms);
}

TEST(NativeWorkerPool, FullQueueAndStoppingAreRejectedThroughPost) {
  TestLoop loop;
  auto stuck = fnOf("stuck2", &blockUntilOpen);
  std::vector<NativeOutput> outs;
  auto collect = [&](NativeOutput o) { outs.push_back(std::move(o)); };
  {
    NativeWorkerPool pool(PoolOptions{.threads = 1, .maxQueued = 1});
    {
      std::lock_guard<std::mutex> lock(gate().mu);
      gate().open = false;
      gate().entered = 0;
    }
    pool.invoke(invocationOf(stuck), loop.poster(), collect);  // runs (and blocks)
    for (int i = 0; i < 1000 && pool.stats().busy != 1; ++i) std::this_thread::sleep_for(1ms);
    pool.invoke(invocationOf(stuck), loop.poster(), collect);  // queued
    pool.invoke(invocationOf(stuck), loop.poster(), collect);  // over maxQueued
    EXPECT_TRUE(outs.empty());
    ASSERT_EQ(loop.run(1), 1);
    EXPECT_EQ(outs[0].status, NativeStatus::Rejected);
    EXPECT_EQ(outs[0].errorType, "TooManyRequestsException");
    {
      std::lock_guard<std::mutex> lock(gate().mu);
      gate().open = true;
    }
    gate().cv.notify_all();
    // Leaving the scope stops the pool: the running one finishes, the queued one may run or be
    // rejected, either way every invocation completes exactly once.
  }
  EXPECT_EQ(loop.run(2), 2);
  EXPECT_EQ(outs.size(), 3u);
}

TEST(NativeWorkerPool, RefusingPostDropsTheCompletion) {
  TestLoop loop;
  loop.close();
  std::atomic<bool> ran{false};
  {
    NativeWorkerPool pool(PoolOptions{.threads = 1});
    pool.invoke(invocationOf(fnOf("echo", &builtin::echo)), loop.poster(), [&](NativeOutput) { ran = true; });
  }
  EXPECT_FALSE(ran.load());
  EXPECT_EQ(loop.pending(), 0u);
}

}  // namespace
}  // namespace cdnlab::lambda::native

namespace cdnlab::lambda::native {
namespace {

// Invocation::call (a typed entry point, e.g. a PoP's request edit) runs on a pool thread under
// the same timeout as a JSON handler: an overrunning call is answered TimedOut and its thread
// abandoned; a quick one answers what it set.
TEST(NativeWorkerPool, TypedCallRunsUnderTheTimeout) {
  testing::TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 1});
  auto fn = std::make_shared<NativeFunction>();
  fn->name = "typed";
  fn->handler = &builtin::echo;  // never called: `call` replaces it
  fn->initTime = std::chrono::microseconds(0);
  std::vector<NativeOutput> outs;
  auto collect = [&](NativeOutput o) { outs.push_back(std::move(o)); };

  Invocation quick;
  quick.function = fn;
  quick.call = [caller = std::this_thread::get_id()](NativeOutput& out) {
    out.status = caller == std::this_thread::get_id() ? NativeStatus::FunctionError : NativeStatus::Ok;
    out.payload = "typed";
  };
  pool.invoke(std::move(quick), loop.poster(), collect);
  ASSERT_EQ(loop.run(1), 1);
  EXPECT_EQ(outs[0].status, NativeStatus::Ok) << "the call must run on a pool thread";
  EXPECT_EQ(outs[0].payload, "typed");

  Invocation slow;
  slow.function = fn;
  slow.timeout = std::chrono::milliseconds(20);
  slow.call = [](NativeOutput& out) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    out.status = NativeStatus::Ok;
  };
  pool.invoke(std::move(slow), loop.poster(), collect);
  ASSERT_EQ(loop.run(1), 1);
  EXPECT_EQ(outs[1].status, NativeStatus::TimedOut);
  EXPECT_EQ(outs[1].errorMessage, "Task timed out after 0.02 seconds");
  EXPECT_EQ(pool.stats().abandonedTotal, 1u);
}

}  // namespace
}  // namespace cdnlab::lambda::native

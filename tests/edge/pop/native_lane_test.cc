// A PoP worker's hand-off to the native pool (edge/pop/native_lane.h): completions come back
// exactly once; while the loop polls before it waits it is not woken for them; once it has said
// it may wait, a hand-over wakes it (no lost wake-up); the before-wait hook is disarmed when
// nothing is out; an Io without a before-wait phase gets every completion through post().
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "edge/pop/native_lane.h"
#include "lambda/native/builtin/builtin.h"

namespace cdnlab::edge::pop {
namespace {

namespace native = lambda::native;
using namespace std::chrono_literals;

// An Io whose loop is the test: post() queues, the before-wait hook runs when the test says.
class FakeLoopIo : public Io {
 public:
  explicit FakeLoopIo(bool hasBeforeWait) : hasBeforeWait_(hasBeforeWait) {}
  void fetch(UpstreamRequest, std::function<void(UpstreamResult)>) override { ADD_FAILURE() << "no upstream here"; }
  void post(std::function<void()> fn) override {
    std::lock_guard<std::mutex> lock(mu);
    posted.push_back(std::move(fn));
    ++postCount;
    cv.notify_all();
  }
  bool setBeforeWait(std::function<void()> fn) override {
    beforeWait = std::move(fn);
    return hasBeforeWait_;
  }
  void armBeforeWait(bool on) override { armed = on; }

  // Runs posted functions until `pred` holds or `limit` passes.
  template <class Pred>
  bool runPostsUntil(Pred pred, std::chrono::milliseconds limit = 10s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu);
        if (!cv.wait_until(lock, until, [&] { return !posted.empty(); })) return pred();
        fn = std::move(posted.front());
        posted.erase(posted.begin());
      }
      fn();
    }
    return true;
  }

  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::function<void()>> posted;
  int postCount = 0;
  std::function<void()> beforeWait;
  bool armed = false;

 private:
  bool hasBeforeWait_;
};

native::NativeFunctionPtr fnOf(cdnlab_native_handler handler) {
  auto fn = std::make_shared<native::NativeFunction>();
  fn->name = "echo";
  fn->handler = handler;
  fn->initTime = 0us;
  return fn;
}

// A handler held until the test opens the gate (static: a pool thread may outlive the test).
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
};
Gate& gate() {
  static Gate* g = new Gate();
  return *g;
}
int waitForGate(const cdnlab_native_context* ctx, const char* event, size_t len, void* user) {
  Gate& g = gate();
  std::unique_lock<std::mutex> lock(g.mu);
  g.cv.wait_for(lock, 30s, [&] { return g.open; });
  return native::builtin::echo(ctx, event, len, user);
}

native::BatchItem item(native::NativeFunctionPtr fn, int i, std::vector<int>& done) {
  native::Invocation inv;
  inv.function = std::move(fn);
  inv.event = "[" + std::to_string(i) + "]";
  inv.timeout = 5000ms;
  return native::BatchItem{std::move(inv), [&done, i](native::NativeOutput out) {
                             EXPECT_EQ(out.status, native::NativeStatus::Ok) << out.errorMessage;
                             EXPECT_EQ(out.payload, "[" + std::to_string(i) + "]");
                             ++done[static_cast<size_t>(i)];
                           }};
}

TEST(NativeLane, PollingBeforeTheWaitTakesCompletionsWithoutAWakeUp) {
  FakeLoopIo io(/*hasBeforeWait=*/true);
  native::NativeWorkerPool pool(native::PoolOptions{.threads = 1, .idleSpin = 0us});
  NativeLane lane(io);
  std::vector<int> done(8, 0);
  auto fn = fnOf(&native::builtin::echo);
  EXPECT_TRUE(lane.add(item(fn, 0, done)));  // the pass's first: the caller asks for a flush
  for (int i = 1; i < 8; ++i) EXPECT_FALSE(lane.add(item(fn, i, done)));
  EXPECT_FALSE(io.armed);
  lane.flush(pool);
  EXPECT_TRUE(io.armed);
  for (int d : done) EXPECT_EQ(d, 0) << "a completion ran inside flush";
  // The loop's passes: each polls before its wait; a hand-over after it said it may wait is
  // posted, and the post drains. Bounded in passes and time.
  auto all = [&] { return std::all_of(done.begin(), done.end(), [](int d) { return d >= 1; }); };
  auto until = std::chrono::steady_clock::now() + 10s;
  while (!all() && std::chrono::steady_clock::now() < until) {
    io.beforeWait();
    io.runPostsUntil(all, 1ms);
  }
  ASSERT_TRUE(all());
  for (int d : done) EXPECT_EQ(d, 1);
  // The last completions may have come through a post: the loop's next pass disarms the hook.
  io.beforeWait();
  EXPECT_FALSE(io.armed) << "nothing is out: the hook must not run on every pass";
  EXPECT_LE(io.postCount, 8);
}

TEST(NativeLane, AHandOverAfterTheLoopMayWaitWakesIt) {
  {
    std::lock_guard<std::mutex> lock(gate().mu);
    gate().open = false;
  }
  FakeLoopIo io(/*hasBeforeWait=*/true);
  native::NativeWorkerPool pool(native::PoolOptions{.threads = 1, .idleSpin = 0us});
  NativeLane lane(io);
  std::vector<int> done(1, 0);
  auto held = fnOf(&waitForGate);
  lane.add(item(held, 0, done));
  lane.flush(pool);
  io.beforeWait();  // polls its window, finds nothing, says the loop may wait
  EXPECT_EQ(done[0], 0);
  EXPECT_TRUE(io.armed);
  EXPECT_EQ(io.postCount, 0);
  {
    std::lock_guard<std::mutex> lock(gate().mu);
    gate().open = true;
  }
  gate().cv.notify_all();
  // Only a post can deliver it now: the test runs no more before-wait passes.
  ASSERT_TRUE(io.runPostsUntil([&] { return done[0] == 1; }));
  EXPECT_EQ(io.postCount, 1);
}

TEST(NativeLane, WithoutABeforeWaitPhaseEveryHandOverIsPosted) {
  FakeLoopIo io(/*hasBeforeWait=*/false);
  native::NativeWorkerPool pool(native::PoolOptions{.threads = 1, .idleSpin = 0us});
  NativeLane lane(io);
  std::vector<int> done(4, 0);
  auto fn = fnOf(&native::builtin::echo);
  for (int i = 0; i < 4; ++i) lane.add(item(fn, i, done));
  lane.flush(pool);
  EXPECT_FALSE(io.armed);
  ASSERT_TRUE(io.runPostsUntil([&] { return std::all_of(done.begin(), done.end(), [](int d) { return d == 1; }); }));
  EXPECT_GE(io.postCount, 1);
}

}  // namespace
}  // namespace cdnlab::edge::pop

// The native worker pool's batches (invokeBatch): every completion exactly once, through the
// batch's post and never inside the call, several per post; an overrun inside a batch times out
// alone while the invocations queued behind it in the same run still complete.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "lambda/native/builtin/builtin.h"
#include "native_test_util.h"

namespace cdnlab::lambda::native {
namespace {

using namespace std::chrono_literals;
using testing::TestLoop;

NativeFunctionPtr fnOf(const char* name, cdnlab_native_handler h) {
  auto fn = std::make_shared<NativeFunction>();
  fn->name = name;
  fn->handler = h;
  fn->initTime = 0us;
  return fn;
}

// Blocks until released; static because an abandoned thread may outlive the test's locals.
struct Latch {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
};
Latch& latch() {
  static Latch* l = new Latch();
  return *l;
}
int blockUntilReleased(const cdnlab_native_context*, const char*, size_t, void*) {
  Latch& l = latch();
  std::unique_lock<std::mutex> lock(l.mu);
  l.cv.wait_for(lock, 30s, [&] { return l.open; });
  return 0;
}

BatchItem itemOf(NativeFunctionPtr fn, std::string event, std::chrono::milliseconds timeout, std::vector<std::string>& got,
                 size_t slot) {
  Invocation inv;
  inv.function = std::move(fn);
  inv.event = std::move(event);
  inv.requestId = "r";
  inv.timeout = timeout;
  return BatchItem{std::move(inv), [&got, slot](NativeOutput out) {
                     got[slot] = out.status == NativeStatus::Ok ? out.payload : std::string(nativeStatusName(out.status));
                   }};
}

TEST(NativeWorkerPoolBatch, EveryCompletionOnceThroughTheBatchPostNeverInsideTheCall) {
  TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 1, .idleSpin = 0us});
  auto echo = fnOf("echo", &builtin::echo);
  constexpr size_t kItems = 20;
  std::vector<std::string> got(kItems);
  std::vector<BatchItem> batch;
  for (size_t i = 0; i < kItems; ++i) batch.push_back(itemOf(echo, "[" + std::to_string(i) + "]", 3000ms, got, i));
  pool.invokeBatch(std::move(batch), loop.poster());
  for (const auto& g : got) EXPECT_TRUE(g.empty()) << "a completion ran inside invokeBatch";
  // Fewer posts than invocations may carry them all; run posts until every slot is filled.
  int posts = 0;
  auto filled = [&] { return std::all_of(got.begin(), got.end(), [](const std::string& g) { return !g.empty(); }); };
  while (!filled() && loop.run(1) == 1) ++posts;
  ASSERT_TRUE(filled());
  for (size_t i = 0; i < kItems; ++i) EXPECT_EQ(got[i], "[" + std::to_string(i) + "]");
  EXPECT_LE(posts, static_cast<int>(kItems));
  EXPECT_EQ(loop.run(1, 20ms), 0) << "a completion was posted twice";
  EXPECT_EQ(pool.stats().completed, kItems);
}

TEST(NativeWorkerPoolBatch, OverrunInsideABatchTimesOutAloneAndTheRestComplete) {
  {
    std::lock_guard<std::mutex> lock(latch().mu);
    latch().open = false;
  }
  TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 1, .idleSpin = 0us});
  auto echo = fnOf("echo", &builtin::echo);
  auto stuck = fnOf("stuck", &blockUntilReleased);
  std::vector<std::string> got(5);
  std::vector<BatchItem> batch;
  batch.push_back(itemOf(echo, "[0]", 3000ms, got, 0));
  batch.push_back(itemOf(echo, "[1]", 3000ms, got, 1));
  batch.push_back(itemOf(stuck, "{}", 50ms, got, 2));  // the single worker's run: 0, 1, 2, 3, 4
  batch.push_back(itemOf(echo, "[3]", 3000ms, got, 3));
  batch.push_back(itemOf(echo, "[4]", 3000ms, got, 4));
  pool.invokeBatch(std::move(batch), loop.poster());
  auto filled = [&] { return std::all_of(got.begin(), got.end(), [](const std::string& g) { return !g.empty(); }); };
  for (int i = 0; i < 10 && !filled(); ++i) loop.run(1);
  ASSERT_TRUE(filled());
  EXPECT_EQ(got[0], "[0]");
  EXPECT_EQ(got[1], "[1]");
  EXPECT_EQ(got[2], "TimedOut");
  EXPECT_EQ(got[3], "[3]");  // given back to the queue and run by the replacement worker
  EXPECT_EQ(got[4], "[4]");
  PoolStats s = pool.stats();
  EXPECT_EQ(s.timeouts, 1u);
  EXPECT_EQ(s.completed, 4u);
  {
    std::lock_guard<std::mutex> lock(latch().mu);
    latch().open = true;
  }
  latch().cv.notify_all();
  for (int i = 0; i < 1000 && pool.stats().abandonedThreads != 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(pool.stats().abandonedThreads, 0u);
  EXPECT_EQ(loop.run(1, 20ms), 0) << "the abandoned run delivered again";
}

TEST(NativeWorkerPoolBatch, OnWorkerRunsOffTheCallerBeforeTheCompletion) {
  TestLoop loop;
  NativeWorkerPool pool(PoolOptions{.threads = 1, .idleSpin = 0us});
  Invocation inv;
  inv.function = fnOf("echo", &builtin::echo);
  inv.event = "[7]";
  std::thread::id caller = std::this_thread::get_id(), ranOn;
  inv.onWorker = [&ranOn](NativeOutput& out) {
    ranOn = std::this_thread::get_id();
    out.payload += "!";
  };
  std::string got;
  pool.invoke(std::move(inv), loop.poster(), [&](NativeOutput out) { got = out.payload; });
  ASSERT_EQ(loop.run(1), 1);
  EXPECT_EQ(got, "[7]!");
  EXPECT_NE(ranOn, caller);
}

// A CompletionSink that keeps what the pool hands over; the test runs the completions itself.
class QueueSink final : public CompletionSink {
 public:
  void accept(std::vector<Finished>& run) override {
    std::lock_guard<std::mutex> lock(mu);
    acceptedOn.push_back(std::this_thread::get_id());
    for (auto& f : run) ready.push_back(std::move(f));
    cv.notify_all();
  }
  // Runs what arrived, waiting (bounded) until `n` completions ran in all.
  size_t runUntil(size_t n, std::chrono::milliseconds limit = 10s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (ran < n) {
      std::vector<Finished> take;
      {
        std::unique_lock<std::mutex> lock(mu);
        if (!cv.wait_until(lock, until, [&] { return !ready.empty(); })) break;
        take.swap(ready);
      }
      for (auto& [done, out] : take) done(std::move(out));
      ran += take.size();
    }
    return ran;
  }
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Finished> ready;
  std::vector<std::thread::id> acceptedOn;
  size_t ran = 0;
};

TEST(NativeWorkerPoolBatch, ASinkGetsEveryCompletionOnceIncludingTimeoutsAndNeverRunsThem) {
  {
    std::lock_guard<std::mutex> lock(latch().mu);
    latch().open = false;
  }
  QueueSink sink;
  NativeWorkerPool pool(PoolOptions{.threads = 1, .idleSpin = 0us});
  auto echo = fnOf("echo", &builtin::echo);
  auto stuck = fnOf("stuck", &blockUntilReleased);
  std::vector<std::string> got(5);
  std::vector<BatchItem> batch;
  batch.push_back(itemOf(echo, "[0]", 3000ms, got, 0));
  batch.push_back(itemOf(stuck, "{}", 50ms, got, 1));
  batch.push_back(itemOf(echo, "[2]", 3000ms, got, 2));
  batch.push_back(itemOf(nullptr, "{}", 3000ms, got, 3));  // refused: no function
  batch.push_back(itemOf(echo, "[4]", 3000ms, got, 4));
  pool.invokeBatch(std::move(batch), sink);
  for (const auto& g : got) EXPECT_TRUE(g.empty()) << "a completion ran inside invokeBatch";
  EXPECT_EQ(sink.runUntil(5), 5u);
  EXPECT_EQ(got[0], "[0]");
  EXPECT_EQ(got[1], "TimedOut");
  EXPECT_EQ(got[2], "[2]");
  EXPECT_EQ(got[3], "Rejected");
  EXPECT_EQ(got[4], "[4]");
  {
    std::lock_guard<std::mutex> lock(latch().mu);
    latch().open = true;
  }
  latch().cv.notify_all();
  for (int i = 0; i < 1000 && pool.stats().abandonedThreads != 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(pool.stats().abandonedThreads, 0u);
  EXPECT_EQ(sink.runUntil(6, 50ms), 5u) << "a completion was handed over twice";
}

}  // namespace
}  // namespace cdnlab::lambda::native

// The worker loop's hand-off to the native worker pool (native_lane.h).
#include "edge/pop/native_lane.h"

#include <chrono>
#include <thread>

namespace cdnlab::edge::pop {

namespace native = lambda::native;

namespace {
// How long the loop polls for a batch's completions before it lets itself be woken instead.
// On one core the loop's yield lets the pool thread run the batch; on two it is a short spin.
// A batch of built-ins takes a few microseconds per invocation.
constexpr std::chrono::microseconds kPollWindow{30};
}  // namespace

NativeLane::NativeLane(Io& io) : io_(io) {
  polls_ = io_.setBeforeWait([this] { beforeWait(); });
}

bool NativeLane::add(native::BatchItem item) {
  pending_.push_back(std::move(item));
  return pending_.size() == 1;
}

void NativeLane::flush(native::NativeWorkerPool& pool) {
  if (pending_.empty()) return;
  std::vector<native::BatchItem> batch = std::move(pending_);
  pending_.clear();
  pending_.reserve(batch.size());  // the next pass is likely as big: no regrowth item by item
  out_ += batch.size();  // before the pool can hand anything back (refusals come at once)
  mayPoll_ = true;
  if (polls_ && !armed_) arm(true);
  pool.invokeBatch(std::move(batch), *this);
}

void NativeLane::accept(std::vector<native::Finished>& run) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Appended, not swapped: ready_ and running_ keep their capacity, the pool its run buffer.
    for (auto& f : run) ready_.push_back(std::move(f));
    if (!awake_ && !wakePosted_) wake = wakePosted_ = true;
  }
  if (wake) io_.post([this] { drain(); });
}

size_t NativeLane::drain() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    awake_ = polls_;  // running: beforeWait() looks again before the loop waits
    wakePosted_ = false;
    if (ready_.empty()) return 0;
    running_.swap(ready_);
  }
  const size_t n = running_.size();
  out_ -= n;
  for (auto& [done, out] : running_) done(std::move(out));
  running_.clear();
  return n;
}

void NativeLane::arm(bool on) {
  armed_ = on;
  io_.armBeforeWait(on);
}

void NativeLane::beforeWait() {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + kPollWindow;
  for (;;) {
    drain();
    if (out_ == 0) {
      arm(false);  // nothing out: an idle loop pays nothing
      return;
    }
    // One window per batch submitted: a slow handler must not cost every later pass of the
    // loop a spin (it is woken for that one instead).
    if (!mayPoll_ || Clock::now() >= until) break;
    std::this_thread::yield();
  }
  mayPoll_ = false;
  // Invocations are still out and the loop may block: from here a hand-over wakes it. Whatever
  // arrived before the flag is cleared is drained first (out_ shrinks each time: this ends).
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (ready_.empty()) {
        awake_ = false;
        return;
      }
    }
    drain();
    if (out_ == 0) {
      arm(false);
      return;
    }
  }
}

}  // namespace cdnlab::edge::pop

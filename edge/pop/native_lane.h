// One PoP worker loop's hand-off to the native worker pool (function_runner.h). The loop gathers
// the native invocations of one pass and submits them as one batch at the pass's end; the pool
// hands the finished ones back into this lane's queue (a CompletionSink), and the loop takes
// them from there:
// - while a batch is out, the loop polls the queue right before it would wait for I/O (a libuv
//   prepare handle, Io::setBeforeWait), yielding the CPU for a bounded few microseconds once per
//   batch submitted, instead of sleeping in epoll and being woken: on a small or paravirtualised
//   machine each sleep and wake-up of the loop costs several microseconds;
// - a hand-over wakes the loop (Io::post: an eventfd write) only when the loop has said it is
//   about to wait; while it runs, the queue is drained before it waits anyway.
// Everything but accept() runs on the loop's own thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

#include "edge/pop/function_set.h"
#include "edge/pop/transaction.h"
#include "lambda/native/worker_pool.h"

namespace cdnlab::edge::pop {

class NativeLane final : public lambda::native::CompletionSink {
 public:
  // On `io`'s thread: registers the lane's before-wait hook with `io`.
  explicit NativeLane(Io& io);
  NativeLane(const NativeLane&) = delete;
  NativeLane& operator=(const NativeLane&) = delete;

  Io& io() const { return io_; }

  // Queues an invocation for this pass's batch. True when it is the pass's first (the caller
  // then asks the loop to run flush() at the pass's end).
  bool add(lambda::native::BatchItem item);
  // Submits the pass's invocations to `pool` as one batch.
  void flush(lambda::native::NativeWorkerPool& pool);

  // Pool threads: finished invocations, into the queue.
  void accept(std::vector<lambda::native::Finished>& run) override;

  // The runner's current FunctionSet as this worker's own copy (function_runner.h: current()).
  FunctionSetPtr functions;
  uint64_t generation = 0;

 private:
  // Runs the completions in the queue; returns how many.
  size_t drain();
  // The loop is about to wait for I/O: poll for the batch's completions a little, then let a
  // hand-over wake it.
  void beforeWait();
  void arm(bool on);

  Io& io_;
  std::vector<lambda::native::BatchItem> pending_;  // this pass's invocations
  size_t out_ = 0;       // handed to the pool, completion not run yet
  bool polls_ = false;   // io_ has a before-wait phase
  bool armed_ = false;   // the before-wait hook runs
  bool mayPoll_ = false; // a batch went out since the last poll window: the next wait may poll
  std::vector<lambda::native::Finished> running_;  // the drained queue (keeps its capacity)

  std::mutex mu_;  // guards the three below (pool threads and the loop)
  std::vector<lambda::native::Finished> ready_;
  bool awake_ = false;       // the loop looks at ready_ again before it waits
  bool wakePosted_ = false;  // a drain is posted to the loop and has not run
};

}  // namespace cdnlab::edge::pop

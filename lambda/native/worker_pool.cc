// The native worker pool: a job queue, detached worker threads, and a watchdog thread that
// times out overrunning handlers. All state is in Shared, which every thread holds a reference
// to, so an abandoned thread may outlive the pool object safely.
#include "lambda/native/worker_pool.h"

#include <pthread.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/log.h"

namespace cdnlab::lambda::native {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

// Where a batch's completions go. Jobs of one invokeBatch() share it, so a worker can tell the
// jobs it may run back to back and deliver together; invoke() gives each job its own.
struct Target {
  Post post;
  CompletionSink* sink = nullptr;  // when set, completions go here instead of through post
};

struct Job {
  Invocation inv;
  const Target* target;  // its batch's (BatchBlock), kept alive by the JobPtr
  Completion done;
};
// Shares ownership of the job's whole BatchBlock (an aliasing shared_ptr): an abandoned job's
// thread keeps its batch's memory until the handler returns.
using JobPtr = std::shared_ptr<Job>;

// One invokeBatch(): its target and its jobs in one block, so a batch of N costs two allocations
// (the block, the jobs' array) instead of N + 1. `jobs` is sized once and never grows.
struct BatchBlock {
  Target target;
  std::vector<Job> jobs;
};

struct FinishedJob {
  JobPtr job;
  NativeOutput out;
};

// A worker's run of one batch and the job it is running. Guarded by Shared::mu: the watchdog
// reads every slot's deadline and empties a slot when it abandons its worker (jobs not started go
// back to the queue, finished ones are delivered). A worker runs one job at a time, so the job
// and its deadline live here rather than in a pool-wide map: no allocation per job, and the
// worker registers a warm job in the same critical section that took it.
struct WorkerSlot {
  bool abandoned = false;         // set by the watchdog
  JobPtr current;                 // the job whose handler runs now (null between jobs)
  TimePoint deadline = TimePoint::max();  // current's; max while none runs
  std::deque<JobPtr> taken;       // taken from the queue, not started
  std::vector<FinishedJob> finished; // done, completion not posted yet
  TimePoint firstFinished{};
};

// Idle warm environments of one function, oldest first. Holding `fn` keeps the key's address
// from being reused by another function while entries exist.
struct WarmSet {
  NativeFunctionPtr fn;
  std::vector<TimePoint> idleSince;
};

void deliver(Job& job, NativeOutput out) {
  if (CompletionSink* sink = job.target->sink) {
    std::vector<Finished> one;
    one.emplace_back(std::move(job.done), std::move(out));
    sink->accept(one);
    return;
  }
  // If post refuses, the closure (and `done`) is destroyed without running: documented.
  job.target->post([done = std::move(job.done), out = std::move(out)]() mutable { done(std::move(out)); });
}

// Posts finished jobs, one post (or one hand-over to a sink) per run of jobs with the same target.
void deliverAll(std::vector<FinishedJob>& finished) {
  size_t i = 0;
  while (i < finished.size()) {
    size_t j = i + 1;
    while (j < finished.size() && finished[j].job->target == finished[i].job->target) ++j;
    if (CompletionSink* sink = finished[i].job->target->sink) {
      // The thread's own buffer: a sink takes the items, not the storage (no allocation per run).
      thread_local std::vector<Finished> run;
      run.clear();
      for (size_t k = i; k < j; ++k) run.emplace_back(std::move(finished[k].job->done), std::move(finished[k].out));
      sink->accept(run);
      run.clear();
    } else if (j == i + 1) {
      deliver(*finished[i].job, std::move(finished[i].out));
    } else {
      std::vector<std::pair<Completion, NativeOutput>> run;
      run.reserve(j - i);
      for (size_t k = i; k < j; ++k) run.emplace_back(std::move(finished[k].job->done), std::move(finished[k].out));
      const Post& post = finished[i].job->target->post;
      post([run = std::move(run)]() mutable {
        for (auto& [done, out] : run) done(std::move(out));
      });
    }
    i = j;
  }
  finished.clear();  // the caller keeps the storage for its next run
}

NativeOutput rejection(const char* type, const char* message) {
  NativeOutput out;
  out.status = NativeStatus::Rejected;
  out.errorType = type;
  out.errorMessage = message;
  return out;
}

}  // namespace

struct NativeWorkerPool::Shared {
  PoolOptions options;
  std::mutex mu;
  std::condition_variable workCv;   // a job was queued, or stopping
  std::condition_variable watchCv;  // the earliest deadline changed, or the watchdog must stop
  std::condition_variable exitCv;   // a worker exited
  std::deque<JobPtr> queue;
  std::vector<WorkerSlot*> slots;  // live workers' slots (an abandoned worker's is removed)
  std::unordered_map<const NativeFunction*, WarmSet> warm;
  bool stopping = false;
  bool watchdogStop = false;
  // When the watchdog wakes by itself next (max: it waits to be notified). A worker notifies it
  // only for a deadline earlier than that, so a stream of short jobs does not wake a third
  // thread per job; the watchdog re-reads the earliest deadline when it wakes.
  TimePoint watchUntil = TimePoint::max();
  std::atomic<size_t> queuedHint{0};  // queue.size(), readable without mu (the idle spin)
  int sleepers = 0;                   // workers blocked in workCv.wait (invoke notifies only then)
  size_t takenWaiting = 0;            // jobs in workers' runs (WorkerSlot::taken), not started
  int liveWorkers = 0;  // started and not (exited or abandoned)
  PoolStats stats;
  std::thread watchdog;
  std::weak_ptr<Shared> selfRef;  // for the watchdog to start replacement workers

  // All with mu held.
  void startWorker(const std::shared_ptr<Shared>& self);
  bool takeWarm(const NativeFunctionPtr& fn, TimePoint now);
  void takeRun(WorkerSlot& slot);
  void putWarm(const NativeFunctionPtr& fn, TimePoint now);
  static void workerMain(std::shared_ptr<Shared> self);
  static void watchdogMain(Shared* self);
};

void NativeWorkerPool::Shared::startWorker(const std::shared_ptr<Shared>& self) {
  std::thread(&Shared::workerMain, self).detach();  // may throw std::system_error
  ++liveWorkers;
}

bool NativeWorkerPool::Shared::takeWarm(const NativeFunctionPtr& fn, TimePoint now) {
  auto it = warm.find(fn.get());
  if (it == warm.end()) return false;
  auto& idle = it->second.idleSince;
  // Oldest first: drop what expired, then reuse the most recently used (it is the warmest).
  size_t expired = 0;
  while (expired < idle.size() && now - idle[expired] > options.idleExpiry) ++expired;
  idle.erase(idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(expired));
  if (idle.empty()) {
    if (expired > 0) warm.erase(it);  // gone quiet: let the function go
    return false;
  }
  // The emptied set stays: under a steady stream the same function comes back at once, and
  // erasing it here cost a hash-node free and allocation per invocation.
  idle.pop_back();
  return true;
}

void NativeWorkerPool::Shared::putWarm(const NativeFunctionPtr& fn, TimePoint now) {
  auto& set = warm[fn.get()];
  if (!set.fn) set.fn = fn;
  set.idleSince.push_back(now);
}

// Takes the next run: the queue's front job and, behind it, more jobs of the same batch - as
// many as keeps every worker busy (an even share of the queue), up to batchMax.
void NativeWorkerPool::Shared::takeRun(WorkerSlot& slot) {
  JobPtr first = std::move(queue.front());
  queue.pop_front();
  size_t share = (queue.size() + static_cast<size_t>(options.threads)) / static_cast<size_t>(options.threads);
  size_t limit = std::min(std::max<size_t>(options.batchMax, 1), share);
  const Target* target = first->target;
  slot.taken.push_back(std::move(first));
  while (slot.taken.size() < limit && !queue.empty() && queue.front()->target == target) {
    slot.taken.push_back(std::move(queue.front()));
    queue.pop_front();
  }
  takenWaiting += slot.taken.size();
  queuedHint.store(queue.size(), std::memory_order_relaxed);
}

void NativeWorkerPool::Shared::workerMain(std::shared_ptr<Shared> self) {
  pthread_setname_np(pthread_self(), "native-pool");  // told apart in top -H, perf and /proc
  WorkerSlot slot;  // lives on this thread's stack; the watchdog touches it only with mu held
  // Swapped with slot.finished to deliver outside the lock; both keep their capacity.
  std::vector<FinishedJob> delivering;
  std::unique_lock<std::mutex> lock(self->mu);
  self->slots.push_back(&slot);
  for (;;) {
    if (slot.taken.empty()) {
      if (!slot.finished.empty()) {  // never sleep on undelivered completions
        delivering.swap(slot.finished);
        lock.unlock();
        deliverAll(delivering);
        lock.lock();
        continue;
      }
      if (self->queue.empty() && !self->stopping && self->options.idleSpin.count() > 0) {
        lock.unlock();
        auto until = SteadyClock::now() + self->options.idleSpin;
        while (self->queuedHint.load(std::memory_order_relaxed) == 0 && SteadyClock::now() < until) std::this_thread::yield();
        lock.lock();
      }
      ++self->sleepers;
      self->workCv.wait(lock, [&] { return self->stopping || !self->queue.empty(); });
      --self->sleepers;
      if (self->queue.empty()) break;  // stopping and drained
      self->takeRun(slot);
    }
    JobPtr job = std::move(slot.taken.front());
    slot.taken.pop_front();
    --self->takenWaiting;
    const Invocation& inv = job->inv;

    bool cold = inv.init == InitMode::Cold || (inv.init == InitMode::Auto && !self->takeWarm(inv.function, SteadyClock::now()));
    ++self->stats.invocations;
    ++self->stats.busy;
    if (cold) ++self->stats.coldStarts;

    NativeOutput out;
    if (cold) {
      // The modelled init: the time a real runtime would spend starting and loading the code.
      // No deadline yet (the timeout counts from after the init), so the watchdog leaves us be.
      lock.unlock();
      auto initTime = inv.initTime.count() >= 0 ? inv.initTime : inv.function->initTime;
      auto t0 = SteadyClock::now();
      if (initTime.count() > 0) std::this_thread::sleep_for(initTime);
      out.initNs = std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - t0).count();
      out.coldStart = true;
      lock.lock();
    }

    auto timeout = std::max(inv.timeout, std::chrono::milliseconds(1));
    TimePoint deadline = SteadyClock::now() + timeout;
    slot.current = job;
    slot.deadline = deadline;
    if (deadline < self->watchUntil) self->watchCv.notify_one();
    lock.unlock();

    CallOptions call;
    call.requestId = inv.requestId;
    call.deadlineNs = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
    call.memoryMb = inv.memoryMb;
    call.maxResponseBytes = inv.maxResponseBytes;
    if (inv.call || inv.callFn) {
      auto t0 = SteadyClock::now();
      if (inv.call) {
        inv.call(out);
      } else {
        inv.callFn(inv.callState.get(), out);
      }
      out.durationNs = std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - t0).count();
    } else {
      callNative(*inv.function, inv.event, call, out);
    }
    if (inv.onWorker) inv.onWorker(out);
    // The closures hold the caller's per-request state; let it go now, not when the rest of the
    // batch (which shares this job's memory block) is done. The watchdog never reads them.
    job->inv.call = nullptr;
    job->inv.callState.reset();
    job->inv.onWorker = nullptr;

    lock.lock();
    if (slot.abandoned) {
      // The watchdog answered TimedOut, took back the rest of our run and replaced us; our
      // result goes nowhere.
      --self->stats.abandonedThreads;
      return;  // `lock` and `self` release here; Shared lives on if the pool is gone
    }
    slot.current.reset();
    slot.deadline = TimePoint::max();
    --self->stats.busy;
    ++self->stats.completed;
    if (out.status == NativeStatus::FunctionError) ++self->stats.errors;
    TimePoint now = SteadyClock::now();
    if (inv.init == InitMode::Auto) self->putWarm(inv.function, now);
    if (slot.finished.empty()) slot.firstFinished = now;
    slot.finished.push_back(FinishedJob{std::move(job), std::move(out)});
    // Post now unless more of the run follows and the oldest completion is still fresh.
    bool post = slot.taken.empty() || slot.finished.size() >= self->options.batchMax ||
                now - slot.firstFinished >= self->options.batchDelay;
    if (post) {
      delivering.swap(slot.finished);
      lock.unlock();
      deliverAll(delivering);
      lock.lock();
    }
  }
  std::erase(self->slots, &slot);
  --self->liveWorkers;
  self->exitCv.notify_all();
}

void NativeWorkerPool::Shared::watchdogMain(Shared* self) {
  pthread_setname_np(pthread_self(), "native-watch");
  std::unique_lock<std::mutex> lock(self->mu);
  TimePoint linger = TimePoint::min();  // the last deadline waited for
  while (!self->watchdogStop) {
    TimePoint now = SteadyClock::now();
    WorkerSlot* first = nullptr;  // the running job with the earliest deadline (few slots: a scan)
    for (WorkerSlot* slot : self->slots)
      if (slot->current && (first == nullptr || slot->deadline < first->deadline)) first = slot;
    if (first == nullptr) {
      // Keep the last timed wait: jobs that come and go before it would each have notified us.
      // Once it passes with nothing running, wait to be notified (an idle pool costs nothing).
      self->watchUntil = linger > now ? linger : TimePoint::max();
      if (linger > now) {
        self->watchCv.wait_until(lock, linger);
      } else {
        self->watchCv.wait(lock);
      }
      continue;
    }
    if (now < first->deadline) {
      self->watchUntil = linger = first->deadline;
      // Wait on the copy: wait_until reads its deadline again after waking, and a worker that
      // finishes meanwhile changes the slot's.
      self->watchCv.wait_until(lock, linger);
      continue;
    }
    WorkerSlot& slot = *first;
    JobPtr timedOut = std::move(slot.current);
    slot.deadline = TimePoint::max();
    slot.abandoned = true;  // its thread exits when the handler returns
    std::erase(self->slots, &slot);
    // The rest of its run goes back to the front of the queue, in order, for the other workers
    // (and the replacement started below); what it finished is delivered now.
    self->takenWaiting -= slot.taken.size();
    while (!slot.taken.empty()) {
      self->queue.push_front(std::move(slot.taken.back()));
      slot.taken.pop_back();
    }
    self->queuedHint.store(self->queue.size(), std::memory_order_relaxed);
    if (!self->queue.empty()) self->workCv.notify_all();
    std::vector<FinishedJob> finished = std::move(slot.finished);
    slot.finished.clear();
    --self->stats.busy;
    ++self->stats.timeouts;
    ++self->stats.abandonedTotal;
    ++self->stats.abandonedThreads;
    --self->liveWorkers;
    self->exitCv.notify_all();
    // Its environment is gone too (as on AWS, a timeout resets the execution environment).
    if (!self->stopping) {
      try {
        self->startWorker(self->selfRef.lock());
      } catch (const std::system_error& e) {
        LOG_ERROR("native pool: cannot replace an abandoned worker: %s", e.what());
      }
    }
    Job& job = *timedOut;
    NativeOutput out;
    out.status = NativeStatus::TimedOut;
    out.errorType = "Sandbox.Timedout";
    out.errorMessage = timeoutMessage(std::max(job.inv.timeout, std::chrono::milliseconds(1)));
    out.durationNs = std::chrono::duration_cast<std::chrono::nanoseconds>(job.inv.timeout).count();
    lock.unlock();
    deliverAll(finished);
    deliver(job, std::move(out));
    lock.lock();
  }
}

NativeWorkerPool::NativeWorkerPool(PoolOptions options) : options_(options), shared_(std::make_shared<Shared>()) {
  if (options_.threads < 1) options_.threads = 1;
  shared_->options = options_;
  shared_->selfRef = shared_;
  std::lock_guard<std::mutex> lock(shared_->mu);
  for (int i = 0; i < options_.threads; ++i) shared_->startWorker(shared_);
  shared_->watchdog = std::thread(&Shared::watchdogMain, shared_.get());
}

NativeWorkerPool::~NativeWorkerPool() {
  std::deque<JobPtr> rejected;
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->stopping = true;
    rejected.swap(shared_->queue);
    shared_->queuedHint.store(0, std::memory_order_relaxed);
    shared_->stats.rejected += rejected.size();
  }
  shared_->workCv.notify_all();
  for (auto& job : rejected) deliver(*job, rejection("ServiceException", "the native worker pool is stopping"));
  {
    std::unique_lock<std::mutex> lock(shared_->mu);
    // The watchdog keeps running meanwhile, so a stuck handler is abandoned, not waited for.
    shared_->exitCv.wait(lock, [&] { return shared_->liveWorkers == 0; });
    shared_->watchdogStop = true;
  }
  shared_->watchCv.notify_all();
  shared_->watchdog.join();
}

namespace {
// Why a job cannot be queued (mu held), or null.
const char* refusalFor(const NativeWorkerPool::Shared& shared, const Job& job, size_t maxQueued) {
  if (shared.stopping) return "ServiceException";
  if (shared.queue.size() >= maxQueued) return "TooManyRequestsException";
  if (!job.inv.function || job.inv.function->handler == nullptr) return "ResourceNotFoundException";
  return nullptr;
}

NativeOutput refusalOutput(const char* refusal) {
  const char* why = refusal[0] == 'S'   ? "the native worker pool is stopping"
                    : refusal[0] == 'T' ? "the native worker pool's queue is full"
                                        : "no native function given";
  return rejection(refusal, why);
}
}  // namespace

void NativeWorkerPool::invoke(Invocation inv, Post post, Completion done) {
  std::vector<BatchItem> one;
  one.push_back(BatchItem{std::move(inv), std::move(done)});
  invokeBatch(std::move(one), std::move(post));
}

void NativeWorkerPool::invokeBatch(std::vector<BatchItem> items, CompletionSink& sink) {
  submitBatch(std::move(items), Post(), &sink);
}

void NativeWorkerPool::invokeBatch(std::vector<BatchItem> items, Post post) {
  submitBatch(std::move(items), std::move(post), nullptr);
}

void NativeWorkerPool::submitBatch(std::vector<BatchItem> items, Post post, CompletionSink* sink) {
  if (items.empty()) return;
  // The jobs are built before the lock: the pool's workers wait on it.
  auto block = std::make_shared<BatchBlock>(BatchBlock{Target{std::move(post), sink}, {}});
  block->jobs.reserve(items.size());
  for (auto& item : items) block->jobs.push_back(Job{std::move(item.inv), &block->target, std::move(item.done)});
  std::vector<FinishedJob> refused;
  int wake = 0;
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    for (Job& slotJob : block->jobs) {
      JobPtr job(block, &slotJob);
      if (const char* refusal = refusalFor(*shared_, *job, options_.maxQueued)) {
        ++shared_->stats.rejected;
        refused.push_back(FinishedJob{std::move(job), refusalOutput(refusal)});
        continue;
      }
      shared_->queue.push_back(std::move(job));
    }
    shared_->queuedHint.store(shared_->queue.size(), std::memory_order_relaxed);
    size_t queued = items.size() - refused.size();
    // One sleeper per run the queue splits into (takeRun: an even share per worker, at most
    // batchMax); more wake-ups would find nothing to take.
    size_t threads = static_cast<size_t>(options_.threads);
    size_t run = std::min(std::max<size_t>(options_.batchMax, 1), (queued + threads - 1) / threads);
    size_t wanted = run == 0 ? 0 : (queued + run - 1) / run;
    wake = static_cast<int>(std::min<size_t>(wanted, static_cast<size_t>(shared_->sleepers)));
  }
  for (int i = 0; i < wake; ++i) shared_->workCv.notify_one();
  // Through post even here: a completion never fires inside invoke().
  if (!refused.empty()) deliverAll(refused);
}

PoolStats NativeWorkerPool::stats() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  PoolStats s = shared_->stats;
  s.queued = shared_->queue.size() + shared_->takenWaiting;
  auto now = SteadyClock::now();
  for (const auto& [key, set] : shared_->warm) {
    for (TimePoint t : set.idleSince) s.warmEnvironments += (now - t <= options_.idleExpiry) ? 1 : 0;
  }
  return s;
}

}  // namespace cdnlab::lambda::native

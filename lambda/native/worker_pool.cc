// The native worker pool: a job queue, detached worker threads, and a watchdog thread that
// times out overrunning handlers. All state is in Shared, which every thread holds a reference
// to, so an abandoned thread may outlive the pool object safely.
#include "lambda/native/worker_pool.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/log.h"

namespace cdnlab::lambda::native {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

struct WorkerSlot {
  bool abandoned = false;  // guarded by Shared::mu; set by the watchdog
};

struct Job {
  Invocation inv;
  Post post;
  Completion done;
};
using JobPtr = std::shared_ptr<Job>;

struct Running {
  JobPtr job;
  WorkerSlot* worker;
};

// Idle warm environments of one function, oldest first. Holding `fn` keeps the key's address
// from being reused by another function while entries exist.
struct WarmSet {
  NativeFunctionPtr fn;
  std::vector<TimePoint> idleSince;
};

void deliver(Job& job, NativeOutput out) {
  // If post refuses, the closure (and `done`) is destroyed without running: documented.
  job.post([done = std::move(job.done), out = std::move(out)]() mutable { done(std::move(out)); });
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
  std::multimap<TimePoint, Running> running;  // by deadline
  std::unordered_map<const NativeFunction*, WarmSet> warm;
  bool stopping = false;
  bool watchdogStop = false;
  // When the watchdog wakes by itself next (max: it waits to be notified). A worker notifies it
  // only for a deadline earlier than that, so a stream of short jobs does not wake a third
  // thread per job; the watchdog re-reads the earliest deadline when it wakes.
  TimePoint watchUntil = TimePoint::max();
  std::atomic<size_t> queuedHint{0};  // queue.size(), readable without mu (the idle spin)
  int sleepers = 0;                   // workers blocked in workCv.wait (invoke notifies only then)
  int liveWorkers = 0;  // started and not (exited or abandoned)
  PoolStats stats;
  std::thread watchdog;
  std::weak_ptr<Shared> selfRef;  // for the watchdog to start replacement workers

  // All with mu held.
  void startWorker(const std::shared_ptr<Shared>& self);
  bool takeWarm(const NativeFunctionPtr& fn, TimePoint now);
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
    warm.erase(it);
    return false;
  }
  idle.pop_back();
  if (idle.empty()) warm.erase(it);
  return true;
}

void NativeWorkerPool::Shared::putWarm(const NativeFunctionPtr& fn, TimePoint now) {
  auto& set = warm[fn.get()];
  if (!set.fn) set.fn = fn;
  set.idleSince.push_back(now);
}

void NativeWorkerPool::Shared::workerMain(std::shared_ptr<Shared> self) {
  WorkerSlot slot;  // lives on this thread's stack: only read by the watchdog while we run a job
  std::unique_lock<std::mutex> lock(self->mu);
  for (;;) {
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
    JobPtr job = std::move(self->queue.front());
    self->queue.pop_front();
    self->queuedHint.store(self->queue.size(), std::memory_order_relaxed);
    const Invocation& inv = job->inv;

    bool cold = inv.init == InitMode::Cold || (inv.init == InitMode::Auto && !self->takeWarm(inv.function, SteadyClock::now()));
    ++self->stats.invocations;
    ++self->stats.busy;
    if (cold) ++self->stats.coldStarts;
    lock.unlock();

    NativeOutput out;
    if (cold) {
      // The modelled init: the time a real runtime would spend starting and loading the code.
      auto initTime = inv.initTime.count() >= 0 ? inv.initTime : inv.function->initTime;
      auto t0 = SteadyClock::now();
      if (initTime.count() > 0) std::this_thread::sleep_for(initTime);
      out.initNs = std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - t0).count();
      out.coldStart = true;
    }

    lock.lock();
    auto timeout = std::max(inv.timeout, std::chrono::milliseconds(1));
    TimePoint deadline = SteadyClock::now() + timeout;
    auto entry = self->running.emplace(deadline, Running{job, &slot});
    if (deadline < self->watchUntil) self->watchCv.notify_one();
    lock.unlock();

    CallOptions call;
    call.requestId = inv.requestId;
    call.deadlineNs = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
    call.memoryMb = inv.memoryMb;
    call.maxResponseBytes = inv.maxResponseBytes;
    callNative(*inv.function, inv.event, call, out);

    lock.lock();
    if (slot.abandoned) {
      // The watchdog answered TimedOut and replaced us; our result goes nowhere.
      --self->stats.abandonedThreads;
      return;  // `lock` and `self` release here; Shared lives on if the pool is gone
    }
    self->running.erase(entry);
    --self->stats.busy;
    ++self->stats.completed;
    if (out.status == NativeStatus::FunctionError) ++self->stats.errors;
    if (inv.init == InitMode::Auto) self->putWarm(inv.function, SteadyClock::now());
    lock.unlock();
    deliver(*job, std::move(out));
    job.reset();
    lock.lock();
  }
  --self->liveWorkers;
  self->exitCv.notify_all();
}

void NativeWorkerPool::Shared::watchdogMain(Shared* self) {
  std::unique_lock<std::mutex> lock(self->mu);
  TimePoint linger = TimePoint::min();  // the last deadline waited for
  while (!self->watchdogStop) {
    TimePoint now = SteadyClock::now();
    if (self->running.empty()) {
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
    auto first = self->running.begin();
    if (now < first->first) {
      self->watchUntil = linger = first->first;
      // Wait on the copy: wait_until reads its deadline again after waking, and a worker that
      // finishes meanwhile erases `first` (a read of freed memory, found by ASan).
      self->watchCv.wait_until(lock, linger);
      continue;
    }
    Running timedOut = std::move(first->second);
    self->running.erase(first);
    timedOut.worker->abandoned = true;  // its thread exits when the handler returns
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
    Job& job = *timedOut.job;
    NativeOutput out;
    out.status = NativeStatus::TimedOut;
    out.errorType = "Sandbox.Timedout";
    out.errorMessage = timeoutMessage(std::max(job.inv.timeout, std::chrono::milliseconds(1)));
    out.durationNs = std::chrono::duration_cast<std::chrono::nanoseconds>(job.inv.timeout).count();
    lock.unlock();
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

void NativeWorkerPool::invoke(Invocation inv, Post post, Completion done) {
  auto job = std::make_shared<Job>(Job{std::move(inv), std::move(post), std::move(done)});
  const char* refusal = nullptr;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (shared_->stopping) {
      refusal = "ServiceException";
    } else if (shared_->queue.size() >= options_.maxQueued) {
      refusal = "TooManyRequestsException";
    } else if (!job->inv.function || job->inv.function->handler == nullptr) {
      refusal = "ResourceNotFoundException";
    } else {
      shared_->queue.push_back(std::move(job));
      shared_->queuedHint.store(shared_->queue.size(), std::memory_order_relaxed);
      wake = shared_->sleepers > 0;
    }
    if (refusal) ++shared_->stats.rejected;
  }
  if (refusal == nullptr) {
    if (wake) shared_->workCv.notify_one();
    return;
  }
  // Through post even here: the callback never fires inside invoke().
  const char* why = refusal[0] == 'S'   ? "the native worker pool is stopping"
                    : refusal[0] == 'T' ? "the native worker pool's queue is full"
                                        : "no native function given";
  deliver(*job, rejection(refusal, why));
}

PoolStats NativeWorkerPool::stats() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  PoolStats s = shared_->stats;
  s.queued = shared_->queue.size();
  auto now = SteadyClock::now();
  for (const auto& [key, set] : shared_->warm) {
    for (TimePoint t : set.idleSince) s.warmEnvironments += (now - t <= options_.idleExpiry) ? 1 : 0;
  }
  return s;
}

}  // namespace cdnlab::lambda::native

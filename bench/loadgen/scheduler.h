// Which request a region sends next and when. The workload picks object ids (Zipf rank ->
// the region's popularity order); the open-loop scheduler turns Poisson arrivals into a queue
// of requests, each stamped with its *intended* send time. The driver sends from the queue
// whenever a connection is free, and measures latency from the stamp: a server that stalls
// makes the queue grow and every queued request's latency includes the wait, which a closed
// loop (or wrk) would silently omit. Pure: `now` is passed in.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>

#include "bench/loadgen/arrivals.h"
#include "bench/loadgen/rng.h"
#include "bench/loadgen/zipf.h"

namespace cdnlab::loadgen {

class Workload {
 public:
  // zipf and popularity are shared read-only between the regions/threads that use them.
  Workload(std::shared_ptr<const ZipfSampler> zipf, std::shared_ptr<const Popularity> popularity, uint64_t seed)
      : zipf_(std::move(zipf)), popularity_(std::move(popularity)), rng_(seed) {}
  uint64_t nextObject() { return popularity_->objectAt(zipf_->rank(rng_.uniform())); }

 private:
  std::shared_ptr<const ZipfSampler> zipf_;
  std::shared_ptr<const Popularity> popularity_;
  Rng rng_;
};

struct PendingRequest {
  int64_t intendedNs = 0;
  uint64_t objectId = 0;
};

class OpenLoopScheduler {
 public:
  // maxQueued bounds memory when the target cannot keep up; arrivals beyond it are counted as
  // dropped (reported as errors: the client could not even queue them).
  OpenLoopScheduler(PoissonArrivals arrivals, Workload workload, size_t maxQueued = 1 << 20)
      : arrivals_(arrivals), workload_(std::move(workload)), maxQueued_(maxQueued) {}

  // Queues every arrival intended at or before nowNs and stops admitting at stopNs (exclusive).
  // Returns the intended time of the next arrival (when to wake up next).
  int64_t admit(int64_t nowNs, int64_t stopNs) {
    while (arrivals_.peek() <= nowNs && arrivals_.peek() < stopNs) {
      int64_t t = arrivals_.take();
      uint64_t obj = workload_.nextObject();
      if (queue_.size() >= maxQueued_) {
        ++dropped_;
        continue;
      }
      queue_.push_back({t, obj});
    }
    return arrivals_.peek();
  }
  bool empty() const { return queue_.empty(); }
  size_t queued() const { return queue_.size(); }
  PendingRequest pop() {
    PendingRequest p = queue_.front();
    queue_.pop_front();
    return p;
  }
  uint64_t dropped() const { return dropped_; }

 private:
  PoissonArrivals arrivals_;
  Workload workload_;
  size_t maxQueued_;
  std::deque<PendingRequest> queue_;
  uint64_t dropped_ = 0;
};

// Latency of a request completed at doneNs that was meant to go out at intendedNs, in us.
inline uint64_t latencyFromIntendedUs(int64_t intendedNs, int64_t doneNs) {
  return doneNs > intendedNs ? static_cast<uint64_t>(doneNs - intendedNs) / 1000 : 0;
}

}  // namespace cdnlab::loadgen

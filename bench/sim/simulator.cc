// The replay loop. Per request, as libCacheSim's cache_get_base (and policy.h):
//   hit  -> onHit
//   miss -> admit(); if admitted and size <= capacity: evict victims until it fits, onInsert
// Objects larger than the cache are misses that are never inserted (libCacheSim's can_insert).
// The object's size is fixed at insert (hits do not resize it, as libCacheSim's find does not).
#include "bench/sim/simulator.h"

#include <time.h>

#include <chrono>
#include <memory>
#include <thread>

#include "edge/cache/huge_pages.h"
#include "edge/cache/policy.h"

namespace cdnlab::sim {

namespace {
double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
}  // namespace

using edge::cache::Access;
using edge::cache::ItemId;
using edge::cache::Policy;
using edge::cache::RemoveCause;

Result<SimResult> simulate(const Trace& trace, const SimJob& job, std::atomic<uint64_t>* progress) {
  if (job.capacity == 0) return Error{0, job.policy + ": cache size 0"};
  auto made = edge::cache::makePolicy(job.policy, job.capacity);
  if (!made) return made.error();
  Policy& policy = **made;
  const bool bytesMode = job.mode == SizeMode::Bytes;
  const uint64_t cap = job.capacity;

  // The lean index: the dense object number is the ItemId; residency and the charged size are
  // two arrays (5 bytes per object), on huge pages when large (edge/cache/huge_pages.h).
  edge::cache::HugePageVector<uint32_t> charged(trace.objects(), 0);
  edge::cache::HugePageVector<uint8_t> resident(trace.objects(), 0);
  uint64_t used = 0;
  SimResult r;
  r.job = job;
  auto settle = [&] {
    auto& dropped = policy.dropped();
    for (ItemId d : dropped) {
      resident[d] = 0;
      used -= charged[d];
    }
    dropped.clear();
  };

  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = threadCpuSeconds();
  const auto& reqs = trace.requests;
  // The trace says which objects come next: start loading their key and residency kAhead
  // requests early, so that those misses overlap instead of each stalling its own request.
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < reqs.size(); ++i) {
    if (i + kAhead < reqs.size()) {
      const uint32_t ahead = reqs[i + kAhead].obj;
      __builtin_prefetch(&trace.keys[ahead]);
      __builtin_prefetch(&resident[ahead]);
    }
    const Request& q = reqs[i];
    const uint64_t size = bytesMode ? q.size : 1;
    r.bytes += q.size;
    Access a{trace.keys[q.obj], size, q.next == Request::kNever ? Access::kNever : int64_t(q.next), int64_t(i)};
    if (resident[q.obj]) {
      policy.onHit(q.obj, a);
      if (!policy.dropped().empty()) settle();
    } else {
      ++r.misses;
      r.missBytes += q.size;
      const bool admitted = policy.admit(a);
      if (!policy.dropped().empty()) settle();  // admission may evict (LIRS)
      if (admitted && size <= cap) {
        while (used - policy.uncountedBytes() + size > cap || policy.evictionPending()) {
          auto v = policy.victim();
          if (!v) break;  // the newcomer loses (GDSF): onInsert drops it again
          resident[*v] = 0;
          used -= charged[*v];
          policy.onRemove(*v, RemoveCause::Size);
          if (!policy.dropped().empty()) settle();  // W-TinyLFU's main may make room for a promoted object
        }
        resident[q.obj] = 1;
        charged[q.obj] = uint32_t(size);
        used += size;
        policy.onInsert(q.obj, a);
        if (!policy.dropped().empty()) settle();
        if (used - policy.uncountedBytes() > cap) return Error{0, job.policy + ": " + std::to_string(used) + " in use over a capacity of " + std::to_string(cap)};
      }
    }
    if (progress && (i & 0xffff) == 0xffff) progress->fetch_add(0x10000, std::memory_order_relaxed);
  }
  if (progress) progress->fetch_add(reqs.size() & 0xffff, std::memory_order_relaxed);
  r.requests = reqs.size();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpuSeconds = threadCpuSeconds() - cpu0;
  return r;
}

std::vector<Result<SimResult>> runMany(const Trace& trace, const std::vector<SimJob>& jobs, int threads,
                                       std::atomic<uint64_t>* progress) {
  std::vector<std::unique_ptr<Result<SimResult>>> slots(jobs.size());
  std::atomic<size_t> nextJob{0};
  auto worker = [&] {
    for (size_t j; (j = nextJob.fetch_add(1)) < jobs.size();)
      slots[j] = std::make_unique<Result<SimResult>>(simulate(trace, jobs[j], progress));
  };
  threads = std::max(1, std::min<int>(threads, int(jobs.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  std::vector<Result<SimResult>> out;
  out.reserve(jobs.size());
  for (auto& s : slots) out.push_back(std::move(*s));
  return out;
}

}  // namespace cdnlab::sim

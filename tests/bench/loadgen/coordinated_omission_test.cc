// Coordinated omission: a server that stalls for a second while requests keep arriving. The
// open-loop scheduler queues the arrivals, and latency is counted from each request's intended
// send time, so every request that arrived during the stall shows its wait. The naive measure
// (from the moment a connection was free to send) hides all but one of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "bench/loadgen/scheduler.h"
#include "common/clock.h"
#include "common/histogram.h"

namespace cdnlab::loadgen {
namespace {

constexpr int64_t kMs = 1000000;
constexpr int64_t kS = 1000 * kMs;

TEST(CoordinatedOmission, StalledServerLatencyCountsFromIntendedTime) {
  FakeClock clock(0, 1704067200);
  const int64_t start = clock.nowNs();
  const int64_t stallFrom = start + 1 * kS, stallTo = start + 2 * kS, stop = start + 3 * kS;
  auto zipf = std::make_shared<const ZipfSampler>(100, 0.9);
  auto pop = std::make_shared<const Popularity>(100, false, 1, "r");
  OpenLoopScheduler sched(PoissonArrivals(200, 5, start), Workload(zipf, pop, 6));

  // One connection; the server answers in 1 ms, except that it is frozen during the stall.
  auto serve = [&](int64_t sentAt) {
    if (sentAt >= stallFrom && sentAt < stallTo) return stallTo + 1 * kMs;
    return sentAt + 1 * kMs;
  };
  Histogram corrected, naive;
  int64_t busyUntil = start;
  size_t arrivedDuringStall = 0;
  while (clock.nowNs() < stop) {
    int64_t now = clock.nowNs();
    size_t before = sched.queued();
    int64_t nextArrival = sched.admit(now, stop);
    if (now >= stallFrom && now < stallTo) arrivedDuringStall += sched.queued() - before;
    if (!sched.empty() && busyUntil <= now) {
      PendingRequest p = sched.pop();
      int64_t done = serve(now);
      busyUntil = done;
      corrected.record(latencyFromIntendedUs(p.intendedNs, done));
      naive.record(static_cast<uint64_t>(done - now) / 1000);
      continue;  // the clock stays: the next queued request may go when the server is free
    }
    int64_t next = std::min(nextArrival, busyUntil > now ? busyUntil : nextArrival);
    clock.advanceNs(std::max<int64_t>(next - now, 1));
  }

  ASSERT_GT(arrivedDuringStall, 150u);  // ~200/s for a second
  // Naive: one request (the one in service when the stall began) looks slow.
  EXPECT_LE(naive.percentile(99), 10000u);
  // Corrected: everything that arrived during the stall waited for its end, on average half
  // a second, the first ones nearly the whole second.
  EXPECT_GT(corrected.percentile(99), 900000u);
  EXPECT_GT(corrected.percentile(90), 200000u);
  EXPECT_GT(corrected.count(), 550u);
  EXPECT_EQ(corrected.count(), naive.count());
}

TEST(CoordinatedOmission, FullQueueCountsDroppedArrivals) {
  auto zipf = std::make_shared<const ZipfSampler>(10, 1.0);
  auto pop = std::make_shared<const Popularity>(10, false, 1, "r");
  OpenLoopScheduler sched(PoissonArrivals(1000, 3, 0), Workload(zipf, pop, 4), 5);
  sched.admit(1 * kS, 2 * kS);
  EXPECT_EQ(sched.queued(), 5u);
  EXPECT_GT(sched.dropped(), 900u);
  // Nothing at or after the stop time is admitted.
  PendingRequest last{};
  while (!sched.empty()) last = sched.pop();
  EXPECT_LT(last.intendedNs, 1 * kS + 1);
}

TEST(CoordinatedOmission, LatencyFromIntendedNeverNegative) {
  EXPECT_EQ(latencyFromIntendedUs(5000, 4000), 0u);
  EXPECT_EQ(latencyFromIntendedUs(1000, 2501000), 2500u);
}

}  // namespace
}  // namespace cdnlab::loadgen

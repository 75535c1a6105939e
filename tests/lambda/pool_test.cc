// PoolSet on a FakeClock: warm reuse, cold starts, reserved and account limits with AWS's
// throttle reasons, provisioned environments first and never expiring, idle expiry.
#include "lambda/pool.h"

#include <gtest/gtest.h>

namespace cdnlab::lambda {
namespace {

TEST(PoolSet, ColdThenWarmReuse) {
  FakeClock clock;
  PoolSet p(clock, 10);
  Admission a = p.admit("f", "$LATEST");
  ASSERT_EQ(a.kind, Admission::Cold);
  EXPECT_EQ(p.running("f"), 1);
  p.release(a.envId);
  EXPECT_EQ(p.running("f"), 0);
  Admission b = p.admit("f", "$LATEST");
  EXPECT_EQ(b.kind, Admission::Warm);
  EXPECT_EQ(b.envId, a.envId);
  // Another version never reuses that environment.
  EXPECT_EQ(p.admit("f", "1").kind, Admission::Cold);
}

TEST(PoolSet, ParallelInvokesGrowToTheReservedLimitAndNoFurther) {
  FakeClock clock;
  PoolSet p(clock, 100);
  p.setReserved("f", 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(p.admit("f", "$LATEST").kind, Admission::Cold);
  Admission t = p.admit("f", "$LATEST");
  EXPECT_EQ(t.kind, Admission::Throttled);
  EXPECT_EQ(t.reason, "ReservedFunctionConcurrentInvocationLimitExceeded");
  EXPECT_EQ(p.size(), 3u);
}

TEST(PoolSet, ReservedZeroThrottlesEverything) {
  FakeClock clock;
  PoolSet p(clock, 10);
  p.setReserved("off", 0);
  EXPECT_EQ(p.admit("off", "$LATEST").kind, Admission::Throttled);
}

TEST(PoolSet, AccountLimitCountsEveryUnreservedFunction) {
  FakeClock clock;
  PoolSet p(clock, 5);
  p.setReserved("r", 2);  // leaves 3 for everyone else
  EXPECT_EQ(p.unreservedLimit(), 3);
  EXPECT_EQ(p.admit("a", "$LATEST").kind, Admission::Cold);
  EXPECT_EQ(p.admit("b", "$LATEST").kind, Admission::Cold);
  EXPECT_EQ(p.admit("a", "$LATEST").kind, Admission::Cold);
  Admission t = p.admit("b", "$LATEST");
  EXPECT_EQ(t.kind, Admission::Throttled);
  EXPECT_EQ(t.reason, "ConcurrentInvocationLimitExceeded");
  // The reserved function still has its own room.
  EXPECT_EQ(p.admit("r", "$LATEST").kind, Admission::Cold);
}

TEST(PoolSet, IdleEnvironmentsDoNotCountAndExpire) {
  FakeClock clock;
  PoolSet p(clock, 1);
  Admission a = p.admit("f", "$LATEST");
  p.release(a.envId);
  // Idle: another function may take the account's only slot.
  Admission g = p.admit("g", "$LATEST");
  EXPECT_EQ(g.kind, Admission::Cold);
  p.release(g.envId);
  clock.advanceMs(999);
  EXPECT_TRUE(p.expireIdle(1000 * 1000000LL).empty());
  clock.advanceMs(1);
  auto gone = p.expireIdle(1000 * 1000000LL);
  EXPECT_EQ(gone.size(), 2u);
  EXPECT_EQ(p.size(), 0u);
}

TEST(PoolSet, MostRecentlyIdleIsReusedFirst) {
  FakeClock clock;
  PoolSet p(clock, 10);
  Admission a = p.admit("f", "$LATEST");
  Admission b = p.admit("f", "$LATEST");
  p.release(a.envId);
  clock.advanceMs(10);
  p.release(b.envId);
  EXPECT_EQ(p.admit("f", "$LATEST").envId, b.envId);
}

TEST(PoolSet, ProvisionedFirstCountedAlwaysNeverExpires) {
  FakeClock clock;
  PoolSet p(clock, 10);
  p.setReserved("f", 2);
  auto prov = p.addProvisioned("f", "1");
  ASSERT_TRUE(prov.has_value());
  EXPECT_EQ(p.used("f"), 1);  // allocated even while initializing and idle
  p.ready(*prov);
  EXPECT_EQ(p.used("f"), 1);
  Admission a = p.admit("f", "1");
  EXPECT_EQ(a.kind, Admission::Warm);
  EXPECT_EQ(a.envId, *prov);
  // One more fits (on demand), then the reservation is full.
  EXPECT_EQ(p.admit("f", "1").kind, Admission::Cold);
  EXPECT_EQ(p.admit("f", "1").kind, Admission::Throttled);
  p.release(*prov);
  clock.advanceSeconds(3600);
  auto gone = p.expireIdle(1000000000LL);
  EXPECT_TRUE(gone.empty());  // the on-demand one is busy, the provisioned one never expires
  EXPECT_FALSE(p.addProvisioned("f", "1").has_value());
}

TEST(PoolSet, RemovedEnvironmentFreesItsSlot) {
  FakeClock clock;
  PoolSet p(clock, 1);
  Admission a = p.admit("f", "$LATEST");
  EXPECT_EQ(p.admit("f", "$LATEST").kind, Admission::Throttled);
  p.remove(a.envId);  // crashed or timed out
  EXPECT_EQ(p.admit("f", "$LATEST").kind, Admission::Cold);
}

}  // namespace
}  // namespace cdnlab::lambda

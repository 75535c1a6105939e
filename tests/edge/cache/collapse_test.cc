// Request collapsing: one leader, followers woken exactly once (fill, failure, timeout,
// cancel, leader takeover), across threads.
#include "edge/cache/collapse.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

struct Recorder {
  std::vector<WakeReason> reasons;
  std::vector<std::shared_ptr<const Entry>> entries;
  Waker waker() {
    return [this](const Wake& w) {
      reasons.push_back(w.reason);
      entries.push_back(w.entry);
    };
  }
};

TEST(Collapse, OneLeaderFollowersWokenOnceWithTheEntry) {
  Collapser c;
  CacheKey k = keyFor("/a");
  Recorder rec;
  auto leader = c.join(k, kT0Ms, rec.waker());
  ASSERT_EQ(leader.role, Collapser::Role::Leader);
  std::vector<Collapser::Ticket> followers;
  for (int i = 0; i < 10; ++i) followers.push_back(c.join(k, kT0Ms + i, rec.waker()));
  for (auto& f : followers) EXPECT_EQ(f.role, Collapser::Role::Follower);
  EXPECT_TRUE(rec.reasons.empty());  // never woken from inside join
  EXPECT_EQ(c.join(keyFor("/other"), kT0Ms, rec.waker()).role, Collapser::Role::Leader);

  auto e = entryFor("/a", H({{"Cache-Control", "max-age=60"}}));
  EXPECT_EQ(c.complete(k, leader.token, Wake{WakeReason::Filled, e}), 10u);
  ASSERT_EQ(rec.reasons.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(rec.reasons[i], WakeReason::Filled);
    EXPECT_EQ(rec.entries[i], e);
  }
  // Nothing fires twice: complete again, expire far in the future.
  EXPECT_EQ(c.complete(k, leader.token, Wake{WakeReason::Filled, e}), 0u);
  EXPECT_EQ(c.expire(kT0Ms + 10'000'000), 0u);
  EXPECT_EQ(rec.reasons.size(), 10u);
  // The flight is over: the next miss leads again.
  EXPECT_EQ(c.join(k, kT0Ms + 1, rec.waker()).role, Collapser::Role::Leader);
  EXPECT_EQ(c.stats().followers, 10u);
  EXPECT_EQ(c.stats().filled, 10u);
}

TEST(Collapse, LeaderFailureWakesFollowersToFetchThemselves) {
  Collapser c;
  CacheKey k = keyFor("/a");
  Recorder rec;
  auto leader = c.join(k, kT0Ms, rec.waker());
  c.join(k, kT0Ms, rec.waker());
  c.join(k, kT0Ms, rec.waker());
  auto stray = entryFor("/a", H({{"Cache-Control", "max-age=60"}}));
  EXPECT_EQ(c.complete(k, leader.token, Wake{WakeReason::LeaderFailed, stray}), 2u);
  EXPECT_EQ(rec.reasons, (std::vector<WakeReason>{WakeReason::LeaderFailed, WakeReason::LeaderFailed}));
  EXPECT_EQ(rec.entries[0], nullptr);  // an entry only comes with Filled
  EXPECT_EQ(c.inFlight(), 0u);
}

TEST(Collapse, BoundedWaitTimesOut) {
  CollapseConfig cfg;
  cfg.maxWaitMs = 100;
  Collapser c(cfg);
  CacheKey k = keyFor("/a");
  Recorder rec;
  auto leader = c.join(k, kT0Ms, rec.waker());
  c.join(k, kT0Ms, rec.waker());       // deadline T0+100
  c.join(k, kT0Ms + 50, rec.waker());  // deadline T0+150
  EXPECT_EQ(c.expire(kT0Ms + 99), 0u);
  EXPECT_EQ(c.expire(kT0Ms + 100), 1u);
  EXPECT_EQ(rec.reasons, (std::vector<WakeReason>{WakeReason::TimedOut}));
  EXPECT_EQ(c.complete(k, leader.token, Wake{WakeReason::NotStored, nullptr}), 1u);
  EXPECT_EQ(rec.reasons.back(), WakeReason::NotStored);
  EXPECT_EQ(c.stats().timedOut, 1u);
}

TEST(Collapse, CancelledFollowerNeverFires) {
  Collapser c;
  CacheKey k = keyFor("/a");
  Recorder rec;
  auto leader = c.join(k, kT0Ms, rec.waker());
  auto f = c.join(k, kT0Ms, rec.waker());
  EXPECT_TRUE(c.cancel(k, f.token));
  EXPECT_FALSE(c.cancel(k, f.token));
  EXPECT_EQ(c.complete(k, leader.token, Wake{WakeReason::LeaderFailed, nullptr}), 0u);
  EXPECT_TRUE(rec.reasons.empty());
}

TEST(Collapse, LostLeaderIsReplacedAndItsLateCompleteIgnored) {
  CollapseConfig cfg;
  cfg.leaderTimeoutMs = 1000;
  cfg.maxWaitMs = 5000;
  Collapser c(cfg);
  CacheKey k = keyFor("/a");
  Recorder rec;
  auto first = c.join(k, kT0Ms, rec.waker());
  c.join(k, kT0Ms + 10, rec.waker());
  auto second = c.join(k, kT0Ms + 1000, rec.waker());
  EXPECT_EQ(second.role, Collapser::Role::Leader);
  EXPECT_EQ(rec.reasons, (std::vector<WakeReason>{WakeReason::TimedOut}));  // orphan released
  auto follower = c.join(k, kT0Ms + 1001, rec.waker());
  EXPECT_EQ(follower.role, Collapser::Role::Follower);
  EXPECT_EQ(c.complete(k, first.token, Wake{WakeReason::LeaderFailed, nullptr}), 0u);  // stale
  EXPECT_EQ(c.complete(k, second.token, Wake{WakeReason::NotStored, nullptr}), 1u);
}

TEST(Collapse, ManyThreadsEachWakerFiresExactlyOnce) {
  Collapser c;
  CacheKey k = keyFor("/hot");
  auto leader = c.join(k, kT0Ms, [](const Wake&) {});
  constexpr int kThreads = 4, kPer = 250;
  std::vector<std::atomic<int>> fired(kThreads * kPer);
  std::vector<std::thread> ts;
  std::atomic<int> joined{0};
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < kPer; ++i) {
        int slot = t * kPer + i;
        auto ticket = c.join(k, kT0Ms, [&fired, slot](const Wake& w) {
          if (w.reason == WakeReason::Filled) fired[slot].fetch_add(1);
        });
        EXPECT_EQ(ticket.role, Collapser::Role::Follower);
        joined.fetch_add(1);
      }
    });
  }
  for (auto& t : ts) t.join();
  ASSERT_EQ(joined.load(), kThreads * kPer);
  std::thread completer([&] {
    EXPECT_EQ(c.complete(k, leader.token, Wake{WakeReason::Filled, entryFor("/hot", H({{"Cache-Control", "max-age=1"}}))}),
              size_t(kThreads * kPer));
  });
  completer.join();
  for (auto& f : fired) EXPECT_EQ(f.load(), 1);
}

}  // namespace
}  // namespace cdnlab::edge::cache

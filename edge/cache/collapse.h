// Request collapsing bookkeeping (the Lookup -> Busy result): the first miss for a key becomes
// the leader and fetches; later misses for the same key park as followers and are woken once
// with the leader's outcome. Pure: no libuv; time comes in as nowMs.
//
// Threading contract (the PoP runs one libuv loop per worker thread):
//  - every method may be called from any thread; the table is lock-striped by key hash.
//  - a follower's Waker is called exactly once, on the thread that calls complete() (the
//    leader's) or expire() (whoever runs the timer), never while a Collapser lock is held and
//    never from inside join(). A waker must therefore only hand the outcome to its own loop,
//    e.g. store it and uv_async_send() an async handle owned by the follower's loop.
//  - cancel() before the waker has fired guarantees it never fires (returns true); when it
//    returns false the waker has fired or is firing on another thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "edge/cache/entry.h"

namespace cdnlab::edge::cache {

enum class WakeReason {
  Filled,        // the leader stored `entry`; check variantMatches() for Vary, else fetch
  NotStored,     // the leader's response was not storable (pass): fetch yourself
  LeaderFailed,  // the leader's fetch failed: fetch yourself (or serve stale-if-error)
  TimedOut,      // waited past the deadline: fetch yourself
};

struct Wake {
  WakeReason reason = WakeReason::TimedOut;
  std::shared_ptr<const Entry> entry;  // only for Filled
};

using Waker = std::function<void(const Wake&)>;

struct CollapseConfig {
  int64_t maxWaitMs = 5000;  // a follower waits at most this long, then fetches itself
  // A leader that has not completed after this long loses its role: the next join leads.
  int64_t leaderTimeoutMs = 10000;
  uint32_t stripes = 16;
};

struct CollapseStats {
  uint64_t leaders = 0, followers = 0, filled = 0, failed = 0, timedOut = 0, cancelled = 0;
};

class Collapser {
 public:
  explicit Collapser(const CollapseConfig& config = {});

  enum class Role { Leader, Follower };
  struct Ticket {
    Role role = Role::Leader;
    uint64_t token = 0;  // leader: pass to complete(); follower: pass to cancel()
  };

  // Leader when no live flight exists for the key (waker is then dropped unused); otherwise a
  // follower whose waker fires once, at the latest by expire() after nowMs + maxWaitMs.
  Ticket join(const CacheKey& key, int64_t nowMs, Waker waker);

  // The leader's outcome; wakes every follower (on this thread) and ends the flight. A stale
  // token (the flight was taken over after leaderTimeoutMs) is ignored and returns 0.
  // Returns the number of followers woken.
  size_t complete(const CacheKey& key, uint64_t leaderToken, Wake outcome);

  // Wakes followers past their deadline with TimedOut; returns how many.
  size_t expire(int64_t nowMs);

  // A follower gives up (client gone). True: removed, its waker will never fire.
  bool cancel(const CacheKey& key, uint64_t followerToken);

  size_t inFlight() const;  // flights currently open
  CollapseStats stats() const;

 private:
  struct Waiter {
    uint64_t token;
    int64_t deadlineMs;
    Waker waker;
  };
  struct Flight {
    uint64_t leaderToken;
    int64_t startedMs;
    std::vector<Waiter> waiters;
  };
  struct Stripe {
    mutable std::mutex mu;
    std::unordered_map<std::string, Flight> flights;  // by canonical key (exact, no collisions)
  };
  Stripe& stripeFor(const CacheKey& key);

  CollapseConfig config_;
  std::vector<std::unique_ptr<Stripe>> stripes_;
  std::atomic<uint64_t> nextToken_{1};
  mutable std::mutex statsMu_;
  CollapseStats stats_;
};

}  // namespace cdnlab::edge::cache

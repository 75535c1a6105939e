// Request collapsing: one leader per key fetches, followers park (see collapse.h for the
// threading contract). Wakers are always called after the stripe lock is released.
#include "edge/cache/collapse.h"

#include <bit>

namespace cdnlab::edge::cache {

Collapser::Collapser(const CollapseConfig& config) : config_(config) {
  uint32_t n = std::bit_ceil(std::max<uint32_t>(1, config.stripes));
  for (uint32_t i = 0; i < n; ++i) stripes_.push_back(std::make_unique<Stripe>());
}

Collapser::Stripe& Collapser::stripeFor(const CacheKey& key) {
  return *stripes_[key.hash & (stripes_.size() - 1)];
}

Collapser::Ticket Collapser::join(const CacheKey& key, int64_t nowMs, Waker waker) {
  Stripe& s = stripeFor(key);
  uint64_t token = nextToken_.fetch_add(1, std::memory_order_relaxed);
  std::vector<Waiter> orphans;  // followers of a leader that timed out: they fetch themselves
  Ticket t;
  {
    std::lock_guard lock(s.mu);
    auto it = s.flights.find(key.canonical);
    if (it != s.flights.end() && nowMs - it->second.startedMs >= config_.leaderTimeoutMs) {
      // The leader is presumed lost: this request takes over; its stale token is ignored later.
      orphans = std::move(it->second.waiters);
      s.flights.erase(it);
      it = s.flights.end();
    }
    if (it == s.flights.end()) {
      s.flights.emplace(key.canonical, Flight{token, nowMs, {}});
      t = Ticket{Role::Leader, token};
    } else {
      it->second.waiters.push_back(Waiter{token, nowMs + config_.maxWaitMs, std::move(waker)});
      t = Ticket{Role::Follower, token};
    }
  }
  {
    std::lock_guard lock(statsMu_);
    (t.role == Role::Leader ? stats_.leaders : stats_.followers) += 1;
    stats_.timedOut += orphans.size();
  }
  Wake w{WakeReason::TimedOut, nullptr};
  for (Waiter& o : orphans) o.waker(w);
  return t;
}

size_t Collapser::complete(const CacheKey& key, uint64_t leaderToken, Wake outcome) {
  Stripe& s = stripeFor(key);
  std::vector<Waiter> waiters;
  {
    std::lock_guard lock(s.mu);
    auto it = s.flights.find(key.canonical);
    if (it == s.flights.end() || it->second.leaderToken != leaderToken) return 0;
    waiters = std::move(it->second.waiters);
    s.flights.erase(it);
  }
  if (outcome.reason != WakeReason::Filled) outcome.entry = nullptr;
  {
    std::lock_guard lock(statsMu_);
    if (outcome.reason == WakeReason::Filled) stats_.filled += waiters.size();
    else stats_.failed += waiters.size();
  }
  for (Waiter& w : waiters) w.waker(outcome);
  return waiters.size();
}

size_t Collapser::expire(int64_t nowMs) {
  std::vector<Waiter> due;
  for (auto& sp : stripes_) {
    std::lock_guard lock(sp->mu);
    for (auto& [k, f] : sp->flights) {
      auto& ws = f.waiters;
      for (size_t i = 0; i < ws.size();) {
        if (ws[i].deadlineMs <= nowMs) {
          due.push_back(std::move(ws[i]));
          ws[i] = std::move(ws.back());
          ws.pop_back();
        } else {
          ++i;
        }
      }
    }
  }
  {
    std::lock_guard lock(statsMu_);
    stats_.timedOut += due.size();
  }
  Wake w{WakeReason::TimedOut, nullptr};
  for (Waiter& d : due) d.waker(w);
  return due.size();
}

bool Collapser::cancel(const CacheKey& key, uint64_t followerToken) {
  Stripe& s = stripeFor(key);
  Waker dropped;  // destroyed outside the lock (it may own resources of the caller)
  bool found = false;
  {
    std::lock_guard lock(s.mu);
    auto it = s.flights.find(key.canonical);
    if (it == s.flights.end()) return false;
    auto& ws = it->second.waiters;
    for (size_t i = 0; i < ws.size(); ++i) {
      if (ws[i].token != followerToken) continue;
      dropped = std::move(ws[i].waker);
      found = true;
      ws.erase(ws.begin() + long(i));
      break;
    }
  }
  if (!found) return false;
  std::lock_guard lock(statsMu_);
  stats_.cancelled += 1;
  return true;
}

size_t Collapser::inFlight() const {
  size_t n = 0;
  for (auto& sp : stripes_) {
    std::lock_guard lock(sp->mu);
    n += sp->flights.size();
  }
  return n;
}

CollapseStats Collapser::stats() const {
  std::lock_guard lock(statsMu_);
  return stats_;
}

}  // namespace cdnlab::edge::cache

// Lookup, Hit, Miss and Pass: find the entry for the key and decide what to do with it.
#include "edge/cache/conditional.h"
#include "edge/pop/core.h"

namespace cdnlab::edge::pop {

namespace {

// A follower wait ended: use the leader's entry if it fits this request, else fetch ourselves.
Next afterWake(PopCore& core, Transaction& tx) {
  cache::Wake wake = std::move(*tx.wake);
  tx.wake.reset();
  tx.collapseDone = true;
  if (wake.reason == cache::WakeReason::TimedOut)
    core.metrics().collapseTimeouts.fetch_add(1, std::memory_order_relaxed);
  if (wake.reason == cache::WakeReason::Filled && wake.entry &&
      cache::variantMatches(*wake.entry, &tx.request.headers)) {
    tx.entry = std::move(wake.entry);
    tx.decision = cache::decide(*tx.entry, tx.requestCc, core.nowMs());
    if (tx.decision.freshness != cache::Freshness::MustRevalidate) {
      tx.outcome = Outcome::Collapsed;
      tx.fromEntry = true;
      return goTo(Step::Deliver);
    }
  }
  // Not stored, failed or timed out: look up again (a stale entry may still serve under
  // stale-if-error) but do not join another flight; fetch on our own.
  return goTo(Step::Lookup);
}

// Joins the key's flight: the first transaction leads (fetches), the rest park until it ends.
bool joinFlight(PopCore& core, Transaction& tx) {
  TransactionPtr self = tx.ptr();
  Io* io = tx.io;
  PopCore* corep = &core;
  auto ticket = core.collapser().join(tx.key, core.nowMs(), [io, corep, self](const cache::Wake& wake) {
    // Called on the leader's (or the expiring) thread: hand the wake to our own loop.
    io->post([corep, self, wake] {
      self->wake = wake;
      advance(*corep, self);
    });
  });
  if (ticket.role == cache::Collapser::Role::Leader) {
    tx.leader = true;
    tx.leaderToken = ticket.token;
    return true;
  }
  tx.joinedFlight = true;
  return false;
}

}  // namespace

// Lookup: fresh or stale entry -> Hit; nothing usable -> Miss, after joining the key's flight
// (Busy: park behind the fill already in flight).
Next stepLookup(PopCore& core, Transaction& tx) {
  if (tx.wake) return afterWake(core, tx);
  cache::LookupResult found = core.store().lookup(tx.key, &tx.request.headers, tx.requestCc, core.nowMs());
  const bool stored = bool(found);
  if (stored) {
    // Moved, not copied: a copy and the result's release are two more locked instructions
    // (the reference count) on every hit.
    tx.entry = std::move(found.entry);
    tx.decision = found.decision;
  }
  bool usable = stored && !found.decision.expired && found.decision.freshness != cache::Freshness::MustRevalidate;
  if (usable) return goTo(Step::Hit);
  if (tx.requestCc.onlyIfCached) {  // RFC 9111 5.2.1.7
    tx.synth = {504, "only-if-cached: no usable stored response"};
    tx.outcome = Outcome::Synth;
    return goTo(Step::Synth);
  }
  if (!tx.collapseDone && !joinFlight(core, tx)) return parkAt(Step::Lookup);
  return stored ? goTo(Step::Hit) : goTo(Step::Miss);
}

// Hit: fresh -> Deliver; within stale-while-revalidate -> Deliver stale and refresh once in the
// background; otherwise revalidate (conditional fetch) or refetch.
Next stepHit(PopCore& core, Transaction& tx) {
  switch (tx.decision.freshness) {
    case cache::Freshness::Fresh:
      tx.outcome = Outcome::Hit;
      tx.fromEntry = true;
      return goTo(Step::Deliver);
    case cache::Freshness::StaleWhileRevalidate:
      tx.outcome = Outcome::Stale;
      tx.fromEntry = true;
      startBackgroundRefresh(core, tx);
      return goTo(Step::Deliver);
    case cache::Freshness::MustRevalidate:
      break;
  }
  // With a validator, ask upstream whether the stored body is still good (RFC 9111 4.3.1);
  // without one, refetch in full (the entry stays at hand for stale-if-error).
  tx.revalidating = cache::hasValidator(*tx.entry);
  if (!tx.revalidating) tx.outcome = Outcome::Miss;
  return goTo(Step::Fetch);
}

// Miss: nothing stored for the key; this transaction fetches (and fills, when it leads).
Next stepMiss(PopCore&, Transaction& tx) {
  tx.outcome = Outcome::Miss;
  // A range miss fills the whole object only up to the range-fill cap: the fill asks for the
  // first cap bytes, and OriginResponse learns the size from the answer (fetch.cc).
  if (tx.request.method == "GET" && tx.request.headers.has("Range")) tx.rangeProbe = true;
  return goTo(Step::Fetch);
}

// Pass: the request cannot use the cache (method); forward it and its response untouched.
Next stepPass(PopCore&, Transaction& tx) {
  tx.pass = true;
  tx.outcome = Outcome::Pass;
  return goTo(Step::Fetch);
}

}  // namespace cdnlab::edge::pop

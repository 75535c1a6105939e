// PopCore: what every step of the edge request path shares, across all worker threads: the
// config, the clock, the cache store, the collapse table and the counters. All of it is
// thread-safe (the store and the collapser lock by shard / stripe, counters are atomics), so
// workers share one cache and the hit ratio does not drop when workers are added.
//
// advance() is the one driver loop: it runs the transaction's current step and moves to the
// step that step names, until a step parks (upstream fetch or collapse wait; the callback calls
// advance() again) or the transaction is Done.
#pragma once

#include "common/clock.h"
#include "edge/cache/cache_key.h"
#include "edge/cache/collapse.h"
#include "edge/cache/freshness.h"
#include "edge/cache/store.h"
#include "edge/pop/config.h"
#include "edge/pop/function_runner.h"
#include "edge/pop/metrics.h"
#include "edge/pop/transaction.h"

namespace cdnlab::edge::pop {

class PopCore {
 public:
  // `config` must have passed validate(). Everything referenced must outlive the core.
  PopCore(const PopConfig& config, const Clock& clock, cache::CacheStore& store, cache::Collapser& collapser,
          Metrics& metrics);

  const PopConfig& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  cache::CacheStore& store() { return store_; }
  cache::Collapser& collapser() { return collapser_; }
  Metrics& metrics() { return metrics_; }
  const cache::FreshnessConfig& freshness() const { return freshness_; }
  // The freshness settings for `tx`: its cache behavior's TTLs, or the PoP-wide ones.
  const cache::FreshnessConfig& freshnessFor(const Transaction& tx) const;
  const cache::CacheKeyConfig& keyConfig() const { return keyConfig_; }
  // The host every cache key carries: the PoP serves one site (its upstream), so requests for
  // 127.0.0.1:8080 and localhost:8080 share entries and a purge URL's host does not matter.
  const std::string& keyHost() const { return keyHost_; }
  // The edge functions (null when the PoP has none). Set once before the first request.
  FunctionRunner* functions() const { return functions_; }
  void setFunctions(FunctionRunner* runner) { functions_ = runner; }

  // Wall-clock ms for the cache (Age arithmetic is in whole seconds, RFC 9111 4.2.3).
  int64_t nowMs() const { return static_cast<int64_t>(clock_.wallSeconds()) * 1000; }

  // Builds the cache store and collapser settings that match `config`.
  static cache::StoreConfig storeConfig(const PopConfig& config);
  static cache::CollapseConfig collapseConfig(const PopConfig& config);

 private:
  const PopConfig& config_;
  const Clock& clock_;
  cache::CacheStore& store_;
  cache::Collapser& collapser_;
  Metrics& metrics_;
  cache::FreshnessConfig freshness_;
  std::vector<cache::FreshnessConfig> behaviorFreshness_;  // config.behaviors order
  cache::CacheKeyConfig keyConfig_;
  std::string keyHost_;
  FunctionRunner* functions_ = nullptr;
};

// A step's answer: the next step, or park (an Io callback will call advance() again).
struct Next {
  Step step;
  bool park = false;
};
inline Next goTo(Step s) { return Next{s, false}; }
inline Next parkAt(Step resumeAt) { return Next{resumeAt, true}; }

// One function per step (files: recv.cc, lookup.cc, fetch.cc, deliver.cc).
#define CDNLAB_X(name, trigger, doc, next) Next step##name(PopCore& core, Transaction& tx);
CDNLAB_POP_STEPS(CDNLAB_X)
#undef CDNLAB_X

// Runs `tx` from its current step until it parks or is done.
void advance(PopCore& core, const TransactionPtr& tx);

// Starts a client transaction for `request` on worker `io`; `onDone` gets the response.
// `onInterim` (optional) sends upstream 1xx responses on to the client.
TransactionPtr startTransaction(PopCore& core, Io& io, http::Request request,
                                std::function<void(Transaction&)> onDone,
                                std::function<void(int, const http::Headers&)> onInterim = {});

// Helpers shared by several steps (helpers.cc).
cache::RequestView requestView(const PopCore& core, const Transaction& tx);
// Ends this transaction's leadership of its key's flight, waking followers with `wake`.
void releaseFlight(PopCore& core, Transaction& tx, cache::Wake wake);
// Starts a stale-while-revalidate refresh of tx.entry unless one is already in flight.
void startBackgroundRefresh(PopCore& core, Transaction& tx);
// Replaces tx.request's target with its one normalised form (request_target.h): the key is
// computed from it and it is what goes upstream. An absolute-form target's authority replaces
// Host (RFC 9112 3.2.2). Returns why it cannot be normalised (-> 400). route.cc.
std::optional<std::string> normalizeRequestTarget(Transaction& tx);
// Removes hop-by-hop fields (RFC 9110 7.6.1), including those named by Connection.
void stripHopByHop(http::Headers& headers);
// Fields every response sets for itself (Age, X-Cache, Date, Content-Length, ...), never taken
// from a stored entry (deliver.cc).
bool isPerHopField(std::string_view name);
// Sets Server-Timing: pop;dur (time in the PoP so far)[, upstream;dur][, fn;dur] (deliver.cc).
void setServerTiming(PopCore& core, const Transaction& tx, http::Headers& headers);

}  // namespace cdnlab::edge::pop

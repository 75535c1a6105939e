// The driver loop of the edge request path (see core.h) and the helpers several steps share.
#include "edge/pop/core.h"

#include "common/log.h"
#include "edge/cache/conditional.h"

#include <algorithm>
#include <cassert>

namespace cdnlab::edge::pop {

PopCore::PopCore(const PopConfig& config, const Clock& clock, cache::CacheStore& store, cache::Collapser& collapser,
                 Metrics& metrics)
    : config_(config), clock_(clock), store_(store), collapser_(collapser), metrics_(metrics) {
  auto seconds = [](const std::optional<Duration>& d) -> std::optional<int64_t> {
    if (!d) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::seconds>(*d).count();
  };
  freshness_.heuristic = config.heuristic;
  freshness_.defaultTtlS = seconds(config.defaultTtl);
  freshness_.minTtlS = seconds(config.minTtl);
  freshness_.maxTtlS = seconds(config.maxTtl);
  if (!config.popCacheControlField.empty()) freshness_.targetedFields.push_back(config.popCacheControlField);
  freshness_.targetedFields.push_back("CDN-Cache-Control");
  freshness_.surrogateKeyField = config.surrogateKeyField;
  keyConfig_.ignoreQuery = config.keyIgnoreQuery;
  keyConfig_.includeHeaders = config.keyHeaders;
  keyHost_ = config.upstreamHost + ":" + std::to_string(config.upstreamPort);
  // Each cache behavior's TTLs replace the PoP-wide ones, with CloudFront's min-TTL rule.
  for (const Behavior& b : config.behaviors) {
    cache::FreshnessConfig f = freshness_;
    const CachePolicy& p = b.cachePolicy;
    f.defaultTtlS = std::chrono::duration_cast<std::chrono::seconds>(p.defaultTtl).count();
    f.minTtlS = std::chrono::duration_cast<std::chrono::seconds>(p.minTtl).count();
    f.maxTtlS = std::chrono::duration_cast<std::chrono::seconds>(p.maxTtl).count();
    f.minTtlOverridesNoStore = true;
    behaviorFreshness_.push_back(std::move(f));
  }
  metrics.setBehaviors(config.behaviors);
}

const cache::FreshnessConfig& PopCore::freshnessFor(const Transaction& tx) const {
  if (tx.behavior && tx.behaviorIndex < behaviorFreshness_.size()) return behaviorFreshness_[tx.behaviorIndex];
  return freshness_;
}

cache::StoreConfig PopCore::storeConfig(const PopConfig& config) {
  cache::StoreConfig sc;
  sc.capacityBytes = config.capacityBytes;
  sc.policy = config.policy;
  // The store bounds an object by a fraction of one shard's budget; the config speaks of the
  // whole capacity, so scale by the shard count.
  sc.maxObjectFraction = std::min(1.0, config.maxObjectFraction * sc.shards);
  sc.keepS = std::chrono::duration_cast<std::chrono::seconds>(config.keep).count();
  return sc;
}

cache::CollapseConfig PopCore::collapseConfig(const PopConfig& config) {
  cache::CollapseConfig cc;
  cc.maxWaitMs = std::chrono::duration_cast<std::chrono::milliseconds>(config.collapseWait).count();
  // A leader that neither answers nor times out upstream would block its key: take its role
  // away a little after its own upstream timeout would have fired.
  cc.leaderTimeoutMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.upstreamTimeout + config.upstreamConnectTimeout)
          .count() +
      1000;
  return cc;
}

namespace {

Next runStep(PopCore& core, Transaction& tx) {
  switch (tx.step) {
#define CDNLAB_X(name, trigger, doc, next) \
  case Step::name:                         \
    return step##name(core, tx);
    CDNLAB_POP_STEPS(CDNLAB_X)
#undef CDNLAB_X
  }
  return goTo(Step::Done);
}

// Done: count the one outcome, record latency, hand the response to the client.
void finish(PopCore& core, Transaction& tx) {
  assert(tx.outcome.has_value());
  if (tx.leader) releaseFlight(core, tx, cache::Wake{cache::WakeReason::LeaderFailed, nullptr});
  if (tx.background) return;
  Outcome outcome = tx.outcome.value_or(Outcome::Error);
  core.metrics().countOutcome(outcome);
  if (tx.behavior) core.metrics().countBehaviorOutcome(tx.behaviorIndex, outcome);
  core.metrics().latency.record(static_cast<double>(core.clock().nowNs() - tx.startNs) / 1e9);
  core.metrics().bytesToClients.fetch_add(tx.response.body.size(), std::memory_order_relaxed);
  LOG_DEBUG("%s %s -> %d %.*s", tx.request.method.c_str(), tx.request.target.c_str(), tx.response.status,
            static_cast<int>(outcomeName(outcome).size()), outcomeName(outcome).data());
  if (tx.onDone) tx.onDone(tx);
}

}  // namespace

Next stepDone(PopCore&, Transaction&) { return goTo(Step::Done); }

void advance(PopCore& core, const TransactionPtr& txp) {
  Transaction& tx = *txp;
  // Bounded: every path through the table reaches Done or parks in a handful of steps; the
  // limit turns a bug (a cycle) into an Error response instead of a hung worker.
  for (int guard = 0; guard < 32; ++guard) {
    if (tx.step == Step::Done) {
      finish(core, tx);
      return;
    }
    Next next = runStep(core, tx);
    tx.step = next.step;
    if (next.park) return;
  }
  LOG_ERROR("request path cycled for %s", tx.request.target.c_str());
  tx.outcome = Outcome::Error;
  tx.synth = {500, "request path did not terminate"};
  tx.step = stepSynth(core, tx).step;
  finish(core, tx);
}

TransactionPtr startTransaction(PopCore& core, Io& io, http::Request request,
                                std::function<void(Transaction&)> onDone,
                                std::function<void(int, const http::Headers&)> onInterim) {
  auto tx = std::make_shared<Transaction>();
  tx->io = &io;
  tx->request = std::move(request);
  tx->onDone = std::move(onDone);
  tx->onInterim = std::move(onInterim);
  tx->startNs = core.clock().nowNs();
  advance(core, tx);
  return tx;
}

cache::RequestView requestView(const PopCore& core, const Transaction& tx) {
  cache::RequestView v;
  v.method = tx.request.method;
  v.scheme = "http";
  v.host = core.keyHost();
  v.target = tx.request.target;
  v.headers = &tx.request.headers;
  return v;
}

void releaseFlight(PopCore& core, Transaction& tx, cache::Wake wake) {
  if (!tx.leader) return;
  tx.leader = false;
  core.collapser().complete(tx.key, tx.leaderToken, std::move(wake));
}

void startBackgroundRefresh(PopCore& core, Transaction& tx) {
  // Joining the collapse table makes the refresh happen once: the first stale hit leads the
  // flight, the hits that follow find it busy and just serve stale.
  auto ticket = core.collapser().join(tx.key, core.nowMs(), [](const cache::Wake&) {});
  if (ticket.role == cache::Collapser::Role::Follower) {
    core.collapser().cancel(tx.key, ticket.token);
    return;
  }
  auto bg = std::make_shared<Transaction>();
  bg->io = tx.io;
  bg->background = true;
  bg->request.method = "GET";
  bg->request.target = tx.request.target;
  bg->request.path = tx.request.path;
  bg->request.query = tx.request.query;
  bg->request.headers = tx.request.headers;  // Vary: refresh the variant this client selects
  bg->behavior = tx.behavior;
  bg->behaviorIndex = tx.behaviorIndex;
  bg->key = tx.key;
  bg->requestCc = tx.requestCc;
  bg->entry = tx.entry;
  bg->decision = tx.decision;
  bg->leader = true;
  bg->leaderToken = ticket.token;
  bg->revalidating = cache::hasValidator(*tx.entry);
  bg->startNs = core.clock().nowNs();
  bg->outcome = Outcome::Stale;
  bg->step = Step::Fetch;
  core.metrics().backgroundRefreshes.fetch_add(1, std::memory_order_relaxed);
  advance(core, bg);
}

void stripHopByHop(http::Headers& headers) {
  static constexpr std::string_view kHopByHop[] = {"Connection", "Keep-Alive",        "Proxy-Connection",
                                                   "TE",         "Trailer",           "Transfer-Encoding",
                                                   "Upgrade",    "Proxy-Authenticate", "Proxy-Authorization"};
  std::string named = headers.getAll("Connection");
  size_t start = 0;
  while (start < named.size()) {
    size_t comma = named.find(',', start);
    std::string_view token = http::trimOws(std::string_view(named).substr(start, comma - start));
    if (!token.empty()) headers.remove(token);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (auto name : kHopByHop) headers.remove(name);
}

}  // namespace cdnlab::edge::pop

// Fetch and OriginResponse: ask the upstream (shield PoP or origin), then decide what its answer
// becomes: a stored entry, a refreshed entry (304), an uncached response, or stale-if-error.
#include "common/http/uri.h"
#include "edge/cache/conditional.h"
#include "edge/pop/behavior_request.h"
#include "edge/pop/core.h"

#include <algorithm>
#include <cstdio>

namespace cdnlab::edge::pop {

namespace {

UpstreamRequest buildUpstreamRequest(PopCore& core, Transaction& tx) {
  UpstreamRequest up;
  // A HEAD miss is fetched as GET so that the answer can be stored and serve later GETs too
  // (the server drops the body for the HEAD client).
  up.method = tx.pass ? tx.request.method : "GET";
  up.target = core.config().upstreamBasePath + tx.request.target;
  up.headers = tx.request.headers;
  stripHopByHop(up.headers);
  up.headers.remove("Host");  // the client names the upstream's own authority
  if (const Behavior* b = tx.behavior) {
    // CloudFront's origin request: the values in the cache key plus those of the origin request
    // policy, to the behavior's origin.
    if (!b->upstream.host.empty()) {
      up.host = b->upstream.host;
      up.port = b->upstream.port;
    }
    std::string query = selectQuery(tx.request.query, b->cachePolicy.queryStrings, b->originRequest.queryStrings);
    std::string_view path = tx.request.path.empty() ? std::string_view("/") : std::string_view(tx.request.path);
    if (tx.request.target == "*") path = "*";  // OPTIONS * (asterisk-form)
    up.target = (b->upstream.host.empty() ? core.config().upstreamBasePath : b->upstream.basePath) + std::string(path);
    if (!query.empty()) up.target += "?" + query;
    applyOriginRequestPolicy(*b, up.headers);
  }
  if (!tx.pass) {
    // The fill serves every client of the key, so it asks for the full representation: the
    // client's own preconditions and ranges are answered from the entry at Deliver.
    for (auto name : {"If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range"})
      up.headers.remove(name);
  }
  if (tx.rangeProbe)  // the first cap bytes: the whole object when it fits the range-fill cap
    up.headers.set("Range", "bytes=0-" + std::to_string(core.config().rangeFillCap() - 1));
  if (tx.revalidating)
    for (const auto& h : cache::revalidationHeaders(*tx.entry)) up.headers.add(h.name, h.value);
  // RFC 8586: name ourselves so that a chain that loops back to us is detected at Recv.
  std::string loop = up.headers.getAll("CDN-Loop");
  up.headers.set("CDN-Loop", loop.empty() ? core.config().id : loop + ", " + core.config().id);
  if (tx.pass) up.body = Buffer(std::move(tx.request.body));
  if (!tx.background && tx.onInterim) {
    // 103 Early Hints and the like go to the client at once (RFC 9110 15.2); they are never
    // stored, so clients collapsed behind this fill or served later do not see them.
    up.onInterim = [self = tx.ptr()](int status, http::Headers fields) {
      stripHopByHop(fields);
      self->onInterim(status, fields);  // dropped by the connection once the answer is out
    };
  }
  return up;
}

// The answer to a range-fill probe ("Range: bytes=0-<cap-1>"): a 206 that holds every byte of
// the object ("bytes 0-<n-1>/<n>") is the whole object, kept as the 200 it stands for (RFC 9111
// 3.4: a complete set of bytes can make a full response). False: the object is larger than the
// cap (or its size is unknown).
bool completeFromProbe(UpstreamResponse& resp) {
  if (resp.status == 200) return true;
  if (resp.status != 206) return false;
  auto cr = resp.headers.get("Content-Range");
  if (!cr) return false;
  std::string_view v = http::trimOws(*cr);
  unsigned long long first = 0, last = 0, total = 0;
  char unit[8] = {0};
  std::string text(v);
  if (std::sscanf(text.c_str(), "%7s %llu-%llu/%llu", unit, &first, &last, &total) != 4) return false;
  if (std::string_view(unit) != "bytes" || first != 0 || last + 1 != total || resp.body.size() != total) return false;
  resp.status = 200;
  resp.headers.remove("Content-Range");
  return true;
}

// RFC 5861 4: an error is a failed exchange or a 500, 502, 503 or 504 answer.
bool isUpstreamError(const UpstreamResult& r) {
  if (!r.ok()) return true;
  int s = r.value().status;
  return s == 500 || s == 502 || s == 503 || s == 504;
}

bool staleUsableOnError(PopCore& core, const Transaction& tx) {
  if (tx.pass || !tx.entry) return false;
  return cache::decide(*tx.entry, tx.requestCc, core.nowMs()).usableOnError;
}

// Response fields that are about this hop, not the object: the server writes its own. The
// origin's Date stays: it is when the response was generated, what Age and freshness are
// computed from (RFC 9111 4.2), and what clients see on every hit.
void stripForForwarding(http::Headers& headers) {
  stripHopByHop(headers);
  for (auto name : {"Content-Length", "Server", "Server-Timing"}) headers.remove(name);
}

// RFC 9111 4.4: a non-error response to an unsafe method invalidates the target URI's entries
// and those of a same-origin Location / Content-Location.
bool isSafeMethod(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE"; }

// The request-target of `ref` when it names this PoP's origin: a path, or an absolute URI whose
// authority is the request's Host (or the upstream's); nullopt for other origins.
std::optional<std::string> sameOriginTarget(PopCore& core, const Transaction& tx, std::string_view ref) {
  ref = http::trimOws(ref);
  if (ref.starts_with("/") && !ref.starts_with("//")) return std::string(ref);
  if (!http::looksAbsoluteForm(ref)) return std::nullopt;
  auto form = http::splitAbsoluteForm(ref);
  if (!form) return std::nullopt;
  auto host = tx.request.headers.get("Host");
  auto sameAuthority = [&](std::string_view a) {
    return cache::normalizeUrl("http", a, "/", {}) == cache::normalizeUrl("http", form->authority, "/", {});
  };
  if (!(host && sameAuthority(*host)) && !sameAuthority(core.keyHost())) return std::nullopt;
  return form->pathAndQuery.empty() ? std::string("/") : std::string(form->pathAndQuery);
}

void invalidateAfterUnsafe(PopCore& core, const Transaction& tx, const UpstreamResponse& resp) {
  if (isSafeMethod(tx.request.method) || resp.status < 200 || resp.status >= 400) return;
  std::vector<std::string> targets{tx.request.target};
  for (auto name : {"Location", "Content-Location"})
    if (auto v = resp.headers.get(name))
      if (auto t = sameOriginTarget(core, tx, *v)) targets.push_back(std::move(*t));
  // The URL as the cache key holds it: under cache behaviors, the path with only the query
  // strings the (target's own) behavior keys on.
  auto keyUrl = [&](const std::string& t) {
    const auto& behaviors = core.config().behaviors;
    if (behaviors.empty()) return cache::normalizeUrl("http", core.keyHost(), t, core.keyConfig());
    size_t q = t.find('?');
    std::string path = t.substr(0, q), query = q == std::string::npos ? "" : t.substr(q + 1);
    const Behavior& b = behaviors[selectBehavior(behaviors, path)];
    return std::string(behaviorCacheKey(b, core.keyHost(), "GET", path, query, http::Headers{}).url());
  };
  uint64_t removed = 0;
  for (const std::string& t : targets) removed += core.store().purgeUrl(keyUrl(t)).objects;
  core.metrics().invalidated.fetch_add(removed, std::memory_order_relaxed);
}

Next forwardUncached(Transaction& tx, UpstreamResponse& resp) {
  tx.response.status = resp.status;
  tx.response.headers = std::move(resp.headers);
  stripForForwarding(tx.response.headers);
  tx.response.body = std::move(resp.body);
  tx.fromEntry = false;
  return goTo(tx.background ? Step::Done : Step::Deliver);
}

}  // namespace

// Fetch: send upstream and park; the reply resumes at FnOriginResponse. The origin-request
// function runs first (once per transaction, also for revalidations and passes).
Next stepFetch(PopCore& core, Transaction& tx) {
  if (!tx.originRequestDone) return goTo(Step::FnOriginRequest);
  UpstreamRequest up = buildUpstreamRequest(core, tx);
  core.metrics().upstreamRequests.fetch_add(1, std::memory_order_relaxed);
  if (tx.revalidating) core.metrics().revalidations.fetch_add(1, std::memory_order_relaxed);
  tx.requestTimeMs = core.nowMs();
  tx.upstreamStartNs = core.clock().nowNs();
  TransactionPtr self = tx.ptr();
  PopCore* corep = &core;
  tx.io->fetch(std::move(up), [corep, self](UpstreamResult result) {
    self->upstreamNs += corep->clock().nowNs() - self->upstreamStartNs;
    corep->metrics().upstreamLatency.record(static_cast<double>(self->upstreamNs) / 1e9);
    self->upstream.emplace(std::move(result));
    advance(*corep, self);
  });
  return parkAt(Step::FnOriginResponse);
}

// OriginResponse: store, refresh, forward, or fall back to stale.
Next stepOriginResponse(PopCore& core, Transaction& tx) {
  UpstreamResult result = std::move(*tx.upstream);
  tx.upstream.reset();
  if (!result.ok()) core.metrics().upstreamErrors.fetch_add(1, std::memory_order_relaxed);

  if (isUpstreamError(result) && staleUsableOnError(core, tx)) {
    releaseFlight(core, tx, {cache::WakeReason::LeaderFailed, nullptr});
    tx.outcome = Outcome::Stale;
    tx.fromEntry = true;
    return goTo(tx.background ? Step::Done : Step::Deliver);
  }
  if (!result.ok()) {
    releaseFlight(core, tx, {cache::WakeReason::LeaderFailed, nullptr});
    tx.outcome = Outcome::Error;
    tx.synth = {result.error().code, result.error().message};
    return goTo(tx.background ? Step::Done : Step::Synth);
  }
  UpstreamResponse& resp = result.value();
  if (tx.rangeProbe) {
    tx.rangeProbe = false;
    if (!completeFromProbe(resp)) {
      // Larger than the range-fill cap: nothing to store. Followers fetch for themselves; this
      // client's own Range goes upstream and its answer (206 or 416) is forwarded as it comes.
      releaseFlight(core, tx, {cache::WakeReason::NotStored, nullptr});
      core.metrics().rangePassthroughs.fetch_add(1, std::memory_order_relaxed);
      tx.pass = true;
      return goTo(Step::Fetch);
    }
  }
  if (tx.pass) {
    invalidateAfterUnsafe(core, tx, resp);
    return forwardUncached(tx, resp);
  }

  int64_t now = core.nowMs();
  if (tx.revalidating && resp.status == 304) {
    auto refreshed = cache::applyNotModified(*tx.entry, resp.headers, tx.requestTimeMs, now, core.freshnessFor(tx));
    if (!refreshed.ok()) {
      // A 304 for a different representation (strong ETag mismatch): refetch in full.
      tx.revalidating = false;
      tx.entry.reset();
      return goTo(Step::Fetch);
    }
    std::shared_ptr<const cache::Entry> entry = std::move(refreshed.value());
    core.store().insert(entry, now);
    core.metrics().revalidated304.fetch_add(1, std::memory_order_relaxed);
    releaseFlight(core, tx, {cache::WakeReason::Filled, entry});
    tx.entry = std::move(entry);
    tx.decision = cache::decide(*tx.entry, tx.requestCc, now);
    if (!tx.background) tx.outcome = Outcome::Revalidated;
    tx.fromEntry = true;
    return goTo(tx.background ? Step::Done : Step::Deliver);
  }

  // A full response (also the answer to a revalidation that changed): store it if allowed.
  if (!tx.background) tx.outcome = Outcome::Miss;
  http::Headers stored = resp.headers;
  stripForForwarding(stored);
  cache::RequestView asked = requestView(core, tx);
  asked.method = "GET";  // what went upstream (a HEAD miss is fetched as GET)
  auto made = cache::makeEntry(tx.key, asked, resp.status, std::move(stored), resp.body,
                               tx.requestTimeMs, now, core.freshnessFor(tx));
  if (made.ok() && core.store().insert(made.value(), now) == cache::InsertResult::Stored) {
    core.metrics().stored.fetch_add(1, std::memory_order_relaxed);
    std::shared_ptr<const cache::Entry> entry = std::move(made.value());
    releaseFlight(core, tx, {cache::WakeReason::Filled, entry});
    tx.entry = std::move(entry);
    tx.decision = cache::decide(*tx.entry, tx.requestCc, now);
    tx.fromEntry = true;
    return goTo(tx.background ? Step::Done : Step::Deliver);
  }
  core.metrics().notStored.fetch_add(1, std::memory_order_relaxed);
  releaseFlight(core, tx, {cache::WakeReason::NotStored, nullptr});
  tx.entry.reset();
  return forwardUncached(tx, resp);
}

}  // namespace cdnlab::edge::pop

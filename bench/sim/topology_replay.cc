// The topology replay loop. Per request i (virtual time = trace order):
//   region  = the region whose share interval holds u(seed, i)
//   pop     = the router's PopSelector pick for the region's location (all PoPs healthy)
//   for tier in pop, its upstreams...:  hit = tier.access(object) -> stop at the first hit
//   no hit: an origin fetch (every tier on the way kept a copy when its policy admitted it)
//   latency = client RTT + last mile + jitter, + each upstream hop's RTT + body / backbone
//             bandwidth, + the body's transfer over the client's last mile (slow start)
// which is what the live PoPs and `cdnlab load` apply with timers (edge/pop's upstream hop,
// loadgen's client hop); the origin's service time is not modelled.
//
// With TTLs (a trace that carries response freshness), each tier does what the live PoP's
// Lookup / Hit / Fetch steps do (edge/pop/lookup.cc, fetch.cc), in virtual time:
//   fresh copy                       -> hit
//   stale, within stale-while-reval. -> hit (served stale); a background refresh climbs the
//                                       tiers above and replaces the copy
//   stale, within keep (validator)   -> revalidation: not a hit; the conditional request climbs
//                                       the tiers above, the 304 replaces the copy
//   past keep                        -> dropped (expired) and fetched again: a miss
//   not storable (no-store)          -> a miss at every tier, nothing kept
// A copy filled from the tier above expires when that tier's copy does (its Age travels with
// the response, RFC 9111 4.2.3); one filled from the origin lives its whole max-age.
#include "bench/sim/topology_replay.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "bench/sim/lean_cache.h"
#include "geo/pop_selector.h"

namespace cdnlab::sim {

namespace {

double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// splitmix64 of (seed, i, stream): the replay's only randomness, so a seed gives one answer.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
double uniform(uint64_t seed, uint64_t i, uint64_t stream) {
  return double(mix(seed ^ mix(i * 4 + stream)) >> 11) * 0x1.0p-53;
}

// Latency histogram: 0.1 ms buckets up to 10 s (the last bucket takes the rest).
class LatencyHistogram {
 public:
  void record(double ms) {
    size_t b = ms <= 0 ? 0 : std::min(size_t(ms * 10), kBuckets - 1);
    if (counts_.empty()) counts_.assign(kBuckets, 0);
    ++counts_[b];
    ++n_;
    sum_ += ms;
  }
  double mean() const { return n_ ? sum_ / double(n_) : 0; }
  double quantile(double q) const {
    if (!n_) return 0;
    uint64_t want = uint64_t(std::ceil(q * double(n_))), seen = 0;
    for (size_t b = 0; b < counts_.size(); ++b)
      if ((seen += counts_[b]) >= std::max<uint64_t>(want, 1)) return (double(b) + 0.5) / 10;
    return double(kBuckets) / 10;
  }

 private:
  static constexpr size_t kBuckets = 100000;
  std::vector<uint64_t> counts_;
  uint64_t n_ = 0;
  double sum_ = 0;
};

struct Tier {
  size_t pop;        // index into topology.pops / result.pops
  double upRttMs;    // RTT to this tier from the one below it (0 for the edge)
};

constexpr int64_t kNeverExpires = INT64_MAX / 4;  // far enough that adding windows cannot overflow

// One request's climb through an edge PoP's tiers when responses have TTLs (see the top).
struct TtlClimb {
  std::vector<LeanCache>& caches;
  std::vector<std::vector<int64_t>>& expiresMs;  // per PoP, per object: end of freshness
  ReplayResult& r;
  int64_t keepMs;
  // This request:
  const std::vector<Tier>* tiers = nullptr;
  uint32_t obj = 0;
  edge::cache::Access access;
  ResponseFreshness fresh;
  int64_t nowMs = 0;
  size_t reached = 0;  // the highest tier the client's request reached (tiers->size(): origin)

  int64_t fromOrigin() {
    ++r.originRequests;
    r.originBytes += access.size;
    return fresh.maxAgeS == ResponseFreshness::kForever ? kNeverExpires : nowMs + int64_t(fresh.maxAgeS) * 1000;
  }
  // Serves the request at tier t (tiers->size(): the origin); `foreground`: the client waits
  // for it (a background refresh does not). Returns when the response handed down stops being
  // fresh; sets `hit` when this tier answered from its cache.
  int64_t serve(size_t t, bool foreground, bool& hit) {
    hit = false;
    if (foreground) reached = t;
    if (t == tiers->size()) return fromOrigin();
    const size_t pop = (*tiers)[t].pop;
    LeanCache& cache = caches[pop];
    TierStats& s = r.pops[pop].stats;
    ++s.requests;
    s.bytes += access.size;
    bool upperHit = false;
    if (!fresh.storable) return climb(t, foreground, upperHit);
    int64_t& expires = expiresMs[pop][obj];
    if (cache.resident(obj)) {
      const int64_t swrEnd = expires + int64_t(fresh.staleWhileRevalidateS) * 1000;
      if (nowMs < swrEnd) {  // fresh, or stale within stale-while-revalidate: a hit
        cache.hit(obj, access);
        ++s.hits;
        s.hitBytes += access.size;
        hit = true;
        const int64_t handedDown = expires;
        if (nowMs >= expires) {  // stale: serve it, refresh in the background
          expires = climb(t, false, upperHit);
          replace(cache);
        }
        return handedDown;
      }
      if (nowMs < swrEnd + keepMs) {  // revalidate: the lookup found it, a 304 replaces it
        cache.hit(obj, access);
        ++s.revalidations;
        expires = climb(t, foreground, upperHit);
        replace(cache);
        return expires;
      }
      cache.remove(obj, edge::cache::RemoveCause::Expired);  // dead: dropped at lookup
      ++s.expired;
    }
    const int64_t e = climb(t, foreground, upperHit);
    cache.insert(obj, access);
    if (cache.resident(obj)) expires = e;
    return e;
  }
  // Tier t asks the tier above.
  int64_t climb(size_t t, bool foreground, bool& upperHit) {
    ++r.pops[(*tiers)[t].pop].stats.upstream;
    return serve(t + 1, foreground, upperHit);
  }
  void replace(LeanCache& cache) {
    if (!cache.resident(obj)) return;  // the policy let it go meanwhile
    cache.remove(obj, edge::cache::RemoveCause::Replaced);
    cache.insert(obj, access);
  }
};

}  // namespace

Result<ReplayResult> replayTopology(const geo::Topology& topo, const Trace& trace, const ReplayOptions& o) {
  ReplayResult r;
  std::vector<LeanCache> caches;
  std::map<std::string, size_t, std::less<>> popIndex;
  for (const auto& p : topo.pops) {
    if (p.capacityBytes == 0) return Error{0, "pop " + p.id + ": capacity 0"};
    auto c = LeanCache::make(p.policy, p.capacityBytes, trace.objects());
    if (!c) return Error{0, "pop " + p.id + ": " + c.error().message};
    popIndex[p.id] = caches.size();
    caches.push_back(std::move(*c));
    r.pops.push_back(PopReplay{p.id, p.tier, p.policy, p.capacityBytes, {}});
  }
  const std::vector<const geo::PopSpec*> edges = topo.edgePops();
  if (edges.empty()) return Error{0, topo.file + ": no edge PoPs"};
  if (topo.regions.empty()) return Error{0, topo.file + ": no client regions"};
  const geo::LatencyModel model(topo.latency);
  const bool latency = topo.latencyEnabled;

  // Per edge PoP: the tiers a request climbs (the PoP, then its upstream chain).
  std::vector<std::vector<Tier>> climb;
  for (const auto* e : edges) {
    std::vector<Tier> tiers{{popIndex.at(e->id), 0}};
    geo::GeoPoint below = e->location;
    for (const auto& up : topo.upstreamChain(e->id)) {
      auto it = popIndex.find(up);
      if (it == popIndex.end()) return Error{0, "pop " + e->id + ": unknown upstream " + up};
      const geo::GeoPoint at = topo.pops[it->second].location;
      tiers.push_back({it->second, latency ? model.rttMs(below, at) : 0});
      below = at;
    }
    climb.push_back(std::move(tiers));
  }
  std::vector<double> originRttMs;  // from each edge's last tier to the origin
  for (size_t e = 0; e < edges.size(); ++e)
    originRttMs.push_back(latency ? model.rttMs(topo.pops[climb[e].back().pop].location, topo.origin.location) : 0);

  // Regions: cumulative shares, and the router's pick when it does not depend on a draw.
  std::vector<geo::PopCandidate> candidates;
  for (const auto* e : edges) candidates.push_back(geo::PopCandidate{e->id, e->location, true, e->weight, 0});
  const geo::PopSelector selector(topo.router.strategy, model);
  const bool drawn = topo.router.strategy == geo::Strategy::Weighted;
  double shareSum = 0;
  for (const auto& reg : topo.regions) shareSum += reg.share;
  if (!(shareSum > 0)) return Error{0, topo.file + ": region shares sum to 0"};
  struct RegionState {
    std::vector<double> rttMs;  // client -> each edge PoP, with the last mile
    double cumulative = 0;
    size_t fixedPop = 0;
    std::vector<uint8_t> used;
    LatencyHistogram hist;
  };
  std::vector<RegionState> regions(topo.regions.size());
  double acc = 0;
  for (size_t g = 0; g < topo.regions.size(); ++g) {
    const auto& reg = topo.regions[g];
    RegionState& st = regions[g];
    acc += reg.share / shareSum;
    st.cumulative = acc;
    for (const auto* e : edges)
      st.rttMs.push_back(latency ? model.rttMs(reg.location, e->location) + reg.lastMileMs : 0);
    auto pick = selector.select(candidates, reg.location, 0.0);
    if (!pick) return Error{0, "region " + reg.name + ": no PoP to route to"};
    st.fixedPop = pick->index;
    st.used.assign(edges.size(), 0);
    r.regions.push_back(RegionReplay{reg.name, {}, {}, 0});
  }
  regions.back().cumulative = 2.0;  // rounding: the last region takes the rest

  // TTLs: when the trace carries response freshness (a CDN log's ttl column, the catalog
  // workload), the climb follows the live PoP's freshness steps; otherwise nothing expires and
  // the loop below stays the plain hit-or-climb.
  std::vector<std::vector<int64_t>> expiresMs;
  std::optional<TtlClimb> ttl;
  if (!trace.freshness.empty()) {
    if (trace.freshness.size() != trace.requests.size())
      return Error{0, trace.source + ": freshness for " + std::to_string(trace.freshness.size()) + " of " +
                          std::to_string(trace.requests.size()) + " requests"};
    expiresMs.assign(caches.size(), std::vector<int64_t>(trace.objects(), 0));
    ttl.emplace(TtlClimb{caches, expiresMs, r, o.keepS * 1000, nullptr, 0, {}, {}, 0, 0});
  }

  const double backboneMbps = topo.latency.backboneBandwidthMbps;
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = threadCpuSeconds();
  const auto& reqs = trace.requests;
  for (size_t i = 0; i < reqs.size(); ++i) {
    const Request& q = reqs[i];
    const double u = uniform(o.seed, i, 0);
    size_t g = 0;
    while (regions[g].cumulative <= u) ++g;
    RegionState& st = regions[g];
    RegionReplay& rr = r.regions[g];
    size_t e = st.fixedPop;
    if (drawn) {
      auto pick = selector.select(candidates, topo.regions[g].location, uniform(o.seed, i, 1));
      if (pick) e = pick->index;
    }
    st.used[e] = 1;
    const edge::cache::Access a{trace.keys[q.obj], q.size, edge::cache::Access::kNever, int64_t(i)};
    const auto& tiers = climb[e];
    double ms = 0;
    bool hit = false;
    if (ttl) {
      ttl->tiers = &tiers;
      ttl->obj = q.obj;
      ttl->access = a;
      ttl->fresh = trace.freshness[i];
      ttl->nowMs = o.rate > 0 ? int64_t(double(i) * 1000.0 / o.rate) : int64_t(q.time) * 1000;
      ttl->reached = 0;
      ttl->serve(0, true, hit);
      if (hit) {
        ++rr.edge.hits;
        rr.edge.hitBytes += q.size;
      }
      ++rr.edge.requests;
      rr.edge.bytes += q.size;
      r.bytes += q.size;
      // The client waited for the tiers up to the one that answered (the origin when it was
      // reached in the foreground: background refreshes do not delay it).
      const bool toOrigin = ttl->reached == tiers.size();
      if (toOrigin) ++rr.originRequests;
      if (latency) {
        for (size_t t = 1; t < std::min(ttl->reached + 1, tiers.size()); ++t)
          ms += tiers[t].upRttMs + double(q.size) * 8.0 / (backboneMbps * 1000.0);
        if (toOrigin) ms += originRttMs[e] + double(q.size) * 8.0 / (backboneMbps * 1000.0);
        const double rtt = st.rttMs[e];
        ms += rtt + model.jitterMs(rtt, uniform(o.seed, i, 2)) +
              model.transferMs(q.size, rtt, topo.regions[g].bandwidthMbps);
      }
      st.hist.record(ms);
      continue;
    }
    for (size_t t = 0; t < tiers.size(); ++t) {
      TierStats& s = r.pops[tiers[t].pop].stats;
      ++s.requests;
      s.bytes += q.size;
      if (latency && t > 0) ms += tiers[t].upRttMs + double(q.size) * 8.0 / (backboneMbps * 1000.0);
      if (t > 0) ++r.pops[tiers[t - 1].pop].stats.upstream;
      if (caches[tiers[t].pop].access(q.obj, a)) {
        ++s.hits;
        s.hitBytes += q.size;
        hit = true;
        if (t == 0) {
          ++rr.edge.hits;
          rr.edge.hitBytes += q.size;
        }
        break;
      }
    }
    ++rr.edge.requests;
    rr.edge.bytes += q.size;
    r.bytes += q.size;
    if (!hit) {
      ++r.pops[tiers.back().pop].stats.upstream;
      ++r.originRequests;
      ++rr.originRequests;
      r.originBytes += q.size;
      if (latency) ms += originRttMs[e] + double(q.size) * 8.0 / (backboneMbps * 1000.0);
    }
    if (latency) {
      const double rtt = st.rttMs[e];
      ms += rtt + model.jitterMs(rtt, uniform(o.seed, i, 2)) +
            model.transferMs(q.size, rtt, topo.regions[g].bandwidthMbps);
    }
    st.hist.record(ms);
  }
  r.requests = reqs.size();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpuSeconds = threadCpuSeconds() - cpu0;
  for (size_t g = 0; g < regions.size(); ++g) {
    RegionReplay& rr = r.regions[g];
    for (size_t e = 0; e < edges.size(); ++e)
      if (regions[g].used[e]) rr.pops.push_back(edges[e]->id);
    rr.meanMs = regions[g].hist.mean();
    rr.p50Ms = regions[g].hist.quantile(0.5);
    rr.p90Ms = regions[g].hist.quantile(0.9);
    rr.p99Ms = regions[g].hist.quantile(0.99);
  }
  return r;
}

std::string formatReplay(const ReplayResult& r) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-14s %-7s %-10s %12s %12s %9s %10s %10s %10s\n", "pop", "tier", "policy",
                "capacity", "requests", "hit", "byte hit", "revalid.", "upstream");
  out += line;
  for (const auto& p : r.pops) {
    std::snprintf(line, sizeof line, "%-14s %-7s %-10s %12llu %12llu %9.4f %10.4f %10llu %10llu\n", p.id.c_str(),
                  geo::tierName(p.tier), p.policy.c_str(), (unsigned long long)p.capacityBytes,
                  (unsigned long long)p.stats.requests, p.stats.hitRatio(), p.stats.byteHitRatio(),
                  (unsigned long long)p.stats.revalidations, (unsigned long long)p.stats.upstream);
    out += line;
  }
  out += "\n";
  std::snprintf(line, sizeof line, "%-12s %-14s %12s %9s %10s %9s %9s %9s %9s\n", "region", "pop", "requests",
                "edge hit", "to origin", "mean ms", "p50 ms", "p90 ms", "p99 ms");
  out += line;
  for (const auto& g : r.regions) {
    std::string pops;
    for (const auto& p : g.pops) pops += (pops.empty() ? "" : "+") + p;
    std::snprintf(line, sizeof line, "%-12s %-14s %12llu %9.4f %10llu %9.1f %9.1f %9.1f %9.1f\n", g.name.c_str(),
                  pops.c_str(), (unsigned long long)g.edge.requests, g.edge.hitRatio(),
                  (unsigned long long)g.originRequests, g.meanMs, g.p50Ms, g.p90Ms, g.p99Ms);
    out += line;
  }
  std::snprintf(line, sizeof line,
                "\norigin: %llu requests, offload %.4f (bytes %.4f); %llu requests in %.2f s (%.2f M req/s, cpu %.2f)\n",
                (unsigned long long)r.originRequests, r.offload(), r.byteOffload(), (unsigned long long)r.requests,
                r.seconds, r.seconds > 0 ? double(r.requests) / r.seconds / 1e6 : 0.0,
                r.cpuSeconds > 0 ? double(r.requests) / r.cpuSeconds / 1e6 : 0.0);
  out += line;
  return out;
}

}  // namespace cdnlab::sim

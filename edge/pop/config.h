// The PoP's settings: parsed once (CLI flags, or a topology entry), validated, then immutable and
// shared read-only by every worker thread. Each field says its unit, default and why.
#pragma once

#include "common/config/units.h"
#include "common/result.h"
#include "edge/pop/behaviors.h"
#include "edge/pop/function_config.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cdnlab::edge::pop {

using Duration = std::chrono::nanoseconds;

struct PopConfig {
  std::string id = "pop";                              // X-Served-By value and metrics label
  config::HostPort listen{"127.0.0.1", 8080};          // client listener
  std::optional<config::HostPort> admin;               // purge + /metrics listener (off when unset)
  std::string adminToken;                              // Bearer token for the admin listener; empty = open
  std::string upstream = "http://127.0.0.1:9000";      // origin or shield PoP (http:// only)
  uint64_t capacityBytes = 512ull << 20;               // cache capacity (bodies + headers)
  std::string policy = "lru";                          // eviction policy name (edge/cache registry)
  unsigned workers = 0;                                // 0 = one per core

  // Cache key (edge/cache/cache_key.h): method + scheme + host + path [+ query] [+ headers].
  bool keyIgnoreQuery = false;
  std::vector<std::string> keyHeaders;                 // request headers added to the key

  // TTL overrides, as CloudFront's cache policies: defaultTtl applies when the response has no
  // explicit freshness; min/max clamp explicit lifetimes. Unset = RFC 9111 only.
  std::optional<Duration> defaultTtl;
  std::optional<Duration> minTtl;
  std::optional<Duration> maxTtl;
  bool heuristic = false;                              // RFC 9111 4.2.2 heuristic freshness (off by default)
  // TRACE reflects the request (cookies, credentials) back to the client: refused with 405
  // unless allowed, as CDNs do.
  bool allowTrace = false;
  // RFC 9213 targeted cache control: this PoP obeys `popCacheControlField` (when set) before
  // CDN-Cache-Control, and both before Cache-Control / Expires. stripTargetedCacheControl removes
  // both from responses to clients (keep them on a shield so that its edges see them too).
  std::string popCacheControlField = "Cdnlab-Cache-Control";
  bool stripTargetedCacheControl = false;
  // Response field that lists an object's surrogate keys (tags) for POST /purge?tag=.
  std::string surrogateKeyField = "Surrogate-Key";
  double maxObjectFraction = 0.1;                      // larger bodies are passed through, not stored
  // A Range request that misses fills the whole object only when it is at most this large;
  // for larger objects the client's Range goes upstream and the answer is not stored. 0 = the
  // largest storable object (maxObjectBytes()).
  uint64_t rangeFillMaxBytes = 0;

  // A follower waiting behind another request's fetch of the same key gives up after this long
  // and fetches itself, so one slow fill cannot stall every client of a hot object forever.
  Duration collapseWait = std::chrono::seconds(5);
  Duration upstreamConnectTimeout = std::chrono::seconds(2);
  Duration upstreamTimeout = std::chrono::seconds(10);  // whole response, after connect
  Duration sweepInterval = std::chrono::seconds(1);     // periodic TTL expiry sweep
  // The latency model's cost of the upstream hop (docs/latency-model.md; `cdnlab up` computes it
  // from the distance to the upstream): each upstream request waits this long (a libuv timer)
  // before it is sent, and a response that came over a new connection waits once more (the TCP
  // handshake's round trip). 0 = no simulated latency.
  Duration upstreamRtt{0};
  // The upstream hop's bandwidth for the latency model's transfer time: a response body takes
  // size / bandwidth more before it is used (a warm PoP-to-upstream connection: no slow start).
  // 0 = no transfer time. Applies only with upstreamRtt > 0.
  double upstreamBandwidthMbps = 0;
  // Stale entries with a validator stay this long past their stale windows, so that a later
  // request revalidates them (304, no body transfer) instead of refetching in full.
  Duration keep = std::chrono::minutes(10);
  // CloudFront-format access log (edge/pop/access_log.h) appended to this file; empty = off.
  std::string accessLog;

  // Lambda@Edge (docs/edge-functions.md): functions by trigger and path pattern, in the order
  // given (the first whose pattern matches the request path runs). Native functions run on a
  // worker pool of edgeFunctionThreads threads; `lambda:` functions through the Lambda service's
  // Invoke API at lambdaEndpoint. nativePlugins are shared objects loaded at startup.
  std::vector<EdgeFunctionAssociation> edgeFunctions;
  // `--edge-functions FILE` (function_sources.h): more PoP-wide associations, after the flags'
  // (fileEdgeFunctions: as read at start-up). It and behaviorsFile (`--behaviors`) are read again
  // on SIGHUP, which swaps in their functions without a restart.
  std::string edgeFunctionsFile;
  std::vector<EdgeFunctionAssociation> fileEdgeFunctions;
  std::string behaviorsFile;
  // CloudFront-style cache behaviors (docs/behaviors.md), default ("*") last; empty = none: one
  // upstream, the key and TTL settings above. With behaviors, each one's cache policy replaces
  // the TTL and key settings above for the requests it selects.
  std::vector<Behavior> behaviors;
  std::string lambdaEndpoint;                          // http://host:port of `cdnlab lambda`
  std::vector<std::string> nativePlugins;
  // MaxMind DB (`cdnlab geo build`, GeoLite2 City) for the PoP's view of where a client is: its
  // country goes to edge functions as CloudFront-Viewer-Country (a client's own is dropped).
  std::string geoDb;
  unsigned edgeFunctionThreads = 2;
  // CloudFront's Lambda@Edge limits: 5 s at the viewer triggers, 30 s at the origin triggers.
  Duration viewerFunctionTimeout = std::chrono::seconds(5);
  Duration originFunctionTimeout = std::chrono::seconds(30);

  // The upstream URL split into its parts (filled by validate()).
  std::string upstreamHost;
  uint16_t upstreamPort = 0;
  std::string upstreamBasePath;  // usually empty; prefixed to every upstream path

  // Checks ranges and cross-field rules, fills the derived fields, returns the first problem.
  Result<bool> validate();
  // The byte limit above which an object is not stored.
  uint64_t maxObjectBytes() const { return static_cast<uint64_t>(static_cast<double>(capacityBytes) * maxObjectFraction); }
  // The range-fill cap in effect (at least 1 byte).
  uint64_t rangeFillCap() const { return std::max<uint64_t>(1, rangeFillMaxBytes ? rangeFillMaxBytes : maxObjectBytes()); }
};

}  // namespace cdnlab::edge::pop

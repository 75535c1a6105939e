// `cdnlab purge`: one purge across a whole running topology. A PoP's admin listener purges
// only that PoP's cache; purging one edge leaves the shield's copy, and the edge refills from
// it at once. So the topology-wide purge goes shield tier first (tier by tier from the origin
// outwards), then the edges, and reports what each PoP removed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace cdnlab::bench::run {

// Exactly one of these is set.
struct PurgeRequest {
  std::string url;     // one URL (path or full URL)
  std::string prefix;  // every URL under this path prefix
  std::string tag;     // every object tagged with this surrogate key (Surrogate-Key / Cache-Tag)
  bool all = false;
  std::string token;   // Bearer token of the admin listeners, when they need one
};

// "url=%2Fobj%2F1" style query of the admin listener's POST /purge.
std::string purgeQuery(const PurgeRequest& r);
// What the admin listener says it removed: from {"purged":{"objects":N,"bytes":M},...}.
struct PurgeCount {
  uint64_t objects = 0;
  uint64_t bytes = 0;
};
Result<PurgeCount> parsePurgeAnswer(int status, const std::string& body);

// One blocking HTTP/1.1 exchange with a PoP's admin listener (host:port): status and body.
struct AdminAnswer {
  int status = 0;
  std::string body;
};
Result<AdminAnswer> adminPost(const std::string& hostPort, const std::string& target, const std::string& token,
                              int timeoutMs = 5000);

struct PurgeOptions {
  std::string topologyFile;  // empty: the embedded default
  PurgeRequest request;
};

// Exit codes: 0 every PoP purged, 1 nothing running or some PoP failed, 2 usage.
int runPurge(const PurgeOptions& o);

}  // namespace cdnlab::bench::run

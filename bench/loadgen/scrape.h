// One blocking HTTP GET for the calling thread (not a worker): the origin's /metrics before and
// after a run. Runs its own short-lived libuv loop with the common HttpClient.
#pragma once

#include <string>

#include "bench/loadgen/plan.h"
#include "common/result.h"

namespace cdnlab::loadgen {

// The body of GET path on e (any status < 400), or an error; bounded by timeoutMs.
Result<std::string> fetchText(const Endpoint& e, const std::string& path, int timeoutMs = 3000);

// The origin's request and body-byte counters (cdnlab_origin_requests_total summed over
// statuses, cdnlab_origin_body_bytes_total).
struct OriginCounters {
  double requests = 0;
  double bodyBytes = 0;
};
Result<OriginCounters> scrapeOrigin(const Endpoint& origin);

}  // namespace cdnlab::loadgen

// The check `cdnlab load` makes before it starts: is anything listening where the run would
// send its first request (the router, or the --target)? A blocking TCP connect with a
// deadline, from the calling thread, so that a run against nothing fails at once with a
// message that names the address and the reason instead of printing a table of errors.
#pragma once

#include "bench/loadgen/plan.h"
#include "common/result.h"

namespace cdnlab::loadgen {

// Ok when a TCP connection to e completes within timeoutMs; otherwise an error whose message
// is the reason ("connection refused", "no answer within 2000 ms", ...).
Result<bool> probeTcp(const Endpoint& e, int timeoutMs = 2000);

}  // namespace cdnlab::loadgen

// `cdnlab lambda logs NAME [--follow]`: fetches a function's log lines from a running service
// (GET /_cdnlab/logs/NAME?after=N) and prints them; --follow keeps polling. A small blocking
// HTTP/1.1 client is enough for a command-line tool.
#pragma once

#include <cstdio>
#include <string>

#include "common/result.h"

namespace cdnlab::lambda {

struct LogsRequest {
  std::string endpoint = "http://127.0.0.1:9001";
  std::string function;
  bool follow = false;
  int pollMs = 500;
};

// Prints lines as "<time> <stream> <text>" to `out`; returns when done (never with --follow,
// unless the service goes away: then an error).
Result<bool> printLogs(const LogsRequest& request, FILE* out);

}  // namespace cdnlab::lambda

// `cdnlab up`, `cdnlab down` and `cdnlab demo` as library calls (the CLI files only parse flags).
// up: load + validate the topology, build the geo DB when missing, start the components wave by
// wave (run_plan.h) under a Supervisor, print the table, then either stay in the foreground
// (Ctrl-C / SIGTERM -> graceful stop of every child) or detach (state file for `down`).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/run/deploy.h"

namespace cdnlab::bench::run {

struct UpOptions {
  std::string topologyFile;  // empty: the embedded configs/catalog.yaml
  bool detach = false;
  bool latency = true;  // false: --no-latency
  std::chrono::milliseconds readyDeadline{10000};  // per wave
  bool accessLogs = false;  // every PoP writes <run dir>/<id>.access.log
  RuntimeChoice runtime = RuntimeChoice::Auto;  // functions: as written, native, or native where node is missing
  // Wait until the functions' provisioned concurrency is READY before returning (--detach) or
  // serving; without it `up` says they start in the background (`cdnlab load` waits for them).
  bool waitProvisioned = false;
};

// Exit codes: 0 ok (foreground: after a graceful stop), 2 bad topology, 1 anything else.
int runUp(const UpOptions& o);

// Stops what `up` started for this topology (by the state file). 0 ok, 1 nothing running.
int runDown(const std::string& topologyFile);

struct DemoOptions {
  std::string topologyFile;
  bool latency = true;
  std::string duration = "30s";  // of the load
  std::vector<std::string> loadArgs;  // extra flags passed to `cdnlab load`
  bool accessLogs = false;
  RuntimeChoice runtime = RuntimeChoice::Auto;
};

// up (kept by this process) + `cdnlab load` + down, always stopping everything.
int runDemo(const DemoOptions& o);

}  // namespace cdnlab::bench::run

// Process plumbing for server subcommands: the readiness line tests wait for, and running until
// SIGTERM/SIGINT followed by a graceful stop.
#pragma once

#include <functional>
#include <string_view>

namespace cdnlab {

// Prints "listening <name> <scheme>://<host>:<port>" to stdout and flushes (the readiness contract
// of every server subcommand, see tests/e2e/harness.py).
void announceListening(std::string_view name, std::string_view host, int port, std::string_view scheme = "http");

// Blocks SIGTERM/SIGINT (and ignores SIGPIPE) in the calling thread; threads created afterwards
// inherit the mask, so only waitForStopSignal() sees the signals. Call first thing in main.
void blockStopSignals();
// Waits until SIGTERM or SIGINT arrives; returns the signal number. blockStopSignals() first.
int waitForStopSignal();
// blockStopSignals() must have run before any thread started. Waits for a stop signal, runs
// `stop` (e.g. server.stop(grace)), returns 0 to be used as the exit code.
int runUntilStopSignal(const std::function<void()>& stop);

}  // namespace cdnlab

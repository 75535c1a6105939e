// Readiness line and stop-signal handling for server subcommands (see signals.h).
#include "common/signals.h"

#include <csignal>
#include <cstdio>
#include <string>

namespace cdnlab {

void announceListening(std::string_view name, std::string_view host, int port, std::string_view scheme) {
  std::string line = "listening " + std::string(name) + " " + std::string(scheme) + "://" + std::string(host) + ":" +
                     std::to_string(port) + "\n";
  fputs(line.c_str(), stdout);
  fflush(stdout);
}

namespace {
sigset_t stopSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

void blockStopSignals() {
  signal(SIGPIPE, SIG_IGN);  // a peer closing mid-write must be an error code, not death
  sigset_t set = stopSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int waitForStopSignal() {
  sigset_t set = stopSet();
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

int runUntilStopSignal(const std::function<void()>& stop) {
  waitForStopSignal();
  if (stop) stop();
  return 0;
}

}  // namespace cdnlab

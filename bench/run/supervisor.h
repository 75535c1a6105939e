// Process supervision for `cdnlab up`: start each planned component as its own process
// (fork + exec of this same binary with the component's subcommand), wait for its readiness
// lines, notice children that die, and stop them all gracefully. Each child's stdout and stderr
// go to <run dir>/<name>.log, so a detached topology keeps logging after `up` returns and a
// component that fails to start is reported with its own output.
//
// Threading: one Supervisor per process, used from one thread. SIGCHLD, SIGINT and SIGTERM must
// be blocked in the calling thread (blockSupervisorSignals) before the first start.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "bench/run/run_plan.h"
#include "bench/run/run_state.h"
#include "common/result.h"

namespace cdnlab::bench::run {

struct Child {
  Component component;
  pid_t pid = 0;
  std::string logFile;
  bool exited = false;
  int status = 0;  // waitpid status once exited
};

// "exited (code 1)", "exited (signal 9)".
std::string describeExit(int waitStatus);

// Blocks SIGCHLD, SIGINT, SIGTERM in the calling thread (children get the default mask back).
void blockSupervisorSignals();

class Supervisor {
 public:
  // `exe`: the binary to run (normally /proc/self/exe resolved); `runDir`: where logs go.
  Supervisor(std::string exe, std::string runDir) : exe_(std::move(exe)), runDir_(std::move(runDir)) {}
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts every component of one wave, then waits until each has printed all its readiness
  // lines or the deadline passes. On failure the error names the component and carries the tail
  // of its log; the components already started stay up (the caller decides: stopAll()).
  Result<bool> startWave(const std::vector<Component>& wave, std::chrono::milliseconds deadline);

  // Waits until SIGINT/SIGTERM arrives (returns the signal), reporting every child that exits
  // meanwhile through `onExit`. Returns 0 when every child has exited.
  int superviseUntilStop(const std::function<void(const Child&)>& onExit);

  // Reaps children that have exited since the last call, reporting each through `onExit`.
  void pollExits(const std::function<void(const Child&)>& onExit);

  // SIGTERM to every live child, wait up to `grace`, then SIGKILL the rest; reaps them all.
  void stopAll(std::chrono::milliseconds grace);

  // Leaves the children running (a detached `up`): they are not stopped by the destructor.
  void release() { released_ = true; }
  ~Supervisor();

  const std::vector<Child>& children() const { return children_; }

 private:
  Result<pid_t> spawn(const Component& c, const std::string& logFile);

  std::string exe_;
  std::string runDir_;
  std::vector<Child> children_;
  bool released_ = false;
};

// `cdnlab down`: SIGTERM to each entry that is still its component (isStillComponent), then
// polls until they are gone or `grace` passes, then SIGKILL. Returns how many had to be killed.
int terminateAndWait(const std::vector<StateEntry>& entries, std::chrono::milliseconds grace);

// The last `maxBytes` of a file (for failure messages).
std::string tailFile(const std::string& path, size_t maxBytes = 4000);

}  // namespace cdnlab::bench::run

// What a detached `cdnlab up` leaves behind for `cdnlab down`: the run directory of a topology
// and the state file in it (which processes it started, where they listen, from which topology).
// `down` signals only PIDs from this file, and only while /proc says they are still the cdnlab
// component that was started (a PID the kernel has since reused is never touched).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace cdnlab::bench::run {

// $XDG_RUNTIME_DIR/cdnlab/<name> when XDG_RUNTIME_DIR is set, else /tmp/cdnlab-<uid>/<name>.
// `name` is the topology's file stem ("default" for the embedded one).
std::string runDirectory(const std::string& name);
// Creates it (mode 0700, parents too).
Result<bool> makeRunDirectory(const std::string& dir);
// "configs/small.yaml" -> "small"; empty (the embedded default) -> "default".
std::string topologyName(const std::string& topologyFile);
// The run directory's name for a topology: keyed by the file's full path, so a/small.yaml and
// b/small.yaml are two runs ("small-" + 16 hex digits of a hash of the absolute, normalised
// path); "default" for the embedded default.
std::string runKey(const std::string& topologyFile);

struct StateEntry {
  std::string name;     // component name: "origin", a PoP id, "router"
  std::string kind;     // the subcommand it runs: origin, pop, router
  pid_t pid = 0;
  std::string address;  // host:port
  std::string admin;    // host:port or empty
};

struct RunState {
  std::string topology;  // the topology file as given (empty: the embedded default)
  pid_t supervisor = 0;  // the `cdnlab up` that wrote it (0 when it detached and exited)
  std::vector<StateEntry> components;
};

// One line per field, tab-separated ("component\t<name>\t<kind>\t<pid>\t<address>\t<admin>"),
// written to a temp file and renamed, so a reader never sees half a file.
std::string formatState(const RunState& s);
Result<RunState> parseState(const std::string& text);
Result<bool> writeStateFile(const std::string& path, const RunState& s);
Result<RunState> readStateFile(const std::string& path);

// The NUL-separated /proc/<pid>/cmdline as a list (empty when the process is gone).
std::vector<std::string> processArgs(pid_t pid);
// True when `args` is a cdnlab process running `kind` listening on `address`: argv[0]'s file
// name is "cdnlab", argv[1] is the subcommand and `--listen <address>` is among the flags.
bool isComponentProcess(const std::vector<std::string>& args, const std::string& kind, const std::string& address);
// True when `args` is a `cdnlab up` or `cdnlab demo` (the supervisor of a foreground run).
bool isSupervisorProcess(const std::vector<std::string>& args);
// processArgs + isComponentProcess for a state entry.
bool isStillComponent(const StateEntry& e);

}  // namespace cdnlab::bench::run

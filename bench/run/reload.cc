// `cdnlab up --reload` (see reload.h).
#include "bench/run/reload.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

#include "bench/run/default_topology.h"
#include "bench/run/edge_functions_file.h"
#include "bench/run/run_state.h"
#include "common/config/error.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The value of `flag` in a process's arguments, or nullopt.
std::optional<std::string> flagValue(const std::vector<std::string>& args, const std::string& flag) {
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == flag) return args[i + 1];
  return std::nullopt;
}

struct PopAnswer {
  bool reloaded = false;
  std::string text;  // the PoP's own words
};

// What the PoP wrote to its log after `offset` in answer to SIGHUP: its success line, or its
// refusal with the reason (the lines after it). Polled, bounded by `timeout`.
std::optional<PopAnswer> awaitAnswer(const std::string& log, size_t offset, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string all = readAll(log);
    std::string fresh = all.size() > offset ? all.substr(offset) : "";
    if (size_t ok = fresh.find("reloaded edge functions:"); ok != std::string::npos) {
      return PopAnswer{true, fresh.substr(ok, fresh.find('\n', ok) - ok)};
    }
    if (size_t bad = fresh.find("edge functions not reloaded"); bad != std::string::npos) {
      size_t start = fresh.rfind('\n', bad);
      start = start == std::string::npos ? 0 : start + 1;
      size_t end = fresh.find("\n\n", bad);  // the reason may span lines; wait for all of it
      std::string text = fresh.substr(start, end == std::string::npos ? std::string::npos : end - start);
      while (!text.empty() && text.back() == '\n') text.pop_back();
      // The refusal is written in one fprintf: once its first line is there, so is the rest.
      return PopAnswer{false, text};
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a log file offers no readiness to wait on
  }
}

}  // namespace

int runReload(const std::string& topologyFile, std::chrono::milliseconds answerTimeout) {
  const std::string dir = runDirectory(runKey(topologyFile));
  auto state = readStateFile(dir + "/state");
  if (!state.ok()) {
    std::fprintf(stderr, "cdnlab up --reload: nothing running for topology '%s' (%s)\n",
                 topologyName(topologyFile).c_str(), state.error().message.c_str());
    return 1;
  }
  // The embedded default was written to the run directory by `up`: that copy is the one to edit.
  const std::string written = dir + "/topology.yaml";
  const bool defaultCopy = topologyFile.empty() && ::access(written.c_str(), R_OK) == 0;
  auto loaded = !topologyFile.empty() ? geo::loadTopologyFile(topologyFile)
                : defaultCopy         ? geo::loadTopologyFile(written)
                                      : geo::loadTopologyString(defaultTopologyYaml(), kDefaultTopologyName);
  if (!loaded) {
    std::fputs(config::formatErrors(loaded.errors()).c_str(), stderr);
    std::fprintf(stderr, "cdnlab up --reload: nothing changed, the running edge functions stay\n");
    return 2;
  }
  const geo::Topology& topo = *loaded;
  const std::string shownFile = defaultCopy ? written : state->topology;
  int failed = 0, reloaded = 0;
  for (const auto& p : topo.pops) {
    auto entry = std::find_if(state->components.begin(), state->components.end(),
                              [&](const StateEntry& e) { return e.kind == "pop" && e.name == p.id; });
    if (entry == state->components.end() || !isStillComponent(*entry)) {
      if (!p.edgeFunctions.empty()) {
        std::fprintf(stderr, "%s: not running (a PoP added to the topology, or stopped): `cdnlab down` and `cdnlab up` start it\n",
                     p.id.c_str());
        ++failed;
      }
      continue;
    }
    auto file = flagValue(processArgs(entry->pid), "--edge-functions");
    if (!file) {
      if (!p.edgeFunctions.empty()) {
        std::fprintf(stderr,
                     "%s: was started without edge functions, so it has no edge-functions file to reload; "
                     "`cdnlab down` and `cdnlab up` give it one\n",
                     p.id.c_str());
        ++failed;
      }
      continue;
    }
    const std::string before = readAll(*file);
    if (auto ok = replaceFile(*file, edgeFunctionsYaml(p, shownFile)); !ok.ok()) {
      std::fprintf(stderr, "%s: %s\n", p.id.c_str(), ok.error().message.c_str());
      ++failed;
      continue;
    }
    const std::string log = dir + "/" + p.id + ".log";
    const size_t offset = readAll(log).size();
    if (::kill(entry->pid, SIGHUP) != 0) {
      std::fprintf(stderr, "%s: cannot signal pid %d\n", p.id.c_str(), entry->pid);
      ++failed;
      continue;
    }
    auto answer = awaitAnswer(log, offset, answerTimeout);
    if (!answer) {
      std::fprintf(stderr, "%s (pid %d): no answer to SIGHUP in its log %s within %lld ms\n", p.id.c_str(), entry->pid,
                   log.c_str(), static_cast<long long>(answerTimeout.count()));
      ++failed;
    } else if (!answer->reloaded) {
      // The PoP serves what it ran before: its file says so again.
      (void)replaceFile(*file, before);
      std::fprintf(stderr, "%s: %s\n", p.id.c_str(), answer->text.c_str());
      ++failed;
    } else {
      std::printf("%s: %s\n", p.id.c_str(), answer->text.c_str());
      ++reloaded;
    }
  }
  std::printf("%d PoP%s reloaded, %d failed\n", reloaded, reloaded == 1 ? "" : "s", failed);
  std::fflush(stdout);
  return failed == 0 ? 0 : 1;
}

}  // namespace cdnlab::bench::run

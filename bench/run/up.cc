// `cdnlab up` / `down` / `demo` (see up.h).
#include "bench/run/up.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>

#include "bench/run/behaviors_file.h"
#include "bench/run/default_topology.h"
#include "bench/run/deploy.h"
#include "bench/run/edge_functions_file.h"
#include "bench/run/provisioned.h"
#include "bench/run/run_plan.h"
#include "bench/run/run_state.h"
#include "bench/run/supervisor.h"
#include "common/config/error.h"
#include "geo/geo_build.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

namespace fs = std::filesystem;
using Ms = std::chrono::milliseconds;

namespace {

constexpr Ms kStopGrace{5000};
// Node.js environments on a busy 2-core machine can take seconds each; all start at once.
constexpr Ms kProvisionedTimeout{60000};

std::string selfExe() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("/proc/self/exe") : p.string();
}

// Display width of UTF-8 text ("São Paulo" is 9 columns, 10 bytes).
size_t columns(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
std::string pad(const std::string& s, size_t w) { return s + std::string(w > columns(s) ? w - columns(s) : 0, ' '); }

void printTable(const Supervisor& sup) {
  std::vector<std::vector<std::string>> rows = {{"component", "tier", "city", "address", "admin", "pid"}};
  for (const auto& ch : sup.children()) {
    const Component& c = ch.component;
    rows.push_back({c.name, c.tier, c.city, "http://" + c.address.str(), c.admin ? "http://" + c.admin->str() : "-",
                    std::to_string(ch.pid)});
  }
  std::vector<size_t> w(rows[0].size(), 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], columns(r[i]));
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) line += (i ? "  " : "") + (i + 1 < r.size() ? pad(r[i], w[i]) : r[i]);
    std::printf("%s\n", line.c_str());
  }
  std::fflush(stdout);
}

// Writes `text` to `path` unless it already holds exactly that (so a file's age still says
// whether what was built from it, like geo.mmdb, is current). True when it wrote.
Result<bool> writeIfChanged(const fs::path& path, std::string_view text) {
  std::ifstream in(path, std::ios::binary);
  std::string have((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.is_open() && have == text) return false;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out.flush()) return Error{1, "cannot write " + path.string()};
  return true;
}

// The embedded default topology and the files it names, under the run directory.
Result<bool> writeDefaultTopology(const std::string& runDir) {
  if (auto ok = writeIfChanged(fs::path(runDir) / "topology.yaml", defaultTopologyYaml()); !ok.ok()) return ok;
  for (const EmbeddedFile& f : defaultTopologyFiles())
    if (auto ok = writeIfChanged(fs::path(runDir) / f.path, f.content); !ok.ok()) return ok;
  return true;
}

// Everything `up` prepares before starting processes.
struct Prepared {
  geo::Topology topo;
  std::string runDir;
  std::string stateFile;
  PlanInputs inputs;
  DeployReport deploy;
};

// Loads and validates; 2 on a bad topology (errors printed with file:line: field).
std::optional<Prepared> prepare(const std::string& topologyFile, bool latency, bool accessLogs, int& rc) {
  Prepared p;
  auto loaded = topologyFile.empty() ? geo::loadTopologyString(defaultTopologyYaml(), kDefaultTopologyName)
                                     : geo::loadTopologyFile(topologyFile);
  if (!loaded) {
    std::fputs(config::formatErrors(loaded.errors()).c_str(), stderr);
    rc = 2;
    return std::nullopt;
  }
  p.topo = std::move(*loaded);
  p.runDir = runDirectory(runKey(topologyFile));
  p.stateFile = p.runDir + "/state";
  if (auto ok = makeRunDirectory(p.runDir); !ok.ok()) {
    std::fprintf(stderr, "cdnlab up: %s\n", ok.error().message.c_str());
    rc = 1;
    return std::nullopt;
  }
  // The router reads the topology and the origin its catalog section from a file, and the
  // deploy step the files the topology names: the embedded default is written out to the run
  // directory for them.
  if (topologyFile.empty()) {
    p.inputs.topologyFile = p.runDir + "/topology.yaml";
    if (auto ok = writeDefaultTopology(p.runDir); !ok.ok()) {
      std::fprintf(stderr, "cdnlab up: %s\n", ok.error().message.c_str());
      rc = 1;
      return std::nullopt;
    }
  } else {
    p.inputs.topologyFile = fs::absolute(topologyFile).string();
  }
  p.inputs.catalogFile = p.topo.origin.catalogFile.empty()
                             ? p.inputs.topologyFile
                             : (fs::path(p.inputs.topologyFile).parent_path() / p.topo.origin.catalogFile).string();
  p.inputs.latency = latency && p.topo.latencyEnabled;
  p.inputs.logDir = p.runDir;
  p.inputs.accessLogs = accessLogs;
  p.inputs.dataDir = p.runDir;
  p.inputs.geoDbForPops = p.runDir + "/geo.mmdb";

  // The region DB is rebuilt when missing or older than the topology it comes from.
  p.inputs.geoDb = p.runDir + "/geo.mmdb";
  std::error_code ec;
  bool stale = !fs::exists(p.inputs.geoDb, ec) ||
               fs::last_write_time(p.inputs.geoDb, ec) < fs::last_write_time(p.inputs.topologyFile, ec);
  if (stale) {
    if (auto ok = geo::writeRegionDatabase(p.topo, p.inputs.geoDb); !ok.ok()) {
      std::fprintf(stderr, "cdnlab up: geo DB: %s\n", ok.error().message.c_str());
      rc = 1;
      return std::nullopt;
    }
  }
  return p;
}

// A live run of this topology (state file whose processes are still there), or nullopt. A
// stale state file (everything gone, e.g. after a reboot) is removed.
std::optional<RunState> liveRun(const std::string& stateFile) {
  auto s = readStateFile(stateFile);
  if (!s.ok()) return std::nullopt;
  bool live = s->supervisor != 0 && isSupervisorProcess(processArgs(s->supervisor));
  for (const auto& e : s->components) live |= isStillComponent(e);
  if (live) return *s;
  ::unlink(stateFile.c_str());
  return std::nullopt;
}

// Starts the waves of `plan` in [from, to]; on failure stops everything and prints why.
bool startWaves(Supervisor& sup, const std::vector<Component>& plan, int from, int to, Ms deadline) {
  std::map<int, std::vector<Component>> waves;
  for (const auto& c : plan)
    if (c.wave >= from && c.wave <= to) waves[c.wave].push_back(c);
  for (auto& [wave, comps] : waves) {
    auto ok = sup.startWave(comps, deadline);
    if (!ok.ok()) {
      std::fprintf(stderr, "cdnlab up: %s\n", ok.error().message.c_str());
      sup.stopAll(kStopGrace);
      return false;
    }
  }
  return true;
}

// Starts the application tier (store, Lambda service, gateway) and the origin, deploys the
// application through their management APIs, then starts the PoPs (which need the deployed
// API's id for `upstream: gateway`) and the router.
bool startAll(Supervisor& sup, Prepared& p, RuntimeChoice runtime, Ms deadline) {
  const int appWaves = applicationWaves(p.topo);
  if (!startWaves(sup, planComponents(p.topo, p.inputs), 0, appWaves, deadline)) return false;
  if (!p.topo.app.empty()) {
    DeployOptions o;
    o.baseDir = fs::path(p.inputs.topologyFile).parent_path().string();
    o.nativeDir = fs::path(selfExe()).parent_path().string();
    o.runtime = runtime;
    auto deployed = deployApplication(p.topo, o);
    if (!deployed.ok()) {
      std::fprintf(stderr, "cdnlab up: deploy: %s\n", deployed.error().message.c_str());
      sup.stopAll(kStopGrace);
      return false;
    }
    p.deploy = *deployed;
    if (!deployed->apiIds.empty())
      p.inputs.gatewayPathPrefix = gatewayPathPrefix(deployed->apiIds.front(), p.topo.app.gateway->apis.front().stage);
  }
  auto behaviors = writeBehaviorFiles(p.topo, p.inputs.topologyFile, p.runDir, p.inputs.gatewayPathPrefix);
  if (!behaviors.ok()) {
    std::fprintf(stderr, "cdnlab up: %s\n", behaviors.error().message.c_str());
    sup.stopAll(kStopGrace);
    return false;
  }
  p.inputs.behaviorFiles = *behaviors;
  // Edge functions from files, so `cdnlab up --reload` can change them in the running PoPs.
  auto edgeFunctions = writeEdgeFunctionFiles(p.topo, p.inputs.topologyFile, p.runDir);
  if (!edgeFunctions.ok()) {
    std::fprintf(stderr, "cdnlab up: %s\n", edgeFunctions.error().message.c_str());
    sup.stopAll(kStopGrace);
    return false;
  }
  p.inputs.edgeFunctionFiles = *edgeFunctions;
  return startWaves(sup, planComponents(p.topo, p.inputs), appWaves + 1, 1 << 20, deadline);
}

RunState stateOf(const Supervisor& sup, const std::string& topologyFile, pid_t supervisor) {
  RunState s;
  s.topology = topologyFile.empty() ? "" : fs::absolute(topologyFile).string();
  s.supervisor = supervisor;
  for (const auto& ch : sup.children())
    s.components.push_back({ch.component.name, kindName(ch.component.kind), ch.pid, ch.component.address.str(),
                            ch.component.admin ? ch.component.admin->str() : ""});
  return s;
}

// Shared by up and demo: prepared, not already running, started, state written.
struct Started {
  Prepared prepared;
  std::unique_ptr<Supervisor> sup;
};

std::optional<Started> startTopology(const std::string& topologyFile, bool latency, bool accessLogs, bool detach,
                                     RuntimeChoice runtime, Ms deadline, int& rc) {
  auto p = prepare(topologyFile, latency, accessLogs, rc);
  if (!p) return std::nullopt;
  if (auto running = liveRun(p->stateFile)) {
    std::fprintf(stderr,
                 "cdnlab up: topology '%s' is already running (state %s); stop it first with `cdnlab down%s%s`\n",
                 topologyName(topologyFile).c_str(), p->stateFile.c_str(), topologyFile.empty() ? "" : " ",
                 topologyFile.c_str());
    rc = 1;
    return std::nullopt;
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto sup = std::make_unique<Supervisor>(selfExe(), p->runDir);
  // The gateway's APIs are imported afresh at every start (their ids go to the PoPs).
  std::error_code ec;
  fs::remove_all(p->runDir + "/gateway", ec);
  if (!startAll(*sup, *p, runtime, deadline)) {
    rc = 1;
    return std::nullopt;
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  // Everything is up: now the provisioned environments may start (in the Lambda service, in the
  // background), without competing with the components' own start for the CPU.
  if (auto ok = requestProvisioned(p->topo); !ok.ok()) {
    std::fprintf(stderr, "cdnlab up: deploy: %s\n", ok.error().message.c_str());
    sup->stopAll(kStopGrace);
    rc = 1;
    return std::nullopt;
  }
  if (auto ok = writeStateFile(p->stateFile, stateOf(*sup, topologyFile, detach ? 0 : ::getpid())); !ok.ok()) {
    std::fprintf(stderr, "cdnlab up: %s\n", ok.error().message.c_str());
    sup->stopAll(kStopGrace);
    rc = 1;
    return std::nullopt;
  }
  printTable(*sup);
  if (!p->topo.app.empty()) {
    const DeployReport& d = p->deploy;
    std::printf("deployed %d table%s (%ld items seeded%s), %d function%s (%d native), %zu API%s in %.0f ms\n",
                d.tablesCreated + d.tablesKept, d.tablesCreated + d.tablesKept == 1 ? "" : "s", d.itemsSeeded,
                d.tablesKept ? (", " + std::to_string(d.tablesKept) + " kept from the last run").c_str() : "", d.functions,
                d.functions == 1 ? "" : "s", d.nativeFunctions, d.apiIds.size(), d.apiIds.size() == 1 ? "" : "s", d.ms);
    for (size_t i = 0; i < d.apiIds.size(); ++i)
      std::printf("api %s: http://%s%s/\n", d.apiIds[i].c_str(), p->topo.app.gateway->address.str().c_str(),
                  gatewayPathPrefix(d.apiIds[i], p->topo.app.gateway->apis[i].stage).c_str());
  }
  std::printf("%zu components ready in %.0f ms (latency model %s; logs and state in %s)\n", sup->children().size(),
              ms, p->inputs.latency ? "on" : "off", p->runDir.c_str());
  std::fflush(stdout);
  return Started{std::move(*p), std::move(sup)};
}

// Provisioned environments start in the Lambda service after `up` deployed them: say so, or
// (--wait) wait for them, printing each change. False when waiting failed.
bool reportProvisioned(const geo::Topology& topo, bool wait) {
  if (provisionedFunctions(topo).empty()) return true;
  if (!wait) {
    // From the topology, not the service: the Lambda service is busy starting them right now.
    std::string asked;
    for (const auto& f : topo.app.functions)
      if (f.provisionedConcurrency > 0)
        asked += (asked.empty() ? "" : ", ") + f.name + " " + std::to_string(f.provisionedConcurrency);
    std::printf("provisioned concurrency starting in the background (%s); `cdnlab load` waits for it, "
                "`cdnlab up --wait` too\n",
                asked.c_str());
    std::fflush(stdout);
    return true;
  }
  auto waited = waitForProvisioned(topo, kProvisionedTimeout, [](const std::vector<ProvisionedState>& s) {
    std::printf("provisioned concurrency: %s\n", describeProvisioned(s).c_str());
    std::fflush(stdout);
  });
  if (!waited.ok()) {
    std::fprintf(stderr, "cdnlab up: %s\n", waited.error().message.c_str());
    return false;
  }
  std::printf("provisioned concurrency ready after %lld ms more\n", static_cast<long long>(waited->count()));
  std::fflush(stdout);
  return true;
}

void reportExit(const Child& ch) {
  std::fprintf(stderr, "%s %s %s\n", kindName(ch.component.kind), ch.component.name.c_str(),
               describeExit(ch.status).c_str());
}

}  // namespace

int runUp(const UpOptions& o) {
  blockSupervisorSignals();
  int rc = 0;
  auto started = startTopology(o.topologyFile, o.latency, o.accessLogs, o.detach, o.runtime, o.readyDeadline, rc);
  if (!started) return rc;
  Supervisor& sup = *started->sup;
  if (!reportProvisioned(started->prepared.topo, o.waitProvisioned)) {
    sup.stopAll(kStopGrace);
    ::unlink(started->prepared.stateFile.c_str());
    return 1;
  }
  if (o.detach) {
    sup.release();
    std::printf("detached; `cdnlab down%s%s` stops it\n", o.topologyFile.empty() ? "" : " ", o.topologyFile.c_str());
    return 0;
  }
  std::printf("serving; Ctrl-C stops everything\n");
  std::fflush(stdout);
  int sig = sup.superviseUntilStop(reportExit);
  if (sig != 0) std::printf("stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  sup.stopAll(kStopGrace);
  ::unlink(started->prepared.stateFile.c_str());
  if (sig == 0) {
    std::fprintf(stderr, "cdnlab up: every component exited\n");
    return 1;
  }
  std::printf("stopped\n");
  return 0;
}

int runDown(const std::string& topologyFile) {
  const std::string dir = runDirectory(runKey(topologyFile));
  const std::string stateFile = dir + "/state";
  auto s = readStateFile(stateFile);
  if (!s.ok()) {
    std::fprintf(stderr, "cdnlab down: nothing running for topology '%s' (%s)\n", topologyName(topologyFile).c_str(),
                 s.error().message.c_str());
    return 1;
  }
  // What is still running, listed before anything is signalled: that is what down stops.
  std::vector<StateEntry> live;
  for (const auto& e : s->components)
    if (isStillComponent(e)) live.push_back(e);
  const bool supervised = s->supervisor != 0 && isSupervisorProcess(processArgs(s->supervisor));
  // A foreground `up` (or a demo) stops its own children in order: ask it, then make sure.
  if (supervised) {
    ::kill(s->supervisor, SIGTERM);
    for (int i = 0; i < 1000 && isSupervisorProcess(processArgs(s->supervisor)); ++i) ::usleep(10000);
  }
  int killed = terminateAndWait(s->components, kStopGrace);
  ::unlink(stateFile.c_str());
  const std::string shown = s->topology.empty() ? "the embedded default topology" : s->topology;
  if (supervised) std::printf("asked the foreground `cdnlab up` (pid %d) of %s to stop\n", s->supervisor, shown.c_str());
  for (const auto& e : live)
    std::printf("stopped %-6s %-12s pid %-7d %s\n", e.kind.c_str(), e.name.c_str(), e.pid, e.address.c_str());
  std::printf("stopped %zu process%s of %s%s\n", live.size(), live.size() == 1 ? "" : "es", shown.c_str(),
              killed ? (" (" + std::to_string(killed) + " needed SIGKILL)").c_str() : "");
  return 0;
}

namespace {

// `cdnlab load <args...> --check`: the load's flags are checked before anything starts (a
// typo in --load-arg must not cost a topology start and stop). Returns its exit status.
int checkLoadArgs(const std::vector<std::string>& args) {
  std::vector<std::string> check = args;
  check.push_back("--check");
  std::vector<char*> argv;
  for (auto& a : check) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (pid < 0) return 1;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

// The command as a user would type it (words with spaces or quotes single-quoted).
std::string shellLine(const std::vector<std::string>& args) {
  std::string line = "cdnlab";
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool plain = !a.empty() && a.find_first_of(" \t'\"$\\;&|<>*?()") == std::string::npos;
    line += " ";
    if (plain) {
      line += a;
    } else {
      line += "'";
      for (char c : a) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
      line += "'";
    }
  }
  return line;
}

}  // namespace

int runDemo(const DemoOptions& o) {
  blockSupervisorSignals();
  int rc = 0;
  // The load's command line is known before anything starts (the topology file as `up` will
  // pass it: the embedded default is written to the run directory), so it is checked first.
  std::string loadTopology = o.topologyFile.empty() ? runDirectory(runKey("")) + "/topology.yaml"
                                                    : fs::absolute(o.topologyFile).string();
  std::vector<std::string> args = {selfExe(), "load", loadTopology, "--duration", o.duration};
  if (!o.latency) args.push_back("--no-latency");
  args.insert(args.end(), o.loadArgs.begin(), o.loadArgs.end());
  if (o.topologyFile.empty()) {
    // The check reads the embedded default, the same text `up` writes to loadTopology.
    std::vector<std::string> check = args;
    check.erase(check.begin() + 2);
    if (int c = checkLoadArgs(check); c != 0) return c == 1 ? 1 : 2;
  } else if (int c = checkLoadArgs(args); c != 0) {
    return c == 1 ? 1 : 2;
  }

  auto started = startTopology(o.topologyFile, o.latency, o.accessLogs, false, o.runtime, Ms(10000), rc);
  if (!started) return rc;
  Supervisor& sup = *started->sup;
  args[2] = started->prepared.inputs.topologyFile;
  if (!started->prepared.inputs.latency && std::find(args.begin(), args.end(), "--no-latency") == args.end())
    args.push_back("--no-latency");
  std::printf("\n$ %s\n", shellLine(args).c_str());
  std::fflush(stdout);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t load = ::fork();
  if (load == 0) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // A shell starts background jobs with SIGINT ignored, and exec keeps ignored signals
    // ignored: reset them, or the graceful-stop signal we forward would be lost.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int loadStatus = 0;
  if (load < 0) {
    std::perror("cdnlab demo: fork");
    rc = 1;
  } else {
    // Wait for the load, forwarding Ctrl-C / SIGTERM to it (it prints its table on SIGINT) and
    // reporting any component that dies meanwhile.
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGCHLD);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    bool interrupted = false;
    while (true) {
      if (::waitpid(load, &loadStatus, WNOHANG) == load) break;
      sup.pollExits(reportExit);
      timespec timeout{0, 200 * 1000 * 1000};
      int sig = ::sigtimedwait(&s, nullptr, &timeout);
      if (sig == SIGINT || sig == SIGTERM) {
        ::kill(load, interrupted ? SIGKILL : SIGINT);
        interrupted = true;
      }
    }
    if (interrupted) rc = 130;
    else if (!(WIFEXITED(loadStatus) && WEXITSTATUS(loadStatus) == 0)) {
      std::fprintf(stderr, "cdnlab demo: load %s\n", describeExit(loadStatus).c_str());
      rc = 1;
    }
  }
  std::printf("\nstopping the topology\n");
  std::fflush(stdout);
  sup.stopAll(kStopGrace);
  ::unlink(started->prepared.stateFile.c_str());
  std::printf("stopped\n");
  return rc;
}

}  // namespace cdnlab::bench::run

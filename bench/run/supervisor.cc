// Child processes of `cdnlab up` (see supervisor.h).
#include "bench/run/supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>

extern char** environ;

namespace cdnlab::bench::run {

namespace {

using Clock = std::chrono::steady_clock;

sigset_t supervisorSignals() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGCHLD);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  return s;
}

// How many of `names` have announced `listening <name> ` in the log so far.
bool allReady(const std::string& log, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (log.find("listening " + n + " ") == std::string::npos) return false;
  return true;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string describeExit(int st) {
  if (WIFSIGNALED(st)) return "exited (signal " + std::to_string(WTERMSIG(st)) + ")";
  if (WIFEXITED(st)) return "exited (code " + std::to_string(WEXITSTATUS(st)) + ")";
  return "exited";
}

void blockSupervisorSignals() {
  sigset_t s = supervisorSignals();
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
}

std::string tailFile(const std::string& path, size_t maxBytes) {
  std::string all = readFile(path);
  return all.size() > maxBytes ? all.substr(all.size() - maxBytes) : all;
}

Result<pid_t> Supervisor::spawn(const Component& c, const std::string& logFile) {
  int fd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Error{1, "cannot open " + logFile + ": " + std::strerror(errno)};
  // argv built before fork: after it only async-signal-safe calls are allowed.
  std::vector<std::string> args;
  args.push_back(exe_);
  args.insert(args.end(), c.args.begin(), c.args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The inherited environment plus the component's own variables (which win).
  std::vector<std::string> envStrings;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    bool overridden = false;
    for (const auto& mine : c.env) {
      auto eq = mine.find('=');
      overridden |= kv.size() > eq && kv.substr(0, eq + 1) == std::string_view(mine).substr(0, eq + 1);
    }
    if (!overridden) envStrings.emplace_back(kv);
  }
  envStrings.insert(envStrings.end(), c.env.begin(), c.env.end());
  std::vector<char*> envp;
  for (auto& e : envStrings) envp.push_back(e.data());
  envp.push_back(nullptr);
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);

  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    if (devnull >= 0) ::close(devnull);
    return Error{1, std::string("fork: ") + std::strerror(errno)};
  }
  if (pid == 0) {
    // Own session: a Ctrl-C in the terminal reaches only `up`, which then stops the children in
    // order, gracefully; and a detached topology survives the terminal it was started from.
    ::setsid();
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // A shell starts background jobs with SIGINT ignored, and exec keeps ignored signals
    // ignored: reset them, or the graceful-stop signal we forward would be lost.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execve(argv[0], argv.data(), envp.data());
    const char msg[] = "cdnlab up: exec failed\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  ::close(fd);
  if (devnull >= 0) ::close(devnull);
  return pid;
}

Result<bool> Supervisor::startWave(const std::vector<Component>& wave, std::chrono::milliseconds deadline) {
  size_t first = children_.size();
  for (const auto& c : wave) {
    Child child{c, 0, runDir_ + "/" + c.name + ".log"};
    auto pid = spawn(c, child.logFile);
    if (!pid.ok()) return Error{1, c.name + ": " + pid.error().message};
    child.pid = *pid;
    children_.push_back(std::move(child));
  }
  const auto until = Clock::now() + deadline;
  std::vector<bool> ready(children_.size() - first, false);
  size_t pending = ready.size();
  while (pending > 0) {
    for (size_t i = 0; i < ready.size(); ++i) {
      if (ready[i]) continue;
      Child& ch = children_[first + i];
      if (allReady(readFile(ch.logFile), ch.component.readyNames)) {
        ready[i] = true;
        --pending;
        continue;
      }
      int st = 0;
      if (::waitpid(ch.pid, &st, WNOHANG) == ch.pid) {
        ch.exited = true;
        ch.status = st;
        return Error{1, ch.component.name + " " + describeExit(st) + " before it was ready; its output (" +
                            ch.logFile + "):\n" + tailFile(ch.logFile)};
      }
    }
    if (pending == 0) break;
    if (Clock::now() >= until) {
      for (size_t i = 0; i < ready.size(); ++i)
        if (!ready[i]) {
          const Child& ch = children_[first + i];
          return Error{1, ch.component.name + " not ready after " + std::to_string(deadline.count()) +
                              " ms; its output (" + ch.logFile + "):\n" + tailFile(ch.logFile)};
        }
    }
    // Readiness is a line in a file the child writes: polling every 2 ms costs nothing next to
    // process start-up (tens of ms) and keeps the whole topology's start-up short.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

void Supervisor::pollExits(const std::function<void(const Child&)>& onExit) {
  for (auto& ch : children_) {
    if (ch.exited) continue;
    int st = 0;
    if (::waitpid(ch.pid, &st, WNOHANG) == ch.pid) {
      ch.exited = true;
      ch.status = st;
      if (onExit) onExit(ch);
    }
  }
}

int Supervisor::superviseUntilStop(const std::function<void(const Child&)>& onExit) {
  sigset_t s = supervisorSignals();
  while (true) {
    pollExits(onExit);
    bool anyLive = false;
    for (const auto& ch : children_) anyLive |= !ch.exited;
    if (!anyLive) return 0;
    // A timeout as well as SIGCHLD: a SIGCHLD that arrived before we blocked in here (while
    // reaping) is still pending, but the periodic wake-up makes the loop robust regardless.
    timespec timeout{1, 0};
    int sig = ::sigtimedwait(&s, nullptr, &timeout);
    if (sig == SIGINT || sig == SIGTERM) return sig;
  }
}

void Supervisor::stopAll(std::chrono::milliseconds grace) {
  // Edges and the router first (reverse start order), so nothing is asked to reach an upstream
  // that is already gone while it drains.
  for (auto it = children_.rbegin(); it != children_.rend(); ++it)
    if (!it->exited) ::kill(it->pid, SIGTERM);
  const auto until = Clock::now() + grace;
  while (true) {
    pollExits(nullptr);
    bool anyLive = false;
    for (const auto& ch : children_) anyLive |= !ch.exited;
    if (!anyLive) return;
    if (Clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& ch : children_)
    if (!ch.exited) {
      ::kill(ch.pid, SIGKILL);
      ::waitpid(ch.pid, &ch.status, 0);
      ch.exited = true;
    }
}

Supervisor::~Supervisor() {
  if (!released_) stopAll(std::chrono::milliseconds(5000));
}

namespace {

// True until the process has really ended (reaped, a zombie, or no /proc entry). A process in
// its last steps of exit has already dropped its memory - /proc/<pid>/cmdline reads empty - but
// still holds its sockets and files: it is not gone yet, so `down` must not return on it.
bool stillExiting(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return false;
  const auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return false;
  const char state = stat[close + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace

int terminateAndWait(const std::vector<StateEntry>& entries, std::chrono::milliseconds grace) {
  // Gone = reaped (our own child, e.g. in `cdnlab demo`), a zombie, or no longer the component
  // we started: /proc/<pid>/cmdline is checked before every signal, so a PID the kernel has
  // handed to another process in the meantime is never signalled.
  auto reaped = [](const StateEntry& e) {
    int st = 0;
    return ::waitpid(e.pid, &st, WNOHANG) == e.pid;
  };
  auto alive = [&](const StateEntry& e) { return !reaped(e) && isStillComponent(e); };
  // What is ours to wait for: the components that were running when `down` started. One of
  // them whose command line has gone empty is exiting; wait until it has ended.
  std::vector<StateEntry> ours;
  for (const auto& e : entries)
    if (alive(e)) ours.push_back(e);
  auto running = [&](const StateEntry& e) {
    if (reaped(e)) return false;
    if (isStillComponent(e)) return true;
    return processArgs(e.pid).empty() && stillExiting(e.pid);
  };
  auto waitUntilGone = [&](Clock::time_point until) {
    while (true) {
      int live = 0;
      for (const auto& e : ours) live += running(e) ? 1 : 0;
      if (live == 0 || Clock::now() >= until) return live;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  for (const auto& e : ours) ::kill(e.pid, SIGTERM);
  if (waitUntilGone(Clock::now() + grace) == 0) return 0;
  int left = 0;
  for (const auto& e : ours)
    if (alive(e)) {
      ::kill(e.pid, SIGKILL);
      ++left;
    }
  // SIGKILL is delivered asynchronously: the process still holds its listening sockets until
  // the kernel has torn it down.
  waitUntilGone(Clock::now() + std::chrono::seconds(5));
  return left;
}

}  // namespace cdnlab::bench::run

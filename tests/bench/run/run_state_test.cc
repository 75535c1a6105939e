// bench/run/run_state: the state file `cdnlab down` reads, and the PID checks that keep `down`
// from signalling a process that is not the component `up` started.
#include "bench/run/run_state.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "bench/run/supervisor.h"

namespace cdnlab::bench::run {
namespace {

RunState sample() {
  RunState s;
  s.topology = "/home/u/topo.yaml";
  s.supervisor = 0;
  s.components = {{"origin", "origin", 101, "127.0.2.1:9000", ""},
                  {"fra", "pop", 102, "127.0.3.2:8080", "127.0.3.2:9080"},
                  {"router", "router", 103, "127.0.1.1:8000", ""}};
  return s;
}

TEST(RunState, FormatParseRoundTrip) {
  RunState s = sample();
  auto back = parseState(formatState(s));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->topology, s.topology);
  EXPECT_EQ(back->supervisor, 0);
  ASSERT_EQ(back->components.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back->components[i].name, s.components[i].name);
    EXPECT_EQ(back->components[i].kind, s.components[i].kind);
    EXPECT_EQ(back->components[i].pid, s.components[i].pid);
    EXPECT_EQ(back->components[i].address, s.components[i].address);
    EXPECT_EQ(back->components[i].admin, s.components[i].admin);
  }
}

TEST(RunState, FileRoundTripAndMissingFile) {
  auto dir = std::filesystem::temp_directory_path() / ("cdnlab-state-test-" + std::to_string(::getpid()));
  ASSERT_TRUE(makeRunDirectory(dir.string()).ok());
  RunState s = sample();
  s.supervisor = 4242;
  const std::string path = (dir / "state").string();
  ASSERT_TRUE(writeStateFile(path, s).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  auto back = readStateFile(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->supervisor, 4242);
  EXPECT_EQ(back->components.size(), 3u);
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(readStateFile(path).ok());
}

TEST(RunState, RejectsDamagedFiles) {
  EXPECT_FALSE(parseState("component\tfra\tpop\tnot-a-pid\t127.0.3.2:8080\t\n").ok());
  EXPECT_FALSE(parseState("component\tfra\tpop\t-5\t127.0.3.2:8080\t\n").ok());
  EXPECT_FALSE(parseState("component\tfra\tpop\t0\t127.0.3.2:8080\t\n").ok());  // never kill(0, ...)
  EXPECT_FALSE(parseState("component\tfra\tpop\t12\n").ok());
  EXPECT_FALSE(parseState("rm -rf /\n").ok());
  EXPECT_TRUE(parseState("# only a comment\n\n").ok());
}

TEST(RunState, RunKeyIsTheFullPathNotTheName) {
  EXPECT_EQ(runKey(""), "default");
  const std::string a = runKey("/tmp/a/small.yaml"), b = runKey("/tmp/b/small.yaml");
  EXPECT_NE(a, b);  // same name, different files: two runs
  EXPECT_EQ(a.rfind("small-", 0), 0u) << a;
  EXPECT_EQ(a.size(), std::string("small-").size() + 16);
  EXPECT_EQ(runKey("/tmp/a/../a/small.yaml"), a);  // the same file, however it is spelled
  EXPECT_EQ(runKey("/tmp/a/small.yaml"), a);       // stable
}

TEST(RunState, RunDirectoryAndName) {
  EXPECT_EQ(topologyName(""), "default");
  EXPECT_EQ(topologyName("configs/small.yaml"), "small");
  const char* old = std::getenv("XDG_RUNTIME_DIR");
  std::string saved = old ? old : "";
  ::setenv("XDG_RUNTIME_DIR", "/run/user/7", 1);
  EXPECT_EQ(runDirectory("small"), "/run/user/7/cdnlab/small");
  ::unsetenv("XDG_RUNTIME_DIR");
  EXPECT_EQ(runDirectory("small"), "/tmp/cdnlab-" + std::to_string(::getuid()) + "/small");
  if (old) ::setenv("XDG_RUNTIME_DIR", saved.c_str(), 1);
}

TEST(RunState, ComponentProcessMatchesNameSubcommandAndAddress) {
  const std::vector<std::string> pop = {"/opt/x/build/cdnlab", "pop", "--id", "fra", "--listen", "127.0.3.2:8080"};
  EXPECT_TRUE(isComponentProcess(pop, "pop", "127.0.3.2:8080"));
  EXPECT_FALSE(isComponentProcess(pop, "pop", "127.0.3.3:8080"));   // another PoP
  EXPECT_FALSE(isComponentProcess(pop, "origin", "127.0.3.2:8080"));
  EXPECT_FALSE(isComponentProcess({"/usr/bin/sleep", "pop", "--listen", "127.0.3.2:8080"}, "pop", "127.0.3.2:8080"));
  EXPECT_FALSE(isComponentProcess({"/usr/bin/cdnlab-other", "pop", "--listen", "127.0.3.2:8080"}, "pop",
                                  "127.0.3.2:8080"));
  EXPECT_FALSE(isComponentProcess({}, "pop", "127.0.3.2:8080"));
  EXPECT_TRUE(isSupervisorProcess({"./cdnlab", "up", "t.yaml"}));
  EXPECT_FALSE(isSupervisorProcess({"./cdnlab", "pop"}));
}

// A PID in the state file that now belongs to some other program (here: a `sleep` we start) is
// neither counted as alive nor signalled by terminateAndWait.
TEST(RunState, RefusesToKillAPidWhoseCmdlineIsNotCdnlab) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until exec has replaced our image, so /proc shows sleep's cmdline.
  for (int i = 0; i < 500; ++i) {
    auto args = processArgs(pid);
    if (!args.empty() && args[0] == "sleep") break;
    ::usleep(2000);
  }
  ASSERT_EQ(processArgs(pid).at(0), "sleep");
  StateEntry e{"fra", "pop", pid, "127.0.3.2:8080", ""};
  EXPECT_FALSE(isStillComponent(e));
  terminateAndWait({e}, std::chrono::milliseconds(100));
  int st = 0;
  EXPECT_EQ(::waitpid(pid, &st, WNOHANG), 0) << "sleep was signalled";
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &st, 0);
}

}  // namespace
}  // namespace cdnlab::bench::run

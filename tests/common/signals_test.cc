// Readiness line and stop-signal waiting.
#include "common/signals.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

namespace cdnlab {
namespace {

TEST(Signals, AnnounceListeningPrintsTheReadinessLine) {
  ::testing::internal::CaptureStdout();
  announceListening("http", "127.0.0.1", 8080);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "listening http http://127.0.0.1:8080\n");
}

TEST(Signals, WaitReturnsOnSigtermAndRunsStop) {
  sigset_t old;
  pthread_sigmask(SIG_SETMASK, nullptr, &old);
  blockStopSignals();
  // Delivered while blocked: stays pending until sigwait takes it.
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  bool stopped = false;
  EXPECT_EQ(runUntilStopSignal([&] { stopped = true; }), 0);
  EXPECT_TRUE(stopped);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

}  // namespace
}  // namespace cdnlab

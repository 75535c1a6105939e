// Acceptor: out of descriptors, the accept loop rests instead of spinning, and resumes.
#include "common/http/acceptor.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace cdnlab::http {
namespace {

// A listening socket on an ephemeral loopback port with one connection waiting in its backlog,
// so that the acceptor's poll reports it readable.
struct PendingListener {
  int listenFd = -1;
  int clientFd = -1;
  PendingListener() {
    listenFd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(bind(listenFd, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(listen(listenFd, 16), 0);
    getsockname(listenFd, reinterpret_cast<sockaddr*>(&a), &len);
    clientFd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_EQ(connect(clientFd, reinterpret_cast<sockaddr*>(&a), len), 0);
  }
  ~PendingListener() { ::close(clientFd); }
};

// Runs the loop until `ms` have passed.
void runFor(uv_loop_t* loop, uint64_t ms) {
  uv_timer_t t;
  uv_timer_init(loop, &t);
  t.data = loop;
  uv_timer_start(&t, [](uv_timer_t* h) { uv_stop(static_cast<uv_loop_t*>(h->data)); }, ms, 0);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&t), nullptr);
  uv_run(loop, UV_RUN_NOWAIT);
}

TEST(AcceptorTest, EmfilePausesInsteadOfSpinning) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  ServerStats stats;
  PendingListener l;
  int calls = 0;
  Acceptor acc(&loop, stats, [](int fd) { ::close(fd); }, [&](int) {
    ++calls;
    return -EMFILE;  // the connection stays in the backlog: the socket is readable all along
  });
  ASSERT_TRUE(acc.start(l.listenFd).ok());
  runFor(&loop, 1000);
  // A spinning loop calls accept hundreds of thousands of times a second; one that rests for
  // kPauseMs between tries calls it about ten times, and at least twice (it does retry).
  EXPECT_GE(calls, 2);
  EXPECT_LE(calls, 20);
  EXPECT_EQ(stats.acceptErrorsEmfile.load(), static_cast<uint64_t>(calls));
  EXPECT_EQ(stats.acceptPauses.load(), static_cast<uint64_t>(calls));
  EXPECT_TRUE(acc.paused());
  acc.close();
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

TEST(AcceptorTest, EnfileAndOtherErrorsPauseToo) {
  for (int err : {ENFILE, ENOBUFS}) {
    uv_loop_t loop;
    uv_loop_init(&loop);
    ServerStats stats;
    PendingListener l;
    Acceptor acc(&loop, stats, [](int fd) { ::close(fd); }, [&](int) { return -err; });
    ASSERT_TRUE(acc.start(l.listenFd).ok());
    uv_run(&loop, UV_RUN_NOWAIT);
    EXPECT_TRUE(acc.paused());
    EXPECT_EQ(stats.acceptErrorsEnfile.load(), err == ENFILE ? 1u : 0u);
    EXPECT_EQ(stats.acceptErrorsOther.load(), err == ENFILE ? 0u : 1u);
    acc.close();
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop), 0);
  }
}

TEST(AcceptorTest, ResumeAfterAFreedDescriptorAcceptsTheWaitingConnection) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  ServerStats stats;
  PendingListener l;
  bool exhausted = true;
  std::vector<int> accepted;
  Acceptor acc(&loop, stats, [&](int fd) { accepted.push_back(fd); }, [&](int fd) {
    return exhausted ? -EMFILE : Acceptor::systemAccept(fd);
  });
  ASSERT_TRUE(acc.start(l.listenFd).ok());
  uv_run(&loop, UV_RUN_NOWAIT);
  ASSERT_TRUE(acc.paused());
  EXPECT_TRUE(accepted.empty());
  exhausted = false;
  acc.resume();  // what the worker does when one of its connections closes
  EXPECT_FALSE(acc.paused());
  for (int i = 0; i < 100 && accepted.empty(); ++i) uv_run(&loop, UV_RUN_ONCE);
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_FALSE(acc.paused());  // EAGAIN after the one connection is no error
  EXPECT_EQ(stats.acceptErrorsEmfile.load(), 1u);
  for (int fd : accepted) ::close(fd);
  acc.close();
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

TEST(AcceptorTest, ConnectionAbortedIsSkippedNotCounted) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  ServerStats stats;
  PendingListener l;
  int calls = 0;
  std::vector<int> accepted;
  Acceptor acc(&loop, stats, [&](int fd) { accepted.push_back(fd); }, [&](int fd) {
    return ++calls == 1 ? -ECONNABORTED : Acceptor::systemAccept(fd);
  });
  ASSERT_TRUE(acc.start(l.listenFd).ok());
  for (int i = 0; i < 100 && accepted.empty(); ++i) uv_run(&loop, UV_RUN_ONCE);
  EXPECT_EQ(accepted.size(), 1u);
  EXPECT_FALSE(acc.paused());
  EXPECT_EQ(stats.acceptErrorsOther.load(), 0u);
  for (int fd : accepted) ::close(fd);
  acc.close();
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace cdnlab::http

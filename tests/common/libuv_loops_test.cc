// Loops on several threads, each opening and closing its own descriptors, as `cdnlab load`'s
// scrapers and every server's HTTP workers do. Under ThreadSanitizer this is the regression test
// for cmake/tsan/libuv_close_hook.cc: without it TSan never sees libuv's closes and reports a
// race on every descriptor number the kernel reuses on another thread (the test binary halts).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <array>
#include <thread>

namespace cdnlab {
namespace {

struct LoopRound {
  int initRc = -1;
  int connectStatus = 1;
  int closeRc = -1;
};

// One loop's life: init (an epoll descriptor and the signal pipe), connect a TCP client to the
// listener (a socket), close it, run the loop to the end and close it (every descriptor freed).
LoopRound oneLoop(const sockaddr_in& listener) {
  LoopRound round;
  uv_loop_t loop;
  round.initRc = uv_loop_init(&loop);
  if (round.initRc != 0) return round;
  uv_tcp_t client;
  uv_tcp_init(&loop, &client);
  uv_connect_t connect;
  connect.data = &round;
  uv_tcp_connect(&connect, &client, reinterpret_cast<const sockaddr*>(&listener), [](uv_connect_t* req, int status) {
    static_cast<LoopRound*>(req->data)->connectStatus = status;
    uv_close(reinterpret_cast<uv_handle_t*>(req->handle), nullptr);
  });
  uv_run(&loop, UV_RUN_DEFAULT);
  round.closeRc = uv_loop_close(&loop);
  return round;
}

TEST(LibuvLoops, TwoThreadsOpenAndCloseTheirOwnLoopsManyTimes) {
  // A listener the clients connect to; the kernel completes the handshakes into its backlog.
  const int listenFd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listenFd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listenFd, 1024), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(listenFd, reinterpret_cast<sockaddr*>(&addr), &len), 0);

  constexpr int kRounds = 150;  // per thread; enough for descriptor numbers to cross threads
  std::array<int, 2> connected{};
  std::array<int, 2> closedCleanly{};
  auto run = [&](int thread) {
    for (int i = 0; i < kRounds; ++i) {
      const LoopRound r = oneLoop(addr);
      if (r.initRc == 0 && r.connectStatus == 0) ++connected[thread];
      if (r.closeRc == 0) ++closedCleanly[thread];
    }
  };
  std::thread other(run, 1);
  run(0);
  other.join();
  close(listenFd);
  for (int t = 0; t < 2; ++t) {
    EXPECT_EQ(connected[t], kRounds) << "thread " << t;
    EXPECT_EQ(closedCleanly[t], kRounds) << "thread " << t;
  }
}

}  // namespace
}  // namespace cdnlab

// The health checker on a real libuv loop: TCP-mode checks against a listening socket and a
// closed port, and the loop closes with no handle left behind.
#include "geo/health_checker.h"

#include <gtest/gtest.h>
#include <uv.h>

#include "geo/topology.h"

namespace cdnlab::geo {
namespace {

std::string topologyWith(int upPort, const char* mode) {
  return std::string(R"(
router:
  health_check: {mode: )") + mode + R"(, interval: 50ms, timeout: 40ms}
origin: {city: A, lat: 0, lon: 0, address: 127.0.2.1:9000, catalog: c.yaml}
pops:
  - {id: up, city: A, lat: 0, lon: 0, address: 127.0.0.1:)" + std::to_string(upPort) + R"(, upstream: origin, capacity: 1MiB}
  - {id: down, city: B, lat: 1, lon: 1, address: 127.0.3.9:1, upstream: origin, capacity: 1MiB}
regions:
  - {name: r, city: A, lat: 0, lon: 0, block: 127.10.0.0/16, share: 1}
)";
}

struct Listener {
  uv_tcp_t tcp;
  int port = 0;
  explicit Listener(uv_loop_t* loop) {
    uv_tcp_init(loop, &tcp);
    sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", 0, &addr);
    EXPECT_EQ(uv_tcp_bind(&tcp, reinterpret_cast<const sockaddr*>(&addr), 0), 0);
    EXPECT_EQ(uv_listen(reinterpret_cast<uv_stream_t*>(&tcp), 16,
                        [](uv_stream_t* server, int status) {
                          if (status < 0) return;
                          auto* c = new uv_tcp_t;
                          uv_tcp_init(server->loop, c);
                          if (uv_accept(server, reinterpret_cast<uv_stream_t*>(c)) == 0) {
                            // An HTTP-ish answer for http mode; tcp mode only needs the accept.
                            static const char kOk[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
                            auto* w = new uv_write_t;
                            uv_buf_t b = uv_buf_init(const_cast<char*>(kOk), sizeof kOk - 1);
                            w->data = c;
                            uv_write(w, reinterpret_cast<uv_stream_t*>(c), &b, 1, [](uv_write_t* req, int) {
                              uv_close(static_cast<uv_handle_t*>(req->data), [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
                              delete req;
                            });
                          } else {
                            uv_close(reinterpret_cast<uv_handle_t*>(c), [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
                          }
                        }),
              0);
    sockaddr_storage ss;
    int len = sizeof ss;
    uv_tcp_getsockname(&tcp, reinterpret_cast<sockaddr*>(&ss), &len);
    port = ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  }
};

void runChecks(const char* mode) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  Listener listener(&loop);
  auto topo = loadTopologyString(topologyWith(listener.port, mode), "hc.yaml");
  ASSERT_TRUE(topo.ok()) << config::formatErrors(topo.errors());
  RouterCore core(*topo, {});
  int changes = 0;
  auto checker = std::make_unique<HealthChecker>(&loop, core, [&](size_t) { ++changes; });
  checker->start();

  // Run until both PoPs have been checked at least twice, bounded by 5 s: a 10 ms ticker stops
  // uv_run so the loop below can look at the results.
  uv_timer_t ticker;
  uv_timer_init(&loop, &ticker);
  uv_timer_start(&ticker, [](uv_timer_t* t) { uv_stop(t->loop); }, 10, 10);
  const uint64_t startMs = uv_now(&loop);
  auto done = [&] {
    for (const auto& p : core.pops())
      if (p.checks < 2) return false;
    return true;
  };
  while (!done() && uv_now(&loop) - startMs < 5000) uv_run(&loop, UV_RUN_DEFAULT);

  const auto& pops = core.pops();
  ASSERT_EQ(pops.size(), 2u);
  EXPECT_TRUE(pops[0].healthy) << pops[0].lastError;
  EXPECT_GE(pops[0].checks, 2u);
  EXPECT_EQ(pops[0].failedChecks, 0u) << pops[0].lastError;
  EXPECT_FALSE(pops[1].healthy);
  EXPECT_GE(pops[1].failedChecks, 1u);
  EXPECT_FALSE(pops[1].lastError.empty());
  EXPECT_EQ(changes, 1);  // only "down" flipped

  // Close everything; the loop must end with no handle left (libuv's own test discipline).
  checker.reset();  // closes its timer and HTTP client; their handles finish on the loop
  uv_close(reinterpret_cast<uv_handle_t*>(&ticker), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&listener.tcp), nullptr);
  for (int i = 0; i < 100 && uv_run(&loop, UV_RUN_NOWAIT) != 0; ++i) {
  }
  EXPECT_EQ(uv_loop_close(&loop), 0) << "handles left open";
}

TEST(HealthChecker, TcpMode) { runChecks("tcp"); }
TEST(HealthChecker, HttpMode) { runChecks("http"); }

}  // namespace
}  // namespace cdnlab::geo

// HttpServer on real loopback sockets: keep-alive, pipelining, chunked bodies, HEAD, 100-continue,
// limits and smuggling answers, timeouts, backpressure, zero-copy bodies, graceful stop.
#include "common/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "tests/common/http/raw_client.h"

namespace cdnlab::http {
namespace {

using testing::RawClient;

// Answers `ctx` after `ms` milliseconds from a timer on its loop (an async handler).
void respondLater(const RequestContextPtr& ctx, uint64_t ms, Response r) {
  struct Later {
    uv_timer_t timer;
    RequestContextPtr ctx;
    Response response;
  };
  auto* l = new Later{{}, ctx, std::move(r)};
  uv_timer_init(ctx->loop(), &l->timer);
  l->timer.data = l;
  uv_timer_start(
      &l->timer,
      [](uv_timer_t* t) {
        auto* l = static_cast<Later*>(t->data);
        l->ctx->respond(std::move(l->response));
        uv_close(reinterpret_cast<uv_handle_t*>(t), [](uv_handle_t* h) { delete static_cast<Later*>(h->data); });
      },
      ms, 0);
}

// The default test handler: /echo echoes the body, /slow/<ms> answers later, anything else
// answers its method and path.
void testHandler(const RequestContextPtr& ctx) {
  const Request& req = ctx->request();
  if (req.path == "/echo") {
    Response r(200, req.body);
    r.headers.add("X-Method", req.method);
    ctx->respond(std::move(r));
  } else if (req.path.rfind("/slow/", 0) == 0) {
    uint64_t ms = std::stoull(req.path.substr(6));
    respondLater(ctx, ms, Response(200, req.path));
  } else {
    ctx->respond(Response(200, req.method + " " + req.target));
  }
}

double secondsSince(std::chrono::steady_clock::time_point begin) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

// How long the server takes to close `c` from now (a failure when it is still open after 3 s).
double secondsUntilClosed(RawClient& c) {
  auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.waitClosed(3000));
  return secondsSince(begin);
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions opt = {}, Handler h = testHandler) {
    if (opt.workers == 0) opt.workers = 2;
    server_ = std::make_unique<HttpServer>(opt, std::move(h));
    Result<int> port = server_->start();
    ASSERT_TRUE(port.ok()) << port.error().message;
    port_ = *port;
  }
  void TearDown() override {
    if (server_) server_->stop(1000);
  }
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(ServerTest, AnswersWithDateServerAndLength) {
  start();
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET /hello?x=1 HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "GET /hello?x=1");
  EXPECT_EQ(r->headers.get("content-length"), "14");
  EXPECT_TRUE(r->headers.has("date"));
  EXPECT_TRUE(parseHttpDate(*r->headers.get("date")));
  EXPECT_EQ(r->headers.get("server"), "cdnlab/0.1.0");
  EXPECT_FALSE(r->headers.has("connection"));
}

TEST_F(ServerTest, KeepAliveReusesOneConnection) {
  start();
  RawClient c(port_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c.send("GET /n" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.readResponse();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "GET /n" + std::to_string(i));
  }
  EXPECT_EQ(server_->stats().accepted.load(), 1u);
  EXPECT_EQ(server_->stats().requests.load(), 5u);
}

TEST_F(ServerTest, Http10KeepAliveOnlyWhenAsked) {
  start();
  {
    RawClient c(port_);
    ASSERT_TRUE(c.send("GET /a HTTP/1.0\r\n\r\n"));
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->headers.get("connection"), "close");
    EXPECT_TRUE(c.waitClosed());
  }
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers.get("connection"), "keep-alive");
  ASSERT_TRUE(c.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /b");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  start();
  RawClient c(port_);
  // The second request comes after "Connection: close" and must not be answered.
  ASSERT_TRUE(c.send("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /a");
  EXPECT_EQ(r->headers.get("connection"), "close");
  EXPECT_TRUE(c.waitClosed());
  EXPECT_FALSE(c.readResponse(200));
}

TEST_F(ServerTest, PipelinedResponsesInRequestOrder) {
  start();
  RawClient c(port_);
  // The first request is answered last (after 100 ms), the others at once.
  ASSERT_TRUE(c.send("GET /slow/100 HTTP/1.1\r\nHost: t\r\n\r\n"
                     "GET /slow/10 HTTP/1.1\r\nHost: t\r\n\r\n"
                     "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
                     "GET /last HTTP/1.1\r\nHost: t\r\n\r\n"));
  const char* expected[] = {"/slow/100", "/slow/10", "abc", "GET /last"};
  for (const char* e : expected) {
    auto r = c.readResponse();
    ASSERT_TRUE(r) << e;
    EXPECT_EQ(r->body, e);
  }
}

TEST_F(ServerTest, ChunkedRequestBodyIsDecoded) {
  start();
  RawClient c(port_);
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "Wikipedia");
}

void streamingHandler(const RequestContextPtr& ctx) {
  Response head(200, "");
  ctx->streamStart(std::move(head));
  ctx->streamWrite(Buffer::copyOf("hello "));
  ctx->streamWrite(Buffer::copyOf("streamed "));
  ctx->streamWrite(Buffer::copyOf("world"));
  ctx->streamEnd();
}

TEST_F(ServerTest, UnknownLengthIsChunkedFor11AndCloseDelimitedFor10) {
  start({}, streamingHandler);
  {
    RawClient c(port_);
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(c.readUntil("0\r\n\r\n"));
    EXPECT_NE(c.buffered().find("Transfer-Encoding: chunked\r\n"), std::string::npos);
    EXPECT_EQ(c.buffered().find("Content-Length"), std::string::npos);
    EXPECT_NE(c.buffered().find("\r\n6\r\nhello \r\n"), std::string::npos);
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "hello streamed world");
  }
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello streamed world");
  EXPECT_EQ(r->headers.get("connection"), "close");
  EXPECT_FALSE(r->headers.has("transfer-encoding"));
}

TEST_F(ServerTest, HeadHasLengthButNoBody) {
  start();
  RawClient c(port_);
  ASSERT_TRUE(c.send("HEAD /thing HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = c.readResponse(5000, /*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers.get("content-length"), "11");  // length of "HEAD /thing"
  EXPECT_TRUE(r->body.empty());
  // No stray body bytes: the next response parses cleanly.
  ASSERT_TRUE(c.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n"));
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /next");
}

TEST_F(ServerTest, ExpectContinue) {
  start();
  RawClient c(port_);
  ASSERT_TRUE(c.send("PUT /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n"));
  ASSERT_TRUE(c.readUntil("\r\n\r\n"));
  EXPECT_EQ(c.buffered(), "HTTP/1.1 100 Continue\r\n\r\n");
  c.consume(c.buffered().size());
  ASSERT_TRUE(c.send("payload"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "payload");

  RawClient d(port_);
  ASSERT_TRUE(d.send("PUT /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\nExpect: telepathy\r\n\r\n"));
  r = d.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 417);
  EXPECT_TRUE(d.waitClosed());
}

// Each malformed or oversized request gets its status, a short reason, Connection: close, and
// the connection closes; the server keeps serving the next client.
TEST_F(ServerTest, LimitsAndSmugglingAreAnsweredAndClosed) {
  ServerOptions opt;
  opt.limits.maxBodyBytes = 1000;
  start(opt);
  struct Case {
    std::string request;
    int status;
  };
  std::string manyHeaders = "GET / HTTP/1.1\r\nHost: t\r\n";
  for (int i = 0; i < 120; ++i) manyHeaders += "X-" + std::to_string(i) + ": v\r\n";
  std::vector<Case> cases = {
      {"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(40 * 1024, 'a') + "\r\n\r\n", 431},
      {manyHeaders + "\r\n", 431},
      {"GET /" + std::string(9000, 'u') + " HTTP/1.1\r\nHost: t\r\n\r\n", 414},
      // 413 from Content-Length alone: the body is never sent.
      {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n", 413},
      {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
      {"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked, identity\r\n\r\n", 400},
      {"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: t\r\nX-Fold: a\r\n b\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: t\r\nBad Name: v\r\n\r\n", 400},
      {"NOT-HTTP\r\n\r\n", 400},
  };
  for (const Case& k : cases) {
    RawClient c(port_);
    ASSERT_TRUE(c.send(k.request));
    auto r = c.readResponse();
    ASSERT_TRUE(r) << k.request.substr(0, 60);
    EXPECT_EQ(r->status, k.status) << k.request.substr(0, 60);
    EXPECT_EQ(r->headers.get("connection"), "close");
    EXPECT_FALSE(r->body.empty());
    EXPECT_TRUE(c.waitClosed()) << k.request.substr(0, 60);
  }
  // Still serving.
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server_->stats().parseErrors.load(), cases.size());
}

TEST_F(ServerTest, ErrorAfterPipelinedRequestsKeepsOrder) {
  start();
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET /slow/50 HTTP/1.1\r\nHost: t\r\n\r\nGARBAGE\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "/slow/50");
  r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(c.waitClosed());
}

TEST_F(ServerTest, SlowlorisIsCutAtTheHeaderTimeout) {
  ServerOptions opt;
  opt.headerTimeoutMs = 600;
  start(opt);
  RawClient c(port_);
  std::string req = "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  auto begin = std::chrono::steady_clock::now();
  bool cut = false;
  for (char ch : req) {
    if (!c.send(std::string(1, ch))) {
      cut = true;
      break;
    }
    if (c.waitClosed(50)) {
      cut = true;
      break;
    }
  }
  ASSERT_TRUE(cut) << "the trickled request was never cut";
  double secs = secondsSince(begin);
  EXPECT_GE(secs, 0.5);
  EXPECT_LT(secs, 3.0);
  auto r = c.readResponse(1000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_EQ(server_->stats().timeouts.load(), 1u);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions opt;
  opt.idleTimeoutMs = 300;
  start(opt);
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(c.readResponse());
  double secs = secondsUntilClosed(c);
  EXPECT_GE(secs, 0.25);
}

// The idle deadline moves with each request without re-arming the timer (Connection::armTimer):
// requests closer together than the timeout keep the connection, and the close still comes one
// timeout after the last answer.
TEST_F(ServerTest, IdleTimeoutCountsFromTheLastRequest) {
  ServerOptions opt;
  opt.idleTimeoutMs = 400;
  start(opt);
  RawClient c(port_);
  for (int i = 0; i < 4; ++i) {  // 4 x 250 ms: well past one timeout in all
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")) << i;
    ASSERT_TRUE(c.readResponse()) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(c.readResponse());
  double secs = secondsUntilClosed(c);
  EXPECT_GE(secs, 0.35);
}

TEST_F(ServerTest, SilentConnectionGetsTheHeaderTimeout) {
  ServerOptions opt;
  opt.headerTimeoutMs = 300;
  start(opt);
  RawClient c(port_);
  EXPECT_TRUE(c.waitClosed(3000));
  EXPECT_TRUE(c.buffered().empty());  // nothing was asked: nothing is answered
}

// A client that sends many pipelined requests for a large body but reads nothing: the server
// must stop reading it (not buffer every response), and the body Buffer is shared, not copied.
TEST_F(ServerTest, BackpressureStopsReadingAndBodiesAreShared) {
  static Buffer big(std::string(4 << 20, 'x'));
  std::atomic<int> handled{0};
  ServerOptions opt;
  opt.workers = 1;
  opt.writeHighWaterBytes = 256 * 1024;
  start(opt, [&](const RequestContextPtr& ctx) {
    handled++;
    Response r;
    r.body = big;
    ctx->respond(std::move(r));
  });
  RawClient c(port_);
  c.setReceiveBuffer(64 * 1024);
  std::string req = "GET /big HTTP/1.1\r\nHost: t\r\n\r\n";
  std::string many;
  for (int i = 0; i < 30; ++i) many += req;
  ASSERT_TRUE(c.send(many));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // give the server time to (not) run ahead
  EXPECT_LT(handled.load(), 5);
  EXPECT_GE(big.useCount(), 2);  // a pending write holds a reference: no copy was made
  for (int i = 0; i < 30; ++i) {
    auto r = c.readResponse(10000);
    ASSERT_TRUE(r) << i;
    ASSERT_EQ(r->body.size(), big.size());
  }
  EXPECT_EQ(handled.load(), 30);
  c.closeNow();
  server_->stop(1000);
  server_.reset();
  EXPECT_EQ(big.useCount(), 1);  // every write released its reference
}

TEST_F(ServerTest, PreserializedHeaderBlockIsSentVerbatim) {
  static Buffer block(std::string("X-Cached: yes\r\nCache-Control: max-age=60\r\n"));
  start({}, [](const RequestContextPtr& ctx) {
    Response r;
    r.headers.add("X-Dynamic", "1");
    r.headerBlock = block;
    r.body = Buffer::copyOf("body");
    ctx->respond(std::move(r));
  });
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers.get("x-cached"), "yes");
  EXPECT_EQ(r->headers.get("cache-control"), "max-age=60");
  EXPECT_EQ(r->headers.get("x-dynamic"), "1");
  EXPECT_EQ(r->headers.get("content-length"), "4");
  EXPECT_EQ(r->body, "body");
}

TEST_F(ServerTest, HandlerFramingHeadersAreReplaced) {
  start({}, [](const RequestContextPtr& ctx) {
    Response r(200, "abc");
    r.headers.add("Transfer-Encoding", "chunked");
    r.headers.add("Content-Length", "999");
    r.headers.add("Connection", "keep-alive");
    ctx->respond(std::move(r));
  });
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  for (int i = 0; i < 2; ++i) {
    auto r = c.readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "abc");
    EXPECT_EQ(r->headers.get("content-length"), "3");
    EXPECT_FALSE(r->headers.has("transfer-encoding"));
  }
}

TEST_F(ServerTest, LateRespondAfterClientLeftIsSafe) {
  std::mutex mu;
  std::condition_variable cv;
  RequestContextPtr kept;
  start({}, [&](const RequestContextPtr& ctx) {
    std::lock_guard<std::mutex> lock(mu);
    kept = ctx;
    cv.notify_all();
  });
  {
    RawClient c(port_);
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return kept != nullptr; }));
  }  // client closes with the request unanswered
  std::atomic<bool> checked{false};
  std::atomic<bool> wasAlive{true};
  // Respond from the worker's loop once the close has been seen there.
  for (int i = 0; i < 200 && !checked; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server_->post(kept->workerIndex(), [&] {
      if (kept->alive()) return;
      wasAlive = false;
      kept->respond(Response(200, "too late"));  // must be a no-op
      checked = true;
    });
  }
  EXPECT_TRUE(checked.load());
  EXPECT_FALSE(wasAlive.load());
  server_->stop(1000);
  kept.reset();
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequests) {
  start();
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET /slow/300 HTTP/1.1\r\nHost: t\r\n\r\n"));
  // Make sure the request is in flight before stopping.
  for (int i = 0; i < 200 && server_->stats().requests.load() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::thread stopper([&] { server_->stop(5000); });
  auto r = c.readResponse();
  stopper.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "/slow/300");
  EXPECT_EQ(r->headers.get("connection"), "close");
  EXPECT_TRUE(c.waitClosed());
  RawClient after(port_);
  EXPECT_FALSE(after.connected());
}

TEST_F(ServerTest, StopGraceBoundsAHandlerThatNeverAnswers) {
  start({}, [](const RequestContextPtr&) {});
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
  for (int i = 0; i < 200 && server_->stats().requests.load() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto begin = std::chrono::steady_clock::now();
  server_->stop(200);
  double secs = secondsSince(begin);
  EXPECT_LT(secs, 2.0);
  EXPECT_TRUE(c.waitClosed());
}

TEST_F(ServerTest, WorkersShareThePortAndRunHooks) {
  ServerOptions opt;
  opt.workers = 4;
  std::atomic<int> started{0}, stopped{0};
  std::mutex mu;
  std::set<int> seenWorkers;
  server_ = std::make_unique<HttpServer>(opt, [&](const RequestContextPtr& ctx) {
    {
      std::lock_guard<std::mutex> lock(mu);
      seenWorkers.insert(ctx->workerIndex());
    }
    ctx->respond(Response(200, std::to_string(ctx->workerIndex())));
  });
  server_->onWorkerStart([&](const WorkerInfo& w) {
    EXPECT_NE(w.loop, nullptr);
    started++;
  });
  server_->onWorkerStop([&](const WorkerInfo&) { stopped++; });
  Result<int> port = server_->start();
  ASSERT_TRUE(port.ok());
  port_ = *port;
  EXPECT_EQ(server_->workerCount(), 4);
  for (int i = 0; i < 64; ++i) {
    RawClient c(port_);
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(c.readResponse());
  }
  // post() runs on the worker's own thread.
  std::atomic<int> ran{0};
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(server_->post(i, [&] { ran++; }));
  for (int i = 0; i < 200 && ran < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(ran.load(), 4);
  server_->stop(1000);
  EXPECT_EQ(started.load(), 4);
  EXPECT_EQ(stopped.load(), 4);
  EXPECT_GE(seenWorkers.size(), 2u);  // the kernel spread 64 connections over the workers
  EXPECT_FALSE(server_->post(0, [] {}));
}

// Kept-alive connections are spread evenly over the workers whatever the kernel's SO_REUSEPORT
// hash picks (by chance 30 connections split 10/10/10 in under 3 % of runs), and a worker
// whose connections closed gets the next ones.
TEST_F(ServerTest, WorkersServeBalancedShares) {
  ServerOptions opt;
  opt.workers = 3;
  start(opt, [](const RequestContextPtr& ctx) { ctx->respond(Response(200, std::to_string(ctx->workerIndex()))); });
  std::vector<std::unique_ptr<RawClient>> clients;
  std::vector<int> workerOf;
  auto open = [&] {
    auto c = std::make_unique<RawClient>(port_);
    if (!c->send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")) return false;
    auto r = c->readResponse();
    if (!r) return false;
    workerOf.push_back(std::stoi(r->body));
    clients.push_back(std::move(c));
    return true;
  };
  auto shares = [&] {
    std::vector<int> n(3);
    for (size_t i = 0; i < clients.size(); ++i)
      if (clients[i]) ++n[static_cast<size_t>(workerOf[i])];
    return n;
  };
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(open());
  EXPECT_EQ(shares(), (std::vector<int>{10, 10, 10}));
  // Every connection answers on the worker that first served it (one loop per connection).
  for (size_t i = 0; i < clients.size(); ++i) {
    ASSERT_TRUE(clients[i]->send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = clients[i]->readResponse();
    ASSERT_TRUE(r);
    EXPECT_EQ(std::stoi(r->body), workerOf[i]);
  }

  // Worker 1's connections go away; the next six connections all land on it.
  for (size_t i = 0; i < clients.size(); ++i)
    if (workerOf[i] == 1 && clients[i]) clients[i].reset();
  for (int i = 0; i < 400 && server_->stats().openConnections.load() != 20; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(server_->stats().openConnections.load(), 20u);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(open());
  EXPECT_EQ(shares(), (std::vector<int>{10, 6, 10}));
  // Some connections were handed over (the hash alone picking the least loaded worker 36 times
  // in a row is a chance below one in a million).
  EXPECT_GT(server_->stats().connectionsHandedOver.load(), 0u);
}

// Mutated and random requests (seeded, seed printed): every one is answered or the connection
// closed, and the server keeps serving well-formed requests afterwards.
TEST_F(ServerTest, SurvivesMutatedAndRandomInput) {
  start();
  unsigned seed = std::random_device{}();
  printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const std::string valid =
      "POST /echo?q=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello"
      "GET /two HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  for (int i = 0; i < 150; ++i) {
    std::string in = valid;
    if (i % 3 == 0) {
      in.assign(1 + rng() % 300, '\0');
      for (char& ch : in) ch = static_cast<char>(rng());
    } else {
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        size_t at = rng() % in.size();
        switch (rng() % 3) {
          case 0: in[at] = static_cast<char>(rng()); break;
          case 1: in.erase(at, 1 + rng() % 4); break;
          default: in.insert(at, 1, "\r\n: \t0"[rng() % 7]); break;
        }
        if (in.empty()) in = "x";
      }
    }
    RawClient c(port_);
    ASSERT_TRUE(c.connected());
    c.send(in);
    c.shutdownWrite();
    EXPECT_TRUE(c.waitClosed(5000)) << i;  // answered or not, the server ends the connection
  }
  RawClient c(port_);
  ASSERT_TRUE(c.send("GET /alive HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = c.readResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET /alive");
}

TEST(ServerOptionsTest, ListenAddressForms) {
  ServerOptions o;
  EXPECT_TRUE(o.setListen("127.0.0.1:8080").ok());
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 8080);
  EXPECT_TRUE(o.setListen("[::1]:0").ok());
  EXPECT_EQ(o.host, "::1");
  EXPECT_FALSE(o.setListen("127.0.0.1").ok());
  EXPECT_FALSE(o.setListen("127.0.0.1:99999").ok());
  EXPECT_FALSE(o.setListen(":80").ok());
}

TEST(ServerStartTest, BadAddressAndPortInUseAreErrors) {
  ServerOptions o;
  o.host = "not-an-ip";
  o.workers = 1;
  HttpServer bad(o, testHandler);
  EXPECT_FALSE(bad.start().ok());

  // A plain (non-SO_REUSEPORT) socket holding a port makes start() fail cleanly.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ServerOptions taken;
  taken.port = ntohs(a.sin_port);
  taken.workers = 2;
  HttpServer busy(taken, testHandler);
  Result<int> r = busy.start();
  EXPECT_FALSE(r.ok());
  ::close(fd);
}

}  // namespace
}  // namespace cdnlab::http

// HttpClient against real servers on loopback: pooling, timeouts, refused, retry, source address.
#include "common/http/client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "common/http/server.h"

namespace cdnlab::http {
namespace {

// A loop owned by the test thread. The destructor checks that no handle leaked.
class TestLoop {
 public:
  TestLoop() { uv_loop_init(&loop_); }
  ~TestLoop() {
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "a handle leaked";
  }
  uv_loop_t* get() { return &loop_; }
  // Runs until `done` or the deadline (the loop may stay alive with pooled connections).
  template <typename F>
  bool runUntil(F done, int timeoutMs = 5000) {
    uint64_t end = uv_hrtime() + static_cast<uint64_t>(timeoutMs) * 1000000;
    while (!done() && uv_hrtime() < end) uv_run(&loop_, UV_RUN_NOWAIT), usleep(200);
    return done();
  }

 private:
  uv_loop_t loop_;
};

class ClientTest : public ::testing::Test {
 protected:
  void startServer(Handler h, ServerOptions opt = {}) {
    opt.workers = 1;
    server_ = std::make_unique<HttpServer>(opt, std::move(h));
    Result<int> p = server_->start();
    ASSERT_TRUE(p.ok()) << p.error().message;
    port_ = *p;
  }
  void TearDown() override {
    if (server_) server_->stop(1000);
  }
  ClientRequest get(std::string target) {
    ClientRequest r;
    r.host = "127.0.0.1";
    r.port = port_;
    r.target = std::move(target);
    return r;
  }
  // Sends one request and runs the loop until its callback.
  Result<ClientResponse> fetch(TestLoop& loop, HttpClient& client, ClientRequest req) {
    std::optional<Result<ClientResponse>> got;
    client.request(std::move(req), [&](Result<ClientResponse> r) { got.emplace(std::move(r)); });
    EXPECT_TRUE(loop.runUntil([&] { return got.has_value(); }, 10000));
    if (!got) return Error{-1, "no callback"};
    return std::move(*got);
  }
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

void echoHandler(const RequestContextPtr& ctx) {
  const Request& q = ctx->request();
  Response r(200, q.method + " " + q.target + " " + q.body);
  r.headers.add("X-Peer", q.peer);
  r.headers.add("X-Host", q.headers.get("host").value_or(""));
  ctx->respond(std::move(r));
}

TEST_F(ClientTest, GetPostAndHead) {
  startServer(echoHandler);
  TestLoop loop;
  {
    HttpClient client(loop.get());
    auto r = fetch(loop, client, get("/a?b=c"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body.view(), "GET /a?b=c ");
    EXPECT_EQ(r->headers.get("x-host"), "127.0.0.1:" + std::to_string(port_));

    ClientRequest post = get("/p");
    post.method = "POST";
    post.body = Buffer::copyOf("payload");
    r = fetch(loop, client, post);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body.view(), "POST /p payload");

    ClientRequest head = get("/h");
    head.method = "HEAD";
    r = fetch(loop, client, head);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->body.empty());
    EXPECT_EQ(r->headers.get("content-length"), "8");
    // The HEAD response did not desync the pooled connection.
    r = fetch(loop, client, get("/after"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body.view(), "GET /after ");
  }
}

TEST_F(ClientTest, PoolReusesTheConnection) {
  startServer(echoHandler);
  TestLoop loop;
  HttpClient client(loop.get());
  for (int i = 0; i < 5; ++i) {
    auto r = fetch(loop, client, get("/" + std::to_string(i)));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->reusedConnection, i > 0);
  }
  EXPECT_EQ(server_->stats().accepted.load(), 1u);
  EXPECT_EQ(client.idleConnections("127.0.0.1", port_), 1u);
  EXPECT_EQ(client.stats().connectsStarted, 1u);
}

TEST_F(ClientTest, ConcurrentRequestsRespectTheCap) {
  startServer([](const RequestContextPtr& ctx) {
    // Answer after 20 ms so requests overlap.
    auto* t = new uv_timer_t;
    uv_timer_init(ctx->loop(), t);
    t->data = new RequestContextPtr(ctx);
    uv_timer_start(t, [](uv_timer_t* t) {
      auto* c = static_cast<RequestContextPtr*>(t->data);
      (*c)->respond(Response(200, (*c)->request().target));
      delete c;
      uv_close(reinterpret_cast<uv_handle_t*>(t), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    }, 20, 0);
  });
  TestLoop loop;
  ClientOptions opt;
  opt.maxConnectionsPerUpstream = 3;
  HttpClient client(loop.get(), opt);
  int done = 0, ok = 0;
  for (int i = 0; i < 12; ++i) {
    client.request(get("/" + std::to_string(i)), [&, i](Result<ClientResponse> r) {
      done++;
      if (r.ok() && r->body.view() == "/" + std::to_string(i)) ok++;
    });
  }
  ASSERT_TRUE(loop.runUntil([&] { return done == 12; }));
  EXPECT_EQ(ok, 12);
  EXPECT_EQ(server_->stats().accepted.load(), 3u);
}

TEST_F(ClientTest, RefusedIsTyped) {
  // A port that was just free: bind, read the port, close.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  port_ = ntohs(a.sin_port);
  TestLoop loop;
  HttpClient client(loop.get());
  auto r = fetch(loop, client, get("/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, static_cast<int>(ClientError::Refused));
  EXPECT_EQ(gatewayStatusFor(r.error()), 502);
}

TEST_F(ClientTest, ResponseTimeoutIsTyped) {
  std::vector<RequestContextPtr> held;  // never answered (touched only on the server's loop)
  startServer([&](const RequestContextPtr& ctx) { held.push_back(ctx); });
  TestLoop loop;
  ClientOptions opt;
  opt.responseTimeoutMs = 150;
  HttpClient client(loop.get(), opt);
  uint64_t t0 = uv_hrtime();
  auto r = fetch(loop, client, get("/"));
  double ms = static_cast<double>(uv_hrtime() - t0) / 1e6;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, static_cast<int>(ClientError::ResponseTimeout));
  EXPECT_EQ(gatewayStatusFor(r.error()), 504);
  EXPECT_GE(ms, 140);
  EXPECT_LT(ms, 2000);
  server_->stop(100);
  server_.reset();
}

TEST_F(ClientTest, ConnectTimeoutIsTyped) {
  // A listener that never accepts, with its backlog filled: further SYNs are dropped, so a
  // connect neither succeeds nor is refused.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(fd, 0), 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a);
    fillers.push_back(c);
  }
  usleep(50000);
  port_ = ntohs(a.sin_port);
  TestLoop loop;
  ClientOptions opt;
  opt.connectTimeoutMs = 200;
  HttpClient client(loop.get(), opt);
  auto r = fetch(loop, client, get("/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, static_cast<int>(ClientError::ConnectTimeout)) << r.error().message;
  EXPECT_EQ(gatewayStatusFor(r.error()), 504);
  for (int c : fillers) ::close(c);
  ::close(fd);
}

// A raw server that answers the first request on each connection with keep-alive and then,
// when the second request arrives, closes without answering: the race between reusing a
// pooled connection and the server closing it.
class ClosingServer {
 public:
  ClosingServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 16);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~ClosingServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  int port = 0;
  std::atomic<int> accepts{0};

 private:
  void run() {
    while (!stop_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      accepts++;
      std::string in;
      char buf[4096];
      int answered = 0;
      for (;;) {
        ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
        size_t end = in.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        in.erase(0, end + 4);
        if (answered++ == 1) break;  // second request: close without a byte
        const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        send(c, resp, sizeof resp - 1, MSG_NOSIGNAL);
      }
      ::close(c);
    }
  }
  int fd_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(ClientTest, IdempotentRequestIsRetriedOnAFreshConnection) {
  ClosingServer srv;
  port_ = srv.port;
  TestLoop loop;
  HttpClient client(loop.get());
  auto r = fetch(loop, client, get("/1"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->attempts, 1);
  // The pooled connection is reused, the server closes it without answering: retried.
  r = fetch(loop, client, get("/2"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body.view(), "ok");
  EXPECT_EQ(r->attempts, 2);
  EXPECT_FALSE(r->reusedConnection);
  EXPECT_EQ(client.stats().retries, 1u);
  EXPECT_EQ(srv.accepts.load(), 2);
}

TEST_F(ClientTest, NonIdempotentRequestIsNotRetried) {
  ClosingServer srv;
  port_ = srv.port;
  TestLoop loop;
  HttpClient client(loop.get());
  ASSERT_TRUE(fetch(loop, client, get("/1")).ok());
  ClientRequest post = get("/2");
  post.method = "POST";
  post.body = Buffer::copyOf("x");
  auto r = fetch(loop, client, post);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, static_cast<int>(ClientError::Reset));
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST_F(ClientTest, BindsTheSourceAddress) {
  startServer(echoHandler);
  TestLoop loop;
  ClientOptions opt;
  opt.sourceAddress = "127.10.0.5";
  HttpClient client(loop.get(), opt);
  auto r = fetch(loop, client, get("/"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string peer(r->headers.get("x-peer").value_or(""));
  EXPECT_EQ(peer.substr(0, peer.find(':')), "127.10.0.5");
}

TEST_F(ClientTest, ChunkedAndCloseDelimitedResponses) {
  startServer([](const RequestContextPtr& ctx) {
    ctx->streamStart(Response(200, ""));
    ctx->streamWrite(Buffer::copyOf("chunk-one,"));
    ctx->streamWrite(Buffer::copyOf("chunk-two"));
    ctx->streamEnd();
  });
  TestLoop loop;
  HttpClient client(loop.get());
  auto r = fetch(loop, client, get("/"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body.view(), "chunk-one,chunk-two");
  EXPECT_EQ(r->headers.get("transfer-encoding"), "chunked");
}

TEST_F(ClientTest, CloseCancelsPendingAndBadAddressIsDeferred) {
  std::vector<RequestContextPtr> held;
  startServer([&](const RequestContextPtr& ctx) { held.push_back(ctx); });
  TestLoop loop;
  auto client = std::make_unique<HttpClient>(loop.get());
  std::optional<Result<ClientResponse>> a, b;
  client->request(get("/never"), [&](Result<ClientResponse> r) { a.emplace(std::move(r)); });
  ClientRequest bad = get("/");
  bad.host = "not an address";
  client->request(bad, [&](Result<ClientResponse> r) { b.emplace(std::move(r)); });
  EXPECT_FALSE(b.has_value());  // never from inside request()
  ASSERT_TRUE(loop.runUntil([&] { return b.has_value() && server_->stats().requests.load() == 1; }));
  EXPECT_EQ(b->error().code, static_cast<int>(ClientError::BadRequest));
  client.reset();
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->error().code, static_cast<int>(ClientError::Cancelled));
  server_->stop(100);
  server_.reset();
}

TEST_F(ClientTest, TruncatedResponseIsReset) {
  // A raw server: promises 10 bytes, sends 3, closes.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  listen(fd, 4);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  std::thread t([fd] {
    int c = accept(fd, nullptr, nullptr);
    char buf[4096];
    recv(c, buf, sizeof buf, 0);
    const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
    send(c, resp, sizeof resp - 1, MSG_NOSIGNAL);
    ::close(c);
  });
  port_ = ntohs(a.sin_port);
  TestLoop loop;
  HttpClient client(loop.get());
  auto r = fetch(loop, client, get("/"));
  t.join();
  ::close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, static_cast<int>(ClientError::Reset));
}

// A server worker closes its client when it stops, runs its loop to the end and closes it, and
// destroys the client later (with the rest of the server): close() must leave no handle open
// (uv_loop_close would fail and leak the loop) and the destructor must not touch the loop.
TEST(ClientClose, LeavesNoHandleForTheLoopToClose) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  auto client = std::make_unique<HttpClient>(&loop);
  client->close();
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0) << "a handle of the closed client is still open";
  client.reset();
}

}  // namespace
}  // namespace cdnlab::http

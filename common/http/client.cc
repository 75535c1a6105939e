// HttpClient: per-upstream keep-alive pools, timeouts, one safe retry (see client.h).
#include "common/http/client.h"

#include <netinet/in.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <deque>

namespace cdnlab::http {

const char* clientErrorName(ClientError e) {
  switch (e) {
    case ClientError::Refused: return "refused";
    case ClientError::ConnectTimeout: return "connect timeout";
    case ClientError::ResponseTimeout: return "response timeout";
    case ClientError::Reset: return "reset";
    case ClientError::Protocol: return "protocol error";
    case ClientError::Cancelled: return "cancelled";
    case ClientError::BadRequest: return "bad request";
  }
  return "unknown";
}

int gatewayStatusFor(const Error& e) {
  auto c = static_cast<ClientError>(e.code);
  return (c == ClientError::ConnectTimeout || c == ClientError::ResponseTimeout) ? 504 : 502;
}

struct PendingRequest {
  ClientRequest req;
  ClientCallback done;
  int attempts = 0;
  bool needFresh = false;  // a retry: must not reuse a pooled connection
};

struct Upstream {
  std::string host;
  int port = 0;
  sockaddr_storage addr{};
  std::vector<ClientConnection*> all;   // open or connecting
  std::vector<ClientConnection*> idle;  // subset of all, most recently used last
  std::deque<std::unique_ptr<PendingRequest>> queue;
};

// One upstream TCP connection. Deleted only from its last close callback.
class ClientConnection {
 public:
  ClientConnection(HttpClient* client, Upstream* up);
  void connect(std::unique_ptr<PendingRequest> first);
  void send(std::unique_ptr<PendingRequest> p);
  // Closes the connection; a request in progress is failed with `code` unless code is 0 (then
  // it is dropped silently: the caller already took it).
  void close();
  std::unique_ptr<PendingRequest> takeCurrent() { return std::move(current_); }
  bool busy() const { return current_ != nullptr; }
  void detach() { client_ = nullptr; }

 private:
  struct WriteReq {
    uv_write_t req;
    std::string head;
    Buffer body;
  };
  static void onConnect(uv_connect_t* req, int status);
  static void onTimer(uv_timer_t* t);
  static void onAlloc(uv_handle_t* h, size_t, uv_buf_t* buf);
  static void onRead(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
  static void onWrite(uv_write_t* req, int status);
  static void onClosed(uv_handle_t* h);
  void fail(ClientError code, const std::string& message);
  void complete();
  void startTimer(uint64_t ms);

  HttpClient* client_;
  Upstream* up_;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_connect_t connectReq_;
  ResponseParser parser_;
  std::unique_ptr<PendingRequest> current_;
  enum class State { Connecting, Busy, Idle, Closed } state_ = State::Connecting;
  int served_ = 0;          // responses completed on this connection
  bool gotBytes_ = false;   // any byte of the current response arrived
  int openHandles_ = 2;
};

// ---------------------------------------------------------------------------------------------
// ClientConnection

ClientConnection::ClientConnection(HttpClient* client, Upstream* up)
    : client_(client), up_(up), parser_(client->options().limits) {
  uv_tcp_init(client->loop(), &tcp_);
  uv_timer_init(client->loop(), &timer_);
  tcp_.data = this;
  timer_.data = this;
  connectReq_.data = this;
}

void ClientConnection::startTimer(uint64_t ms) { uv_timer_start(&timer_, &ClientConnection::onTimer, ms, 0); }

void ClientConnection::connect(std::unique_ptr<PendingRequest> first) {
  current_ = std::move(first);
  client_->stats_.connectsStarted++;
  const ClientOptions& opt = client_->options();
  int rc = 0;
  if (!opt.sourceAddress.empty()) {
    sockaddr_storage src{};
    if (uv_ip4_addr(opt.sourceAddress.c_str(), 0, reinterpret_cast<sockaddr_in*>(&src)) != 0 &&
        uv_ip6_addr(opt.sourceAddress.c_str(), 0, reinterpret_cast<sockaddr_in6*>(&src)) != 0) {
      rc = UV_EINVAL;
    } else {
      rc = uv_tcp_bind(&tcp_, reinterpret_cast<sockaddr*>(&src), 0);
    }
  }
  if (rc == 0)
    rc = uv_tcp_connect(&connectReq_, &tcp_, reinterpret_cast<sockaddr*>(&up_->addr), &ClientConnection::onConnect);
  if (rc != 0) {
    // The connect callback never fires for a failed call: fail from the next loop turn so the
    // caller of request() is not re-entered.
    std::string msg = std::string("connect: ") + uv_strerror(rc);
    HttpClient* c = client_;
    auto p = std::move(current_);
    Upstream* up = up_;
    close();
    c->defer([c, up, msg, p = std::shared_ptr<PendingRequest>(p.release())]() mutable {
      c->requestFailed(std::unique_ptr<PendingRequest>(new PendingRequest(std::move(*p))), up, ClientError::Refused,
                       msg, false);
    });
    return;
  }
  startTimer(opt.connectTimeoutMs);
}

void ClientConnection::onConnect(uv_connect_t* req, int status) {
  auto* self = static_cast<ClientConnection*>(req->data);
  if (self->state_ == State::Closed) return;
  if (status != 0) {
    self->fail(ClientError::Refused, std::string("connect to ") + self->up_->host + ":" +
                                         std::to_string(self->up_->port) + ": " + uv_strerror(status));
    return;
  }
  uv_tcp_nodelay(&self->tcp_, 1);
  if (uv_read_start(reinterpret_cast<uv_stream_t*>(&self->tcp_), &ClientConnection::onAlloc,
                    &ClientConnection::onRead) != 0) {
    self->fail(ClientError::Reset, "read start failed");
    return;
  }
  self->send(self->takeCurrent());
}

void ClientConnection::send(std::unique_ptr<PendingRequest> p) {
  state_ = State::Busy;
  current_ = std::move(p);
  gotBytes_ = false;
  parser_.next();
  const ClientRequest& req = current_->req;
  parser_.expectNoBody(req.method == "HEAD");
  parser_.onInterim(req.onInterim);
  current_->attempts++;

  auto* wr = new WriteReq{};
  wr->req.data = this;
  std::string& h = wr->head;
  h.reserve(128 + req.target.size() + req.headers.size() * 48);
  h.append(req.method).append(" ").append(req.target).append(" HTTP/1.1\r\n");
  bool hasHost = false;
  for (const Header& f : req.headers) {
    if (equalsIgnoreCase(f.name, "content-length") || equalsIgnoreCase(f.name, "transfer-encoding") ||
        equalsIgnoreCase(f.name, "connection"))
      continue;  // framing and connection management are ours
    if (equalsIgnoreCase(f.name, "host")) hasHost = true;
    h.append(f.name).append(": ").append(f.value).append("\r\n");
  }
  if (!hasHost) h.append("Host: ").append(up_->host).append(":").append(std::to_string(up_->port)).append("\r\n");
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    h.append("Content-Length: ").append(std::to_string(req.body.size())).append("\r\n");
  }
  h.append("\r\n");
  wr->body = req.body;
  uv_buf_t bufs[2];
  unsigned n = 0;
  bufs[n++] = uv_buf_init(wr->head.data(), static_cast<unsigned>(wr->head.size()));
  if (!wr->body.empty()) bufs[n++] = uv_buf_init(const_cast<char*>(wr->body.data()), static_cast<unsigned>(wr->body.size()));
  uint64_t timeout = req.responseTimeoutMs ? req.responseTimeoutMs : client_->options().responseTimeoutMs;
  startTimer(timeout);
  // Try the socket first, as the server's writeRaw does: a request the kernel takes whole needs
  // no write request, and a uv_write costs an epoll_ctl per request on a kept-alive connection.
  auto* stream = reinterpret_cast<uv_stream_t*>(&tcp_);
  if (tcp_.write_queue_size == 0) {
    int sent = uv_try_write(stream, bufs, n);
    if (sent < 0 && sent != UV_EAGAIN) {
      delete wr;
      fail(ClientError::Reset, std::string("write: ") + uv_strerror(sent));
      return;
    }
    size_t skip = sent > 0 ? static_cast<size_t>(sent) : 0;
    unsigned k = 0;
    for (unsigned i = 0; i < n; ++i) {
      if (skip >= bufs[i].len) {
        skip -= bufs[i].len;
        continue;
      }
      bufs[k++] = uv_buf_init(bufs[i].base + skip, static_cast<unsigned>(bufs[i].len - skip));
      skip = 0;
    }
    if (k == 0) {
      delete wr;  // all in the kernel
      return;
    }
    n = k;
  }
  int rc = uv_write(&wr->req, stream, bufs, n, &ClientConnection::onWrite);
  if (rc != 0) {
    delete wr;
    fail(ClientError::Reset, std::string("write: ") + uv_strerror(rc));
  }
}

void ClientConnection::onWrite(uv_write_t* req, int status) {
  auto* wr = reinterpret_cast<WriteReq*>(req);
  auto* self = static_cast<ClientConnection*>(req->data);
  delete wr;
  if (status != 0 && self->state_ != State::Closed) self->fail(ClientError::Reset, std::string("write: ") + uv_strerror(status));
}

void ClientConnection::onAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  auto* self = static_cast<ClientConnection*>(h->data);
  std::string& b = self->client_->readBuf_;
  *buf = uv_buf_init(b.data(), static_cast<unsigned>(b.size()));
}

void ClientConnection::onRead(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<ClientConnection*>(s->data);
  if (self->state_ == State::Closed || nread == 0) return;
  if (nread < 0) {
    if (self->state_ != State::Busy) {
      self->close();  // a pooled connection the server closed
      return;
    }
    if (nread == UV_EOF && self->gotBytes_ && self->parser_.finish() == ParseEvent::Message) {
      self->complete();  // body delimited by the close
      return;
    }
    self->fail(ClientError::Reset, self->gotBytes_ ? "upstream closed mid-response"
                                                   : std::string("upstream closed before responding: ") + uv_strerror(static_cast<int>(nread)));
    return;
  }
  if (self->state_ != State::Busy) {
    self->close();  // bytes nobody asked for: the connection cannot be trusted any more
    return;
  }
  self->gotBytes_ = true;
  ParseResult r = self->parser_.feed(buf->base, static_cast<size_t>(nread));
  if (r.event == ParseEvent::NeedMore) return;
  if (r.event == ParseEvent::Error) {
    self->fail(ClientError::Protocol, "bad response from upstream: " + self->parser_.error().reason);
    return;
  }
  bool reusable = r.consumed == static_cast<size_t>(nread) && self->parser_.response().keepAlive;
  self->complete();
  if (!reusable && self->state_ != State::Closed) self->close();
}

void ClientConnection::complete() {
  uv_timer_stop(&timer_);
  parser_.onInterim({});  // the callback may hold the caller's state: do not keep it while idle
  ParsedResponse& p = parser_.response();
  ClientResponse r;
  r.status = p.status;
  r.reason = std::move(p.reason);
  r.httpMinor = p.httpMinor;
  r.headers = std::move(p.headers);
  r.body = Buffer(std::move(p.body));
  r.reusedConnection = served_ > 0;
  bool keep = p.keepAlive;
  served_++;
  auto pending = std::move(current_);
  r.attempts = pending->attempts;
  HttpClient* c = client_;
  if (keep) {
    state_ = State::Idle;
    startTimer(c->options().idleTimeoutMs);
    c->connectionIdle(this);
  } else {
    close();
  }
  c->requestDone(std::move(pending), std::move(r));
}

void ClientConnection::fail(ClientError code, const std::string& message) {
  auto pending = std::move(current_);
  // Only a request that got no response byte on a connection that had served before is safe to
  // resend (the server may have closed the idle connection just as we reused it).
  bool retryable = pending && !gotBytes_ && served_ > 0 &&
                   (code == ClientError::Reset) && isIdempotentMethod(pending->req.method);
  HttpClient* c = client_;
  Upstream* up = up_;
  close();
  if (pending && c) c->requestFailed(std::move(pending), up, code, message, retryable);
}

void ClientConnection::onTimer(uv_timer_t* t) {
  auto* self = static_cast<ClientConnection*>(t->data);
  switch (self->state_) {
    case State::Connecting: self->fail(ClientError::ConnectTimeout, "connect timeout to " + self->up_->host + ":" + std::to_string(self->up_->port)); break;
    case State::Busy: self->fail(ClientError::ResponseTimeout, "upstream response timeout"); break;
    case State::Idle: self->close(); break;
    case State::Closed: break;
  }
}

void ClientConnection::close() {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  if (client_) client_->connectionGone(this);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), &ClientConnection::onClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &ClientConnection::onClosed);
}

void ClientConnection::onClosed(uv_handle_t* h) {
  auto* self = static_cast<ClientConnection*>(h->data);
  if (--self->openHandles_ == 0) delete self;
}

// ---------------------------------------------------------------------------------------------
// HttpClient

HttpClient::HttpClient(uv_loop_t* loop, ClientOptions options)
    : loop_(loop), options_(std::move(options)), deferTimer_(new uv_timer_t), readBuf_(64 * 1024, '\0') {
  signal(SIGPIPE, SIG_IGN);  // an upstream closing mid-write is an error code, not death
  uv_timer_init(loop_, deferTimer_);
  deferTimer_->data = this;
}

HttpClient::~HttpClient() { close(); }

void HttpClient::close() {
  if (closed_) return;
  closed_ = true;
  std::vector<std::unique_ptr<PendingRequest>> cancelled;
  for (auto& [key, up] : upstreams_) {
    for (ClientConnection* c : up->all) {
      if (auto p = c->takeCurrent()) cancelled.push_back(std::move(p));
      c->detach();
      c->close();
    }
    up->all.clear();
    up->idle.clear();
    for (auto& p : up->queue) cancelled.push_back(std::move(p));
    up->queue.clear();
  }
  uv_timer_stop(deferTimer_);
  auto deferred = std::move(deferred_);
  deferred_.clear();
  // Deferred failures were already decided; run them so their callbacks fire exactly once.
  for (auto& fn : deferred) fn();
  for (auto& p : cancelled) {
    stats_.errors++;
    p->done(Error{static_cast<int>(ClientError::Cancelled), "client closed"});
  }
  // The timer closes here, not in the destructor: an owner that closes the client and then
  // runs its loop to the end (a server worker stopping) must find every handle closed, or
  // uv_loop_close fails and the loop's memory leaks. A closed client never defers again.
  uv_close(reinterpret_cast<uv_handle_t*>(deferTimer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  deferTimer_ = nullptr;
}

Upstream* HttpClient::upstreamFor(const std::string& host, int port) {
  std::string key = host + ":" + std::to_string(port);
  auto it = upstreams_.find(key);
  if (it != upstreams_.end()) return it->second.get();
  auto up = std::make_unique<Upstream>();
  up->host = host;
  up->port = port;
  const char* ip = host == "localhost" ? "127.0.0.1" : host.c_str();
  if (uv_ip4_addr(ip, port, reinterpret_cast<sockaddr_in*>(&up->addr)) != 0 &&
      uv_ip6_addr(ip, port, reinterpret_cast<sockaddr_in6*>(&up->addr)) != 0)
    return nullptr;
  Upstream* raw = up.get();
  upstreams_.emplace(std::move(key), std::move(up));
  return raw;
}

void HttpClient::request(ClientRequest req, ClientCallback done) {
  stats_.requests++;
  if (closed_) {
    stats_.errors++;
    done(Error{static_cast<int>(ClientError::Cancelled), "client closed"});
    return;
  }
  Upstream* up = (req.port > 0 && req.port < 65536) ? upstreamFor(req.host, req.port) : nullptr;
  if (!up) {
    std::string msg = "upstream address must be a numeric IP and a port: " + req.host + ":" + std::to_string(req.port);
    defer([this, done = std::move(done), msg] {
      stats_.errors++;
      done(Error{static_cast<int>(ClientError::BadRequest), msg});
    });
    return;
  }
  auto p = std::make_unique<PendingRequest>();
  p->req = std::move(req);
  p->done = std::move(done);
  up->queue.push_back(std::move(p));
  dispatch(up);
}

void HttpClient::dispatch(Upstream* up) {
  while (!up->queue.empty() && !closed_) {
    PendingRequest& front = *up->queue.front();
    if (!front.needFresh && !up->idle.empty()) {
      ClientConnection* c = up->idle.back();
      up->idle.pop_back();
      stats_.reused++;
      auto p = std::move(up->queue.front());
      up->queue.pop_front();
      c->send(std::move(p));
      continue;
    }
    // A retry may exceed the cap by its one connection: it must not wait behind the queue.
    if (up->all.size() >= options_.maxConnectionsPerUpstream && !front.needFresh) {
      if (up->idle.empty()) break;
      // Only retries need a fresh connection while idle ones exist: make room.
      up->idle.front()->close();
      continue;
    }
    auto p = std::move(up->queue.front());
    up->queue.pop_front();
    auto* c = new ClientConnection(this, up);
    up->all.push_back(c);
    c->connect(std::move(p));
  }
}

void HttpClient::connectionIdle(ClientConnection* c) {
  for (auto& [key, up] : upstreams_) {
    if (std::find(up->all.begin(), up->all.end(), c) != up->all.end()) {
      up->idle.push_back(c);
      dispatch(up.get());
      return;
    }
  }
}

void HttpClient::connectionGone(ClientConnection* c) {
  for (auto& [key, up] : upstreams_) {
    auto it = std::find(up->all.begin(), up->all.end(), c);
    if (it == up->all.end()) continue;
    up->all.erase(it);
    auto jt = std::find(up->idle.begin(), up->idle.end(), c);
    if (jt != up->idle.end()) up->idle.erase(jt);
    // A slot freed up: start a queued request (from the next loop turn, not inside a callback chain).
    if (!up->queue.empty() && !closed_) {
      Upstream* u = up.get();
      defer([this, u] { dispatch(u); });
    }
    return;
  }
}

void HttpClient::requestFailed(std::unique_ptr<PendingRequest> p, Upstream* up, ClientError code, std::string message,
                               bool retryable) {
  if (retryable && options_.retryIdempotent && p->attempts < 2 && !closed_) {
    stats_.retries++;
    p->needFresh = true;
    up->queue.push_front(std::move(p));
    dispatch(up);
    return;
  }
  stats_.errors++;
  p->done(Error{static_cast<int>(code), std::move(message)});
}

void HttpClient::requestDone(std::unique_ptr<PendingRequest> p, ClientResponse r) { p->done(std::move(r)); }

void HttpClient::defer(std::function<void()> fn) {
  deferred_.push_back(std::move(fn));
  if (!closed_) uv_timer_start(deferTimer_, &HttpClient::onDefer, 0, 0);
}

void HttpClient::onDefer(uv_timer_t* t) {
  auto* self = static_cast<HttpClient*>(t->data);
  auto batch = std::move(self->deferred_);
  self->deferred_.clear();
  for (auto& fn : batch) fn();
}

size_t HttpClient::idleConnections(const std::string& host, int port) const {
  auto it = upstreams_.find(host + ":" + std::to_string(port));
  return it == upstreams_.end() ? 0 : it->second->idle.size();
}

}  // namespace cdnlab::http

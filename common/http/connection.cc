// One server connection: read -> parse -> dispatch -> respond in order -> write (see connection.h).
#include "common/http/connection.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

#include "common/http/worker.h"
#include "common/log.h"

namespace cdnlab::http {

namespace {
char kCrlf[] = "\r\n";
char kLastChunk[] = "0\r\n\r\n";
char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
// After we close our side, keep reading (and dropping) for this long so the kernel does not
// answer the client's late bytes with a RST that could destroy the response it has not read.
constexpr uint64_t kLingerMs = 2000;

uv_buf_t bufOf(const char* p, size_t n) { return uv_buf_init(const_cast<char*>(p), static_cast<unsigned>(n)); }

// Fields the server itself decides (framing and connection management): a handler that copies
// an upstream's headers must not smuggle its framing into ours.
bool isServerControlled(std::string_view name) {
  switch (name.size()) {
    case 10: return equalsIgnoreCase(name, "connection") || equalsIgnoreCase(name, "keep-alive");
    case 14: return equalsIgnoreCase(name, "content-length");
    case 17: return equalsIgnoreCase(name, "transfer-encoding");
    default: return false;
  }
}

void appendNumber(std::string& out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// RequestContext

RequestContext::RequestContext(Connection* conn, uv_loop_t* loop, int workerIndex)
    : conn_(conn), loop_(loop), workerIndex_(workerIndex) {}

void RequestContext::respond(Response response) {
  if (!conn_ || answered_) return;
  answered_ = true;
  pending_ = std::move(response);
  pending_.streamed = false;
  conn_->onAnswered();
}

bool RequestContext::takeOver(const std::function<void(TakenSocket)>& onSocket) {
  if (!conn_ || answered_) return false;
  return conn_->takeOver(*this, onSocket);
}

void RequestContext::sendInterim(int status, const Headers& fields) {
  if (!conn_ || answered_ || status < 100 || status > 199 || status == 101 || request_.httpMinor < 1) return;
  conn_->writeInterim(*this, status, fields);
}

void RequestContext::streamStart(Response head) {
  if (!conn_ || answered_) return;
  answered_ = true;
  streaming_ = true;
  pending_ = std::move(head);
  pending_.streamed = true;
  conn_->onAnswered();
}

void RequestContext::streamWrite(Buffer piece) {
  if (!conn_ || !streaming_ || pendingEnd_ || piece.empty()) return;
  pendingPieces_.push_back(std::move(piece));
  conn_->onAnswered();
}

void RequestContext::streamEnd() {
  if (!conn_ || !streaming_ || pendingEnd_) return;
  pendingEnd_ = true;
  conn_->onAnswered();
}

// ---------------------------------------------------------------------------------------------
// Connection: setup and teardown

Connection::Connection(Worker* worker) : worker_(worker), parser_(worker->server()->options().limits) {}

void Connection::open(int fd) {
  uv_tcp_init(worker_->loop(), &tcp_);
  uv_timer_init(worker_->loop(), &timer_);
  tcp_.data = this;
  timer_.data = this;
  shutdown_.data = this;
  openHandles_ = 2;
  worker_->add(this);
  if (uv_tcp_open(&tcp_, fd) != 0) {
    ::close(fd);  // not adopted by the handle
    close();
    return;
  }
  uv_tcp_nodelay(&tcp_, 1);
  if (const auto& tlsContext = worker_->server()->options().tls) {
    tls_ = TlsSession::create(*tlsContext);
    if (!tls_) {
      close();
      return;
    }
  }
  sockaddr_storage ss{};
  int len = sizeof ss;
  if (uv_tcp_getpeername(&tcp_, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
    char ip[64] = {};
    int port = 0;
    if (ss.ss_family == AF_INET) {
      auto* a = reinterpret_cast<sockaddr_in*>(&ss);
      uv_ip4_name(a, ip, sizeof ip);
      port = ntohs(a->sin_port);
    } else {
      auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
      uv_ip6_name(a, ip, sizeof ip);
      port = ntohs(a->sin6_port);
    }
    peer_ = std::string(ip) + ":" + std::to_string(port);
  }
  // Until the first byte, a silent connection gets the header timeout, not the idle one.
  armTimer(TimerMode::FirstByte, worker_->server()->options().headerTimeoutMs);
  updateReading();
}

void Connection::drain() {
  if (closing_) return;
  noMoreRequests_ = true;
  if (pipeline_.empty()) {
    close();
    return;
  }
  updateReading();
}

void Connection::close() {
  if (closing_) return;
  closing_ = true;
  if (tls_ && !eof_ && !shutdownStarted_ && tcp_.write_queue_size == 0) {
    // TLS asks for close_notify before a close (RFC 8446 6.1), so that the client can tell our
    // close (idle timeout, server stop) from a truncation. Best effort: one try, no waiting.
    tls_->closeNotify();
    std::string alert;
    if (tls_->takeOutput(alert)) {
      uv_buf_t b = bufOf(alert.data(), alert.size());
      uv_try_write(reinterpret_cast<uv_stream_t*>(&tcp_), &b, 1);
    }
  }
  for (auto& ctx : pipeline_) ctx->conn_ = nullptr;
  pipeline_.clear();
  if (reading_) uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
  reading_ = false;
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), &Connection::onClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &Connection::onClosed);
}

void Connection::onClosed(uv_handle_t* h) {
  auto* self = static_cast<Connection*>(h->data);
  if (--self->openHandles_ > 0) return;
  self->worker_->remove(self);
  delete self;
}

// ---------------------------------------------------------------------------------------------
// Reading and parsing

void Connection::onAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  // One read buffer per worker: each read is parsed (or its tail copied) before the callback
  // returns, so connections never hold on to it.
  auto* self = static_cast<Connection*>(h->data);
  *buf = uv_buf_init(self->worker_->readBuffer(), static_cast<unsigned>(self->worker_->readBufferSize()));
}

void Connection::onRead(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<Connection*>(s->data);
  if (nread > 0) {
    if (self->tls_) self->onCipher(buf->base, static_cast<size_t>(nread));
    else self->onData(buf->base, static_cast<size_t>(nread));
    return;
  }
  if (nread == 0 || self->closing_) return;
  if (nread != UV_EOF) {
    self->close();  // reset or other error: nobody to answer
    return;
  }
  // The peer closed (or half-closed: on the wire the two look the same). Like nginx, treat it
  // as the client going away: in-flight contexts turn dead so handlers can drop their work.
  self->eof_ = true;
  self->close();
}

// TLS: the bytes read are records. The session advances the handshake (its answers go out at
// once) and hands back the plaintext, which takes the same path as a plain connection's bytes.
// Until the handshake is done no request byte exists, so the timer armed at accept (the header
// timeout) keeps running: a client that stalls or trickles its handshake is closed by it.
void Connection::onCipher(const char* data, size_t len) {
  thread_local std::string plain;  // one per worker thread, like the read buffer
  plain.clear();
  bool wasDone = tls_->handshakeDone();
  TlsSession::Status status = tls_->feed(data, len, plain);
  ServerStats& stats = worker_->server()->stats_;
  if (!wasDone && tls_->handshakeDone()) stats.tlsHandshakes.fetch_add(1, std::memory_order_relaxed);
  writeTlsOutput();  // handshake messages, session tickets, or the alert of a failure
  if (closing_) return;
  if (status == TlsSession::Status::Failed) {
    stats.tlsFailures.fetch_add(1, std::memory_order_relaxed);
    LOG_DEBUG("http: TLS from %s failed: %s", peer_.c_str(), tls_->failure().c_str());
    close();
    return;
  }
  if (!plain.empty()) onData(plain.data(), plain.size());
  if (closing_) return;
  if (status == TlsSession::Status::PeerClosed) {
    eof_ = true;  // close_notify: the client went away, as with a plain EOF
    close();
  }
}

void Connection::writeTlsOutput() {
  if (!tls_ || !tls_->hasOutput()) return;
  auto* wr = worker_->takeWrite();
  tls_->takeOutput(wr->cipher);
  uv_buf_t b = bufOf(wr->cipher.data(), wr->cipher.size());
  writeSocket(&b, 1, wr);
}

void Connection::onData(const char* data, size_t len) {
  sawBytes_ = true;
  if (noMoreRequests_) return;  // lingering or last request seen: drop what follows
  if (!pendingInput_.empty()) {
    pendingInput_.append(data, len);
    resumeInput();
    return;
  }
  size_t used = parseSome(data, len);
  if (used < len && !noMoreRequests_ && !closing_) pendingInput_.assign(data + used, len - used);
  updateReading();
  updateTimer();
}

void Connection::resumeInput() {
  if (busy_ || closing_) return;
  if (!pendingInput_.empty() && !noMoreRequests_) {
    std::string input = std::move(pendingInput_);
    pendingInput_.clear();
    size_t used = parseSome(input.data(), input.size());
    if (used < input.size() && !noMoreRequests_ && !closing_) pendingInput_.assign(input, used);
  }
  updateReading();
  updateTimer();
}

size_t Connection::parseSome(const char* data, size_t len) {
  const ServerOptions& opt = worker_->server()->options();
  size_t off = 0;
  busy_ = true;
  while (off < len && !noMoreRequests_ && !closing_) {
    // Resumed when answers go out / the socket drains (resumeInput from flush or onWrite).
    if (pipeline_.size() >= opt.maxPipelinedRequests) break;
    if (tcp_.write_queue_size > opt.writeHighWaterBytes) break;
    ParseResult r = parser_.feed(data + off, len - off);
    off += r.consumed;
    if (r.event == ParseEvent::NeedMore) break;
    if (r.event == ParseEvent::ExpectContinue) {
      // Only when nothing is queued before it: an interim response must not overtake the
      // answers to earlier pipelined requests. (The client then sends the body after a delay.)
      if (pipeline_.empty()) {
        uv_buf_t b = bufOf(kContinue, sizeof kContinue - 1);
        auto* wr = worker_->takeWrite();
        writeRaw(&b, 1, wr);
      }
      continue;
    }
    if (r.event == ParseEvent::Message) {
      dispatch();
      continue;
    }
    const ParseError& e = parser_.error();
    failRequest(e.status, e.reason);
    break;
  }
  busy_ = false;
  if (!closing_) flush();
  return off;
}

void Connection::dispatch() {
  HttpServer* server = worker_->server();
  auto ctx = std::make_shared<RequestContext>(this, worker_->loop(), worker_->index());
  ctx->request_ = std::move(parser_.request());
  parser_.next();
  Request& req = ctx->request_;
  req.peer = peer_;
  ctx->receivedNs_ = static_cast<int64_t>(uv_hrtime());
  ctx->head_ = req.isHead();
  if (worker_->stopping()) req.keepAlive = false;
  if (!req.keepAlive) noMoreRequests_ = true;
  pipeline_.push_back(ctx);
  server->stats_.requests.fetch_add(1, std::memory_order_relaxed);
  server->handler_(ctx);
  if (!closing_) flush();
}

void Connection::failRequest(int status, const std::string& reason) {
  worker_->server()->stats_.parseErrors.fetch_add(1, std::memory_order_relaxed);
  auto ctx = std::make_shared<RequestContext>(this, worker_->loop(), worker_->index());
  ctx->request_.keepAlive = false;
  noMoreRequests_ = true;
  pipeline_.push_back(ctx);
  Response r(status, reason + "\n");
  ctx->respond(std::move(r));
}

// ---------------------------------------------------------------------------------------------
// Writing

void Connection::writeInterim(RequestContext& ctx, int status, const Headers& fields) {
  if (closing_ || pipeline_.empty() || pipeline_.front().get() != &ctx) return;
  auto* wr = worker_->takeWrite();
  std::string& h = wr->head;
  h.assign("HTTP/1.1 ");
  appendNumber(h, static_cast<uint64_t>(status));
  h.push_back(' ');
  h.append(reasonPhrase(status));
  h.append(kCrlf, 2);
  for (const Header& f : fields) {
    if (isServerControlled(f.name)) continue;
    h.append(f.name);
    h.append(": ", 2);
    h.append(f.value);
    h.append(kCrlf, 2);
  }
  h.append(kCrlf, 2);
  uv_buf_t b = bufOf(h.data(), h.size());
  writeRaw(&b, 1, wr);
}

bool Connection::takeOver(RequestContext& ctx, const std::function<void(RequestContext::TakenSocket)>& onSocket) {
  if (closing_ || pipeline_.size() != 1 || pipeline_.front().get() != &ctx || !pendingInput_.empty() ||
      parser_.inMessage() || tcp_.write_queue_size != 0)
    return false;
  uv_os_fd_t fd;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(&tcp_), &fd) != 0) return false;
  int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return false;
  ctx.answered_ = true;
  ctx.done_ = true;
  RequestContext::TakenSocket taken;
  taken.fd = copy;
  taken.tls = std::move(tls_);  // the new owner goes on with the same TLS records
  close();  // libuv unregisters and closes its fd; the duplicate keeps the socket open
  onSocket(std::move(taken));
  return true;
}

void Connection::onAnswered() {
  if (closing_) return;
  flush();
  if (!busy_) resumeInput();
}

void Connection::flush() {
  if (closing_) return;
  while (!pipeline_.empty()) {
    RequestContext& c = *pipeline_.front();
    if (!c.answered_) break;
    if (!c.sent_) {
      bool last = !c.request_.keepAlive || (noMoreRequests_ && pipeline_.size() == 1);
      writeHead(c, last);
      c.sent_ = true;
      if (closing_) return;
    }
    if (c.streaming_) {
      writePieces(c);
      if (closing_) return;
      if (!c.pendingEnd_) break;  // more pieces to come; later responses wait behind it
    }
    c.conn_ = nullptr;
    c.pending_ = Response{};  // drop our body reference; the write request holds its own
    pipeline_.pop_front();
    if (noMoreRequests_ && lastWritten_) {
      // That response closed the connection: pipelined requests after it are never answered.
      for (auto& ctx : pipeline_) ctx->conn_ = nullptr;
      pipeline_.clear();
    }
  }
  finishIfDone();
  updateTimer();
}

void Connection::writeHead(RequestContext& ctx, bool last) {
  Response& r = ctx.pending_;
  const ServerOptions& opt = worker_->server()->options();
  bool noBody = statusHasNoBody(r.status);
  bool streamed = r.streamed && !noBody;
  ctx.chunked_ = streamed && ctx.request_.httpMinor >= 1;
  // An HTTP/1.0 client gets a streamed body delimited by the connection close.
  if (streamed && !ctx.chunked_ && !ctx.head_) last = true;

  auto* wr = worker_->takeWrite();
  std::string& h = wr->head;
  h.reserve(192 + r.headers.size() * 48);
  h.append("HTTP/1.1 ");
  appendNumber(h, static_cast<uint64_t>(r.status));
  h.push_back(' ');
  h.append(r.reason.empty() ? reasonPhrase(r.status) : r.reason);
  h.append(kCrlf, 2);
  bool hasDate = false, hasServer = false;
  std::string_view userLength;
  for (const Header& f : r.headers) {
    if (isServerControlled(f.name)) {
      if (equalsIgnoreCase(f.name, "content-length")) userLength = f.value;
      if (equalsIgnoreCase(f.name, "connection") && listHasToken(f.value, "close")) last = true;
      continue;
    }
    if (!hasDate && f.name.size() == 4 && equalsIgnoreCase(f.name, "date")) hasDate = true;
    if (!hasServer && f.name.size() == 6 && equalsIgnoreCase(f.name, "server")) hasServer = true;
    h.append(f.name);
    h.append(": ", 2);
    h.append(f.value);
    h.append(kCrlf, 2);
  }
  if (!hasDate) {
    h.append("Date: ", 6);
    h.append(worker_->date(), 29);
    h.append(kCrlf, 2);
  }
  if (!hasServer) {
    h.append("Server: ", 8);
    h.append(opt.serverName);
    h.append(kCrlf, 2);
  }
  if (noBody) {
    // 1xx / 204 / 304: no framing fields at all.
  } else if (ctx.chunked_) {
    h.append("Transfer-Encoding: chunked\r\n");
  } else if (!streamed) {
    h.append("Content-Length: ", 16);
    // A HEAD answer may state the length of the body it omits (e.g. relayed from upstream).
    if (ctx.head_ && !userLength.empty()) h.append(userLength);
    else appendNumber(h, r.body.size());
    h.append(kCrlf, 2);
  }
  if (last) {
    h.append("Connection: close\r\n");
    noMoreRequests_ = true;
    lastWritten_ = true;
  } else if (ctx.request_.httpMinor == 0) {
    h.append("Connection: keep-alive\r\n");
  }

  uv_buf_t bufs[4];
  unsigned n = 0;
  if (!r.headerBlock.empty()) {
    wr->block = r.headerBlock;
    bufs[n++] = bufOf(h.data(), h.size());
    bufs[n++] = bufOf(wr->block.data(), wr->block.size());
    bufs[n++] = bufOf(kCrlf, 2);
  } else {
    h.append(kCrlf, 2);
    bufs[n++] = bufOf(h.data(), h.size());
  }
  if (!ctx.head_ && !noBody && !streamed && !r.body.empty()) {
    wr->body = r.body;  // shares the bytes: the cached body is not copied
    bufs[n++] = bufOf(wr->body.data(), wr->body.size());
  }
  writeRaw(bufs, n, wr);
}

void Connection::writePieces(RequestContext& ctx) {
  bool sendBody = !ctx.head_ && !statusHasNoBody(ctx.pending_.status);
  for (Buffer& piece : ctx.pendingPieces_) {
    if (!sendBody) break;
    auto* wr = worker_->takeWrite();
    wr->body = std::move(piece);
    uv_buf_t bufs[3];
    unsigned n = 0;
    if (ctx.chunked_) {
      char hex[20];
      auto res = std::to_chars(hex, hex + sizeof hex, wr->body.size(), 16);
      wr->head.assign(hex, res.ptr);
      wr->head.append(kCrlf, 2);
      bufs[n++] = bufOf(wr->head.data(), wr->head.size());
    }
    bufs[n++] = bufOf(wr->body.data(), wr->body.size());
    if (ctx.chunked_) bufs[n++] = bufOf(kCrlf, 2);
    writeRaw(bufs, n, wr);
    if (closing_) return;
  }
  ctx.pendingPieces_.clear();
  if (ctx.pendingEnd_ && ctx.chunked_ && sendBody) {
    uv_buf_t b = bufOf(kLastChunk, sizeof kLastChunk - 1);
    writeRaw(&b, 1, worker_->takeWrite());
  }
}

void Connection::writeRaw(const uv_buf_t* bufs, unsigned n, ServerWrite* wr) {
  if (!tls_) return writeSocket(bufs, n, wr);
  // TLS: the pieces become records in wr->cipher (a copy), so the head and body references can
  // go now; a failure (no handshake yet: nothing can be sent) closes the connection.
  if (!tls_->encrypt(bufs, n)) {
    worker_->releaseWrite(wr);
    close();
    return;
  }
  wr->block = Buffer();
  wr->body = Buffer();
  tls_->takeOutput(wr->cipher);
  uv_buf_t b = bufOf(wr->cipher.data(), wr->cipher.size());
  writeSocket(&b, 1, wr);
}

void Connection::writeSocket(const uv_buf_t* bufs, unsigned n, ServerWrite* wr) {
  auto* stream = reinterpret_cast<uv_stream_t*>(&tcp_);
  // Try the socket first: with nothing queued, the kernel usually takes the whole response, and
  // then there is no write request to complete. A uv_write that completes at once still costs a
  // deferred callback and an epoll_ctl (libuv re-registers the fd when it drains the queue):
  // one syscall in three on the hit path. Only what the kernel did not take goes to uv_write.
  uv_buf_t rest[4];
  if (tcp_.write_queue_size == 0 && n <= 4) {
    int sent = uv_try_write(stream, bufs, n);
    if (sent < 0 && sent != UV_EAGAIN) {
      worker_->releaseWrite(wr);
      close();
      return;
    }
    size_t skip = sent > 0 ? static_cast<size_t>(sent) : 0;
    unsigned k = 0;
    for (unsigned i = 0; i < n; ++i) {
      if (skip >= bufs[i].len) {
        skip -= bufs[i].len;
        continue;
      }
      rest[k] = uv_buf_init(bufs[i].base + skip, static_cast<unsigned>(bufs[i].len - skip));
      skip = 0;
      ++k;
    }
    if (k == 0) {
      worker_->releaseWrite(wr);  // all in the kernel: the head and body references can go now
      return;
    }
    bufs = rest;
    n = k;
  }
  wr->conn = this;
  wr->req.data = wr;
  int rc = uv_write(&wr->req, stream, bufs, n, &Connection::onWrite);
  if (rc != 0) {
    worker_->releaseWrite(wr);  // the callback never fires for a failed call
    close();
    return;
  }
  // Backpressure: stop reading while the kernel does not take our output fast enough.
  if (tcp_.write_queue_size > worker_->server()->options().writeHighWaterBytes) updateReading();
}

void Connection::onWrite(uv_write_t* req, int status) {
  auto* wr = static_cast<ServerWrite*>(req->data);
  Connection* self = wr->conn;
  self->worker_->releaseWrite(wr);
  if (self->closing_) return;
  if (status < 0) {
    self->close();
    return;
  }
  if (!self->busy_) self->resumeInput();  // parses held-back requests once output drained
}

void Connection::finishIfDone() {
  if (closing_ || shutdownStarted_ || !noMoreRequests_ || !pipeline_.empty()) return;
  shutdownStarted_ = true;
  if (tls_) {
    tls_->closeNotify();  // before our FIN (RFC 8446 6.1)
    writeTlsOutput();
    if (closing_) return;
  }
  // uv_shutdown waits for queued writes; bound that wait for a client that stopped reading.
  armTimer(TimerMode::Linger, worker_->server()->options().idleTimeoutMs);
  if (uv_shutdown(&shutdown_, reinterpret_cast<uv_stream_t*>(&tcp_), &Connection::onShutdown) != 0) close();
}

void Connection::onShutdown(uv_shutdown_t* req, int status) {
  auto* self = static_cast<Connection*>(req->data);
  if (self->closing_) return;
  if (status < 0 || self->eof_) {
    self->close();
    return;
  }
  self->armTimer(TimerMode::Linger, kLingerMs);
  self->updateReading();
}

bool Connection::wantRead() const {
  if (closing_ || eof_) return false;
  if (noMoreRequests_) return true;  // read and drop until the peer closes (lingering close)
  const ServerOptions& opt = worker_->server()->options();
  if (tcp_.write_queue_size > opt.writeHighWaterBytes) return false;
  return pipeline_.size() < opt.maxPipelinedRequests && pendingInput_.empty();
}

void Connection::updateReading() {
  if (closing_) return;
  bool want = wantRead();
  if (want == reading_) return;
  auto* s = reinterpret_cast<uv_stream_t*>(&tcp_);
  if (want) {
    if (uv_read_start(s, &Connection::onAlloc, &Connection::onRead) != 0) {
      close();
      return;
    }
  } else {
    uv_read_stop(s);
  }
  reading_ = want;
}

// ---------------------------------------------------------------------------------------------
// Timers

void Connection::armTimer(TimerMode mode, uint64_t ms) {
  // Keep-alive connections re-arm the idle timer several times per request; each uv_timer_start
  // is a remove + insert in the loop's timer heap (a tenth of a hit's instructions). When the
  // timer already runs in this mode and fires no later than the new deadline, only move the
  // deadline: onTimer re-arms for the rest, so the timeout still fires exactly at the deadline.
  uint64_t deadline = uv_now(worker_->loop()) + ms;
  if (mode == timerMode_ && uv_is_active(reinterpret_cast<uv_handle_t*>(&timer_)) && timerDue_ <= deadline) {
    timerDeadline_ = deadline;
    return;
  }
  timerMode_ = mode;
  timerDeadline_ = timerDue_ = deadline;
  uv_timer_start(&timer_, &Connection::onTimer, ms, 0);
}

void Connection::updateTimer() {
  if (closing_ || shutdownStarted_) return;
  const ServerOptions& opt = worker_->server()->options();
  if (parser_.inMessage() && !parser_.headersComplete()) {
    // Slowloris: the whole header block must arrive within the header timeout of its first
    // byte, however the bytes trickle in.
    if (timerMode_ != TimerMode::Header) armTimer(TimerMode::Header, opt.headerTimeoutMs);
  } else if (parser_.inMessage()) {
    armTimer(TimerMode::Body, opt.idleTimeoutMs);  // the body must keep moving
  } else if (!pipeline_.empty()) {
    timerMode_ = TimerMode::None;  // the handler owns the time until it answers
    uv_timer_stop(&timer_);
  } else if (sawBytes_) {
    armTimer(TimerMode::Idle, opt.idleTimeoutMs);  // keep-alive between requests
  }
}

void Connection::onTimer(uv_timer_t* t) {
  auto* self = static_cast<Connection*>(t->data);
  if (self->closing_) return;
  uint64_t now = uv_now(t->loop);
  if (now < self->timerDeadline_) {  // the deadline moved since the timer was started (armTimer)
    self->timerDue_ = self->timerDeadline_;
    uv_timer_start(t, &Connection::onTimer, self->timerDeadline_ - now, 0);
    return;
  }
  TimerMode mode = self->timerMode_;
  self->timerMode_ = TimerMode::None;
  if ((mode == TimerMode::Header || mode == TimerMode::Body) && self->pipeline_.empty() && !self->noMoreRequests_) {
    self->worker_->server()->stats_.timeouts.fetch_add(1, std::memory_order_relaxed);
    self->failRequest(408, "request timeout");
    self->updateReading();
    return;
  }
  self->close();
}

}  // namespace cdnlab::http

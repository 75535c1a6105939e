// WebSocket session on libuv + wslay (see session.h).
#include "gateway/websocket/session.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "gateway/json.h"

namespace cdnlab::gateway::websocket {
namespace {

constexpr uint64_t kLingerMs = 2000;

struct WriteReq {
  uv_write_t req;
  std::string bytes;
};

}  // namespace

Session::Session(uv_loop_t* loop, SessionLimits limits, Hooks hooks) : loop_(loop), limits_(limits), hooks_(std::move(hooks)) {}

Session::~Session() {
  if (ws_) wslay_event_context_free(ws_);
}

Session* Session::open(uv_loop_t* loop, int fd, std::unique_ptr<http::TlsSession> tls, const std::string& handshake,
                       SessionLimits limits, Hooks hooks) {
  auto* s = new Session(loop, limits, std::move(hooks));
  s->tls_ = std::move(tls);
  wslay_event_callbacks cb{&Session::recvCallback, &Session::sendCallback, &Session::genmaskCallback,
                           &Session::frameStartCallback, nullptr, nullptr, &Session::msgCallback};
  if (uv_tcp_init(loop, &s->tcp_) != 0) {
    ::close(fd);
    delete s;
    return nullptr;
  }
  s->tcp_.data = s;
  s->openHandles_ = 1;
  bool adopted = uv_tcp_open(&s->tcp_, fd) == 0;
  if (!adopted) ::close(fd);  // the handle does not own it: ours to close
  if (!adopted || wslay_event_context_server_init(&s->ws_, &cb, s) != 0) {
    s->closing_ = true;
    s->shut_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&s->tcp_), &Session::onHandleClosed);
    return nullptr;
  }
  wslay_event_config_set_max_recv_msg_length(s->ws_, limits.maxMessageBytes);
  uv_tcp_nodelay(&s->tcp_, 1);
  uv_timer_init(loop, &s->idleTimer_);
  uv_timer_init(loop, &s->lifeTimer_);
  s->idleTimer_.data = s;
  s->lifeTimer_.data = s;
  s->openHandles_ += 2;
  s->lastActiveMs_ = wallMs();
  uv_timer_start(&s->idleTimer_, &Session::onTimer, limits.idleMs, 0);
  uv_timer_start(&s->lifeTimer_, &Session::onTimer, limits.maxLifetimeMs, 0);
  s->writeRaw(handshake);
  if (!s->shut_) uv_read_start(reinterpret_cast<uv_stream_t*>(&s->tcp_), &Session::onAlloc, &Session::onRead);
  return s;
}

bool Session::send(std::string_view data, bool binary) {
  if (closing_ || shut_ || tcp_.write_queue_size > limits_.maxQueuedBytes) return false;
  auto opcode = static_cast<uint8_t>(binary ? WSLAY_BINARY_FRAME : WSLAY_TEXT_FRAME);
  if (data.size() > limits_.maxFrameBytes && limits_.maxFrameBytes > 0) {
    // API Gateway's frame limit holds both ways: a longer message goes out in several frames.
    fragmented_.push_back(Fragmented{std::string(data), 0});
    wslay_event_fragmented_msg msg{};
    msg.opcode = opcode;
    msg.source.data = &fragmented_.back();  // deque elements stay put while others come and go
    msg.read_callback = &Session::fragmentCallback;
    if (wslay_event_queue_fragmented_msg(ws_, &msg) != 0) {
      fragmented_.pop_back();
      return false;
    }
  } else {
    wslay_event_msg msg{opcode, reinterpret_cast<const uint8_t*>(data.data()), data.size()};
    if (wslay_event_queue_msg(ws_, &msg) != 0) return false;
  }
  if (!inRecv_) pump();  // inside wslay_event_recv the read path pumps when it returns
  return true;
}

void Session::close(uint16_t code, std::string_view reason) {
  if (closing_ || shut_) return;
  closing_ = true;
  closeStatus_ = code;
  closeReason_ = std::string(reason);
  if (wslay_event_queue_close(ws_, code, reinterpret_cast<const uint8_t*>(reason.data()), reason.size()) != 0)
    return shutdown(code, closeReason_);
  if (!inRecv_) pump();
}

// --- wslay callbacks -------------------------------------------------------------------------

ssize_t Session::recvCallback(wslay_event_context_ptr ctx, uint8_t* buf, size_t len, int, void* p) {
  auto* s = static_cast<Session*>(p);
  size_t avail = s->input_.size() - s->inputOff_;
  if (avail == 0) {
    wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
    return -1;
  }
  size_t n = std::min(avail, len);
  std::memcpy(buf, s->input_.data() + s->inputOff_, n);
  s->inputOff_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t Session::sendCallback(wslay_event_context_ptr, const uint8_t* data, size_t len, int, void* p) {
  static_cast<Session*>(p)->output_.append(reinterpret_cast<const char*>(data), len);
  return static_cast<ssize_t>(len);
}

int Session::genmaskCallback(wslay_event_context_ptr, uint8_t* buf, size_t len, void*) {
  thread_local std::mt19937 rng{std::random_device{}()};
  for (size_t i = 0; i < len; ++i) buf[i] = static_cast<uint8_t>(rng());
  return 0;
}

ssize_t Session::fragmentCallback(wslay_event_context_ptr, uint8_t* buf, size_t len, const wslay_event_msg_source* source,
                                  int* eof, void* p) {
  auto* s = static_cast<Session*>(p);
  auto* f = static_cast<Fragmented*>(source->data);
  size_t n = std::min({len, s->limits_.maxFrameBytes, f->data.size() - f->sent});
  std::memcpy(buf, f->data.data() + f->sent, n);
  f->sent += n;
  if (f->sent == f->data.size()) {
    *eof = 1;
    // wslay sends data messages in the order they were queued, so finished ones are at the front.
    while (!s->fragmented_.empty() && s->fragmented_.front().sent == s->fragmented_.front().data.size())
      s->fragmented_.pop_front();
  }
  return static_cast<ssize_t>(n);
}

void Session::frameStartCallback(wslay_event_context_ptr, const wslay_event_on_frame_recv_start_arg* arg, void* p) {
  auto* s = static_cast<Session*>(p);
  if (arg->payload_length > s->limits_.maxFrameBytes) s->frameTooLarge_ = true;
}

void Session::msgCallback(wslay_event_context_ptr, const wslay_event_on_msg_recv_arg* arg, void* p) {
  auto* s = static_cast<Session*>(p);
  if (s->frameTooLarge_ || s->shut_) return;
  if (arg->opcode == WSLAY_CONNECTION_CLOSE) {
    s->closing_ = true;
    s->closeStatus_ = arg->status_code ? arg->status_code : 1005;
    s->closeReason_ = arg->msg_length > 2 ? std::string(reinterpret_cast<const char*>(arg->msg) + 2, arg->msg_length - 2) : "";
    return;  // wslay answers the close frame; pump() closes the socket after it
  }
  if (arg->opcode == WSLAY_BINARY_FRAME) {
    wslay_event_shutdown_read(s->ws_);
    return s->close(1003, "Binary frames are not supported");
  }
  if (arg->opcode != WSLAY_TEXT_FRAME) return;  // ping / pong: wslay answers pings itself
  s->lastActiveMs_ = wallMs();
  uv_timer_start(&s->idleTimer_, &Session::onTimer, s->limits_.idleMs, 0);
  if (s->hooks_.onMessage && !s->closing_)
    s->hooks_.onMessage(*s, std::string(reinterpret_cast<const char*>(arg->msg), arg->msg_length));
}

// --- libuv -------------------------------------------------------------------------------------

void Session::onAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  auto* s = static_cast<Session*>(h->data);
  *buf = uv_buf_init(s->readBuf_, sizeof s->readBuf_);
}

void Session::onRead(uv_stream_t* st, ssize_t nread, const uv_buf_t* buf) {
  auto* s = static_cast<Session*>(st->data);
  if (s->shut_) return;
  if (nread == 0) return;
  if (s->lingering_) {
    if (nread < 0) s->shutdown(s->closeStatus_, s->closeReason_);
    return;  // the protocol is over: what still arrives is read and dropped
  }
  if (nread < 0) return s->shutdown(s->closing_ ? s->closeStatus_ : 1006, s->closing_ ? s->closeReason_ : "Connection closed abnormally");
  if (!s->tls_) return s->onBytes(buf->base, static_cast<size_t>(nread));
  // wss://: records in, plaintext to wslay; what TLS answers (a key update) goes out at once.
  thread_local std::string plain;
  plain.clear();
  http::TlsSession::Status status = s->tls_->feed(buf->base, static_cast<size_t>(nread), plain);
  std::string reply;
  if (s->tls_->takeOutput(reply)) s->writeSocket(std::move(reply));
  if (s->shut_) return;
  if (status == http::TlsSession::Status::Failed) return s->shutdown(1006, "Connection closed abnormally");
  if (!plain.empty()) s->onBytes(plain.data(), plain.size());
  if (s->shut_ || status != http::TlsSession::Status::PeerClosed) return;
  // close_notify is the peer's EOF.
  s->shutdown(s->closing_ ? s->closeStatus_ : 1006, s->closing_ ? s->closeReason_ : "Connection closed abnormally");
}

void Session::onBytes(const char* data, size_t len) {
  Session* s = this;
  if (s->inputOff_ == s->input_.size()) {
    s->input_.clear();
    s->inputOff_ = 0;
  }
  s->input_.append(data, len);
  s->inRecv_ = true;
  int rv = wslay_event_recv(s->ws_);
  s->inRecv_ = false;
  if (s->shut_) return;
  if (s->inputOff_ > 0 && s->inputOff_ == s->input_.size()) {
    s->input_.clear();
    s->inputOff_ = 0;
  }
  if (s->frameTooLarge_ && !s->closing_) {
    // A peer that broke the limit gets our close frame and then the socket closes: we read no more.
    wslay_event_shutdown_read(s->ws_);
    s->close(1009, "Frame size exceeds the limit");
    return;
  }
  if (rv != 0) {
    // A frame wslay refused (unmasked, non-minimal length, bad opcode, ...): our close 1002 if it
    // can still go out, then the socket; never more reading from this peer.
    wslay_event_shutdown_read(s->ws_);
    if (!s->closing_) {
      s->closing_ = true;
      s->closeStatus_ = 1002;
      s->closeReason_ = "Protocol error";
      static constexpr char kWhy[] = "Protocol error";
      if (wslay_event_queue_close(s->ws_, 1002, reinterpret_cast<const uint8_t*>(kWhy), sizeof kWhy - 1) == 0) return s->pump();
    }
    return s->shutdown(1002, "Protocol error");
  }
  s->pump();
}

void Session::pump() {
  if (shut_) return;
  int rv = wslay_event_send(ws_);
  if (!output_.empty()) {
    std::string out;
    out.swap(output_);
    writeRaw(std::move(out));
    if (shut_) return;
  }
  if (rv != 0) return shutdown(closeStatus_, closeReason_);
  // Both directions done (close frames exchanged, or a fatal error wslay reported by a close
  // it queued): close the socket once our last bytes are written.
  if (!wslay_event_want_read(ws_) && !wslay_event_want_write(ws_) && pendingWrites_ == 0) linger();
}

void Session::writeRaw(std::string bytes) {
  if (!tls_) return writeSocket(std::move(bytes));
  uv_buf_t plain = uv_buf_init(bytes.data(), static_cast<unsigned>(bytes.size()));
  std::string records;
  if (!tls_->encrypt(&plain, 1) || !tls_->takeOutput(records)) return shutdown(1006, "Connection closed abnormally");
  writeSocket(std::move(records));
}

void Session::writeSocket(std::string bytes) {
  uv_buf_t b = uv_buf_init(bytes.data(), static_cast<unsigned>(bytes.size()));
  auto* stream = reinterpret_cast<uv_stream_t*>(&tcp_);
  if (tcp_.write_queue_size == 0) {
    int sent = uv_try_write(stream, &b, 1);
    if (sent < 0 && sent != UV_EAGAIN) return shutdown(1006, "Connection closed abnormally");
    if (sent > 0) bytes.erase(0, static_cast<size_t>(sent));
    if (bytes.empty()) return;
  }
  auto* wr = new WriteReq;
  wr->bytes = std::move(bytes);
  wr->req.data = this;
  b = uv_buf_init(wr->bytes.data(), static_cast<unsigned>(wr->bytes.size()));
  if (uv_write(&wr->req, stream, &b, 1, &Session::onWrite) != 0) {
    delete wr;
    return shutdown(1006, "Connection closed abnormally");
  }
  ++pendingWrites_;
}

void Session::onWrite(uv_write_t* req, int status) {
  auto* wr = reinterpret_cast<WriteReq*>(req);
  auto* s = static_cast<Session*>(req->data);
  delete wr;
  --s->pendingWrites_;
  if (s->shut_) return;
  if (status < 0) return s->shutdown(1006, "Connection closed abnormally");
  if (s->pendingWrites_ == 0 && !wslay_event_want_read(s->ws_) && !wslay_event_want_write(s->ws_)) s->linger();
}

// The WebSocket close is done: tell the owner, send FIN, and keep reading (and dropping) until
// the peer closes too or a short timer runs out. Closing with unread input would make the kernel
// answer with a reset that can destroy our close frame before the peer reads it.
void Session::linger() {
  if (shut_ || lingering_) return;
  lingering_ = true;
  notifyClosed();
  if (tls_) {
    tls_->closeNotify();  // TLS's own close before the FIN (RFC 8446 6.1)
    std::string alert;
    if (tls_->takeOutput(alert)) writeSocket(std::move(alert));
    if (shut_) return;
  }
  if (uv_shutdown(&shutdownReq_, reinterpret_cast<uv_stream_t*>(&tcp_), &Session::onShutdown) != 0)
    return shutdown(closeStatus_, closeReason_);
  uv_timer_start(&idleTimer_, &Session::onTimer, kLingerMs, 0);
}

void Session::onShutdown(uv_shutdown_t*, int) {}

void Session::notifyClosed() {
  if (!hooks_.onClosed) return;
  auto fn = std::move(hooks_.onClosed);
  hooks_.onClosed = nullptr;
  hooks_.onMessage = nullptr;
  fn(*this, closeStatus_, closeReason_);
}

void Session::onTimer(uv_timer_t* t) {
  auto* s = static_cast<Session*>(t->data);
  if (s->lingering_) return s->shutdown(s->closeStatus_, s->closeReason_);
  if (s->closing_) return s->shutdown(s->closeStatus_, s->closeReason_);  // a peer that never answered our close
  s->close(1001, t == &s->idleTimer_ ? "Going away: idle timeout" : "Going away: maximum connection duration");
  // Bound the close handshake: if the peer does not answer, the next firing drops the socket.
  if (!s->shut_) uv_timer_start(&s->idleTimer_, &Session::onTimer, 5000, 0);
}

void Session::shutdown(int status, std::string reason) {
  if (shut_) return;
  shut_ = true;
  closing_ = true;
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), &Session::onHandleClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&idleTimer_), &Session::onHandleClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&lifeTimer_), &Session::onHandleClosed);
  closeStatus_ = status;
  closeReason_ = std::move(reason);
  notifyClosed();
}

void Session::onHandleClosed(uv_handle_t* h) {
  auto* s = static_cast<Session*>(h->data);
  if (--s->openHandles_ == 0) delete s;
}

}  // namespace cdnlab::gateway::websocket

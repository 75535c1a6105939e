// Runtime API listener and connections (see runtime_api.h).
#include "lambda/runtime_api.h"

#include <algorithm>
#include <cstring>

#include "common/http/message.h"

namespace cdnlab::lambda {

RuntimeApiListener::RuntimeApiListener(uv_loop_t* loop, RuntimeApiHandler& handler, http::ParserLimits limits,
                                       std::function<void()> closed)
    : loop_(loop), handler_(handler), limits_(limits), closed_(std::move(closed)) {}

Result<int> RuntimeApiListener::start() {
  uv_tcp_init(loop_, &tcp_);
  tcp_.data = this;
  ++openHandles_;
  sockaddr_in addr;
  uv_ip4_addr("127.0.0.1", 0, &addr);
  int rc = uv_tcp_bind(&tcp_, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc == 0) rc = uv_listen(reinterpret_cast<uv_stream_t*>(&tcp_), 16, onConnection);
  if (rc != 0) return Error{rc, std::string("runtime API listener: ") + uv_strerror(rc)};
  sockaddr_storage bound;
  int len = sizeof bound;
  uv_tcp_getsockname(&tcp_, reinterpret_cast<sockaddr*>(&bound), &len);
  return static_cast<int>(ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port));
}

void RuntimeApiListener::close() {
  if (closing_) return;
  closing_ = true;
  auto conns = connections_;
  for (auto* c : conns) c->close();
  if (openHandles_ > 0 && !uv_is_closing(reinterpret_cast<uv_handle_t*>(&tcp_))) {
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), [](uv_handle_t* h) {
      static_cast<RuntimeApiListener*>(h->data)->handleClosed();
    });
  } else if (openHandles_ == 0 && closed_) {
    closed_();
  }
}

void RuntimeApiListener::handleClosed() {
  if (--openHandles_ == 0 && closing_ && closed_) closed_();
}

void RuntimeApiListener::onConnection(uv_stream_t* s, int status) {
  auto* self = static_cast<RuntimeApiListener*>(s->data);
  if (status < 0 || self->closing_) return;
  auto* c = new RuntimeApiConnection(self);
  uv_tcp_init(self->loop_, &c->tcp_);
  c->tcp_.data = c;
  ++self->openHandles_;
  self->connections_.push_back(c);
  if (uv_accept(s, reinterpret_cast<uv_stream_t*>(&c->tcp_)) != 0) {
    c->close();
    return;
  }
  uv_tcp_nodelay(&c->tcp_, 1);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&c->tcp_), RuntimeApiConnection::onAlloc, RuntimeApiConnection::onRead);
}

RuntimeApiConnection::RuntimeApiConnection(RuntimeApiListener* owner)
    : owner_(owner), parser_(owner->limits_), readBuf_(64 * 1024) {}

void RuntimeApiConnection::onAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  auto* c = static_cast<RuntimeApiConnection*>(h->data);
  *buf = uv_buf_init(c->readBuf_.data(), static_cast<unsigned>(c->readBuf_.size()));
}

void RuntimeApiConnection::onRead(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  auto* c = static_cast<RuntimeApiConnection*>(s->data);
  if (n < 0) {
    c->close();
    return;
  }
  if (n == 0) return;
  c->input_.append(buf->base, static_cast<size_t>(n));
  c->parse();
}

void RuntimeApiConnection::parse() {
  while (!waiting_ && !closing_ && !input_.empty()) {
    http::ParseResult r = parser_.feed(input_.data(), input_.size());
    input_.erase(0, r.consumed);
    if (r.event == http::ParseEvent::NeedMore) return;
    if (r.event == http::ParseEvent::ExpectContinue) {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      auto* w = new uv_write_t;
      w->data = nullptr;
      uv_buf_t b = uv_buf_init(const_cast<char*>(kContinue), sizeof kContinue - 1);
      if (uv_write(w, reinterpret_cast<uv_stream_t*>(&tcp_), &b, 1, [](uv_write_t* w, int) { delete w; }) != 0) delete w;
      continue;
    }
    if (r.event == http::ParseEvent::Error) {
      int status = parser_.error().status;
      owner_->handler_.onBadRequest(*this, status);
      waiting_ = true;
      closeAfterWrite_ = true;
      reply(status, "{\"errorMessage\":\"" + parser_.error().reason + "\",\"errorType\":\"InvalidRequest\"}");
      return;
    }
    // A complete request: the handler has it until reply(); stop reading meanwhile.
    waiting_ = true;
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
    owner_->handler_.onRequest(*this, parser_.request());
    return;
  }
}

struct ApiWrite {
  uv_write_t req;
  std::string bytes;
};

void RuntimeApiConnection::reply(int status, std::string body,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
  if (!waiting_ || closing_) return;
  waiting_ = false;
  auto* w = new ApiWrite;
  w->req.data = this;
  std::string& out = w->bytes;
  out.reserve(body.size() + 256);
  out += "HTTP/1.1 " + std::to_string(status) + " " + http::reasonPhrase(status) + "\r\n";
  bool hasType = false;
  for (const auto& [k, v] : headers) {
    out += k + ": " + v + "\r\n";
    if (http::equalsIgnoreCase(k, "Content-Type")) hasType = true;
  }
  if (!hasType) out += "Content-Type: application/json\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (closeAfterWrite_) out += "Connection: close\r\n";
  out += "\r\n";
  out += body;
  uv_buf_t b = uv_buf_init(out.data(), static_cast<unsigned>(out.size()));
  if (uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&tcp_), &b, 1, onWrite) != 0) {
    delete w;
    close();
    return;
  }
  if (closeAfterWrite_) return;
  parser_.next();
  uv_read_start(reinterpret_cast<uv_stream_t*>(&tcp_), onAlloc, onRead);
  parse();
}

void RuntimeApiConnection::onWrite(uv_write_t* req, int status) {
  auto* w = reinterpret_cast<ApiWrite*>(req);
  auto* c = static_cast<RuntimeApiConnection*>(req->data);
  delete w;
  if (status == UV_ECANCELED) return;  // closing: c may be gone already
  if (status < 0 || c->closeAfterWrite_) c->close();
}

void RuntimeApiConnection::close() {
  if (closing_) return;
  closing_ = true;
  auto& list = owner_->connections_;
  list.erase(std::remove(list.begin(), list.end(), this), list.end());
  owner_->handler_.onConnectionClosed(*this);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), onClose);
}

void RuntimeApiConnection::onClose(uv_handle_t* h) {
  auto* c = static_cast<RuntimeApiConnection*>(h->data);
  RuntimeApiListener* owner = c->owner_;
  delete c;
  owner->handleClosed();
}

}  // namespace cdnlab::lambda

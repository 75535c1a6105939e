// The HTTP side of the Lambda Runtime API for one execution environment: a loopback listener
// (the environment's AWS_LAMBDA_RUNTIME_API) and its connections, parsed with common/http's
// RequestParser. One request per connection is handled at a time: reading pauses until the
// handler replies, which is what the long-poll GET /invocation/next needs. The bytes come from
// function code, so they are untrusted: malformed requests get a 4xx and the connection closes.
#pragma once

#include <uv.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/http/parser.h"
#include "common/result.h"

namespace cdnlab::lambda {

class RuntimeApiConnection;

class RuntimeApiHandler {
 public:
  virtual ~RuntimeApiHandler() = default;
  // A complete request; answer with c.reply() now or later (the connection waits).
  virtual void onRequest(RuntimeApiConnection& c, http::Request& request) = 0;
  // A request the parser refused (status 413 for a body over the limit, 400 ...), answered and
  // closed by the connection itself.
  virtual void onBadRequest(RuntimeApiConnection& c, int status) = 0;
  // The connection is closing; `c` is gone after this returns.
  virtual void onConnectionClosed(RuntimeApiConnection& c) = 0;
};

class RuntimeApiListener {
 public:
  // `closed` runs once every handle of the listener and its connections is closed (after close()).
  RuntimeApiListener(uv_loop_t* loop, RuntimeApiHandler& handler, http::ParserLimits limits,
                     std::function<void()> closed);
  RuntimeApiListener(const RuntimeApiListener&) = delete;
  RuntimeApiListener& operator=(const RuntimeApiListener&) = delete;
  // Listens on 127.0.0.1, ephemeral port; returns the port.
  Result<int> start();
  void close();
  uv_loop_t* loop() const { return loop_; }

 private:
  friend class RuntimeApiConnection;
  static void onConnection(uv_stream_t* s, int status);
  void handleClosed();

  uv_loop_t* loop_;
  RuntimeApiHandler& handler_;
  http::ParserLimits limits_;
  std::function<void()> closed_;
  uv_tcp_t tcp_;
  int openHandles_ = 0;
  bool closing_ = false;
  std::vector<RuntimeApiConnection*> connections_;
};

class RuntimeApiConnection {
 public:
  // Answers the current request and resumes reading.
  void reply(int status, std::string body, const std::vector<std::pair<std::string, std::string>>& headers = {});
  void close();
  bool waiting() const { return waiting_; }

 private:
  friend class RuntimeApiListener;
  explicit RuntimeApiConnection(RuntimeApiListener* owner);
  static void onAlloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf);
  static void onRead(uv_stream_t* s, ssize_t n, const uv_buf_t* buf);
  static void onWrite(uv_write_t* w, int status);
  static void onClose(uv_handle_t* h);
  void parse();

  RuntimeApiListener* owner_;
  uv_tcp_t tcp_;
  http::RequestParser parser_;
  std::string input_;       // read, not yet parsed
  std::vector<char> readBuf_;
  bool waiting_ = false;    // a request is with the handler
  bool closing_ = false;
  bool closeAfterWrite_ = false;
};

}  // namespace cdnlab::lambda

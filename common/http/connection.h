// Server side of one TCP connection (internal to HttpServer; handlers see RequestContext).
// Reads into the worker's shared buffer, parses with RequestParser, dispatches requests in
// order, writes responses in request order with one uv_write per response (head + body
// Buffers as iovecs), and owns the connection's timers, backpressure and closing. On a TLS
// listener a TlsSession sits between the socket and the parser (onCipher, writeRaw).
//
// Lifetime: created on accept, deleted only in the last uv_close callback, so `this` stays valid
// for the rest of any loop callback that decided to close it.
#pragma once

#include <uv.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "common/http/parser.h"
#include "common/http/server.h"
#include "common/http/tls.h"

namespace cdnlab::http {

class Worker;

// One uv_write of a response: the serialized head and the Buffers the iovecs point into, kept
// alive until the write callback. Recycled through the worker (the head keeps its capacity).
struct ServerWrite {
  uv_write_t req;
  Connection* conn = nullptr;
  std::string head;
  Buffer block;
  Buffer body;
  std::string cipher;  // TLS: the records written instead of the pieces above
};

class Connection {
 public:
  explicit Connection(Worker* worker);
  // Adopts `fd` (a socket the worker just accepted) and starts reading; on failure the fd is
  // closed and the connection closes itself.
  void open(int fd);
  // Graceful: finish what is in flight, then close (server stop).
  void drain();
  // Immediate close; in-flight contexts become dead.
  void close();
  bool idle() const { return pipeline_.empty() && !parser_.inMessage(); }

  // From RequestContext (loop thread).
  void onAnswered();
  void writeInterim(RequestContext& ctx, int status, const Headers& fields);
  bool takeOver(RequestContext& ctx, const std::function<void(RequestContext::TakenSocket)>& onSocket);

  Connection* prev = nullptr;  // worker's list of live connections
  Connection* next = nullptr;

 private:
  enum class TimerMode { None, FirstByte, Header, Body, Idle, Linger };

  static void onAlloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf);
  static void onRead(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
  static void onWrite(uv_write_t* req, int status);
  static void onShutdown(uv_shutdown_t* req, int status);
  static void onTimer(uv_timer_t* t);
  static void onClosed(uv_handle_t* h);

  void onCipher(const char* data, size_t len);  // TLS: socket bytes -> TlsSession -> onData
  void writeTlsOutput();                        // TLS: what the session has to send, to the socket
  void onData(const char* data, size_t len);
  size_t parseSome(const char* data, size_t len);
  void dispatch();
  void failRequest(int status, const std::string& reason);
  void flush();
  void resumeInput();
  void writeHead(RequestContext& ctx, bool last);
  void writePieces(RequestContext& ctx);
  void writeRaw(const uv_buf_t* bufs, unsigned n, ServerWrite* wr);     // encrypts first on TLS
  void writeSocket(const uv_buf_t* bufs, unsigned n, ServerWrite* wr);  // bytes as they go on the wire
  void finishIfDone();
  void updateReading();
  void updateTimer();
  void armTimer(TimerMode mode, uint64_t ms);
  bool wantRead() const;

  Worker* worker_;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_shutdown_t shutdown_;
  RequestParser parser_;
  std::unique_ptr<TlsSession> tls_;  // TLS listeners only
  std::deque<RequestContextPtr> pipeline_;  // requests in arrival order; front answers first
  std::string pendingInput_;  // bytes read but not parsed yet (pipeline full)
  std::string peer_;
  TimerMode timerMode_ = TimerMode::None;
  uint64_t timerDue_ = 0;       // loop ms when timer_ fires as started
  uint64_t timerDeadline_ = 0;  // loop ms when the current mode's timeout is really due (>= due)
  int openHandles_ = 0;
  bool reading_ = false;
  bool busy_ = false;            // inside parseSome: respond() must not re-enter flush/parse
  bool noMoreRequests_ = false;  // last request seen (Connection: close, error, stop)
  bool lastWritten_ = false;     // a response with "Connection: close" went out
  bool shutdownStarted_ = false;
  bool eof_ = false;
  bool sawBytes_ = false;
  bool closing_ = false;
};

}  // namespace cdnlab::http

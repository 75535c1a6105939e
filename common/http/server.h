// HttpServer: the HTTP/1.1 server every cdnlab component listens with. N worker threads, each
// with its own libuv loop and its own listening socket on the same port (SO_REUSEPORT), so a
// connection lives and dies on one thread and the hot path takes no lock.
//
// Handlers are asynchronous: the server calls handler(ctx) on the worker's loop thread and the
// handler answers with ctx->respond(...) now or later (after an upstream fetch, a timer) from
// that same loop thread. Responses to pipelined requests leave in request order whatever order
// the handlers answer in. If the client goes away first, ctx->alive() turns false and respond()
// becomes a no-op, so a late answer is always safe.
#pragma once

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/http/message.h"
#include "common/http/parser.h"
#include "common/http/server_stats.h"
#include "common/result.h"

namespace cdnlab::http {

class Connection;
class Worker;
class TlsContext;
class TlsSession;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                        // 0: an ephemeral port, returned by start()
  int workers = 0;                     // 0: one per core
  ParserLimits limits;
  uint64_t headerTimeoutMs = 10000;    // from a request's first byte to its last header byte -> 408
  uint64_t idleTimeoutMs = 60000;      // keep-alive connection with nothing in flight -> close
  size_t maxPipelinedRequests = 32;    // parsed but unanswered requests per connection; more: stop reading
  size_t writeHighWaterBytes = 1 << 20;  // unsent output per connection above which reading stops
  std::string serverName;              // "Server:" value; empty: versionString()
  int backlog = 1024;
  // Set: every connection speaks TLS (tls.h) and the handlers see the decrypted HTTP; a client
  // that fails or stalls in the handshake is closed (the header timeout counts from accept).
  std::shared_ptr<TlsContext> tls;
  // Sets host/port from "host:port" (e.g. "127.0.0.1:0"). Error on a bad form.
  Result<bool> setListen(std::string_view hostPort);
};

// One request in flight. Owned jointly by the connection (until answered or closed) and by
// whoever keeps the shared_ptr (an async handler). Only touch it on its worker's loop thread.
class RequestContext {
 public:
  Request& request() { return request_; }
  const Request& request() const { return request_; }
  uv_loop_t* loop() const { return loop_; }
  int workerIndex() const { return workerIndex_; }
  // Monotonic ns when the request's last byte was parsed.
  int64_t receivedNs() const { return receivedNs_; }
  // False once the connection is gone or the response has been handed to the socket in full;
  // respond() and the stream calls then do nothing.
  bool alive() const { return conn_ != nullptr; }
  // True once respond() or streamStart() was called.
  bool answered() const { return answered_; }

  // Sends the response (in pipeline order). Exactly one respond() or streamStart() per request;
  // later calls are ignored. Server adds Date, Server, Content-Length (unless streamed),
  // Connection; HEAD responses keep Content-Length but lose the body.
  void respond(Response response);
  // Sends an interim 1xx response (e.g. 103 Early Hints) before the final one, when this request
  // is at the head of its connection's pipeline, not yet answered, and the client speaks
  // HTTP/1.1 (RFC 9110 15.2: never to HTTP/1.0). Otherwise it is dropped (interims are advisory).
  void sendInterim(int status, const Headers& fields);

  // Streamed body of unknown length: streamStart() sends the head (chunked to HTTP/1.1, close-
  // delimited to HTTP/1.0), streamWrite() sends body pieces (no copy), streamEnd() finishes.
  void streamStart(Response head);
  void streamWrite(Buffer piece);
  void streamEnd();

  // What a protocol switch hands over: a duplicate of the socket (the new owner closes it) and,
  // on a TLS connection, the TLS session, whose records the new owner must keep using.
  struct TakenSocket {
    int fd = -1;
    std::unique_ptr<TlsSession> tls;
  };
  // Protocol switch (a WebSocket upgrade): when this request is the only one on its connection,
  // unanswered, with no bytes buffered after it and nothing left to write, the connection stops
  // serving HTTP and `onSocket` gets the socket (the caller writes the 101 itself). Returns
  // false and changes nothing otherwise.
  bool takeOver(const std::function<void(TakenSocket)>& onSocket);

  // Called by the connection; not for handlers.
  RequestContext(Connection* conn, uv_loop_t* loop, int workerIndex);

 private:
  friend class Connection;
  Connection* conn_;
  uv_loop_t* loop_;
  int workerIndex_;
  Request request_;
  int64_t receivedNs_ = 0;
  bool answered_ = false;   // respond() or streamStart() happened
  bool streaming_ = false;  // streamStart() done, streamEnd() not yet
  bool done_ = false;       // fully handed to the connection
  bool head_ = false;       // request was HEAD
  bool sent_ = false;       // head written to the socket (stream pieces may follow directly)
  bool chunked_ = false;    // streamed with chunked framing
  Response pending_;        // waiting for its turn in the pipeline
  std::vector<Buffer> pendingPieces_;
  bool pendingEnd_ = false;
};

using RequestContextPtr = std::shared_ptr<RequestContext>;
using Handler = std::function<void(const RequestContextPtr& ctx)>;

// What a worker-start hook gets: the loop (to create per-loop clients and timers) and index.
struct WorkerInfo {
  uv_loop_t* loop;
  int index;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();  // stop(0) if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Hooks run on each worker's loop thread: onWorkerStart before the first accept, onWorkerStop
  // after its connections are gone (close your per-loop handles there). Set before start().
  void onWorkerStart(std::function<void(const WorkerInfo&)> fn) { onWorkerStart_ = std::move(fn); }
  void onWorkerStop(std::function<void(const WorkerInfo&)> fn) { onWorkerStop_ = std::move(fn); }

  // Binds and listens on every worker, then runs them in their threads. Returns the bound
  // port, or an error (bad address, port in use) with nothing left running.
  Result<int> start();
  // Stops accepting, lets in-flight requests finish for up to graceMs, closes every connection,
  // runs onWorkerStop, joins the threads. Call from a non-worker thread. Idempotent.
  void stop(uint64_t graceMs = 5000);

  // Runs fn on worker `index`'s loop thread (thread-safe, uv_async; functions run in the order
  // posted). False (fn dropped) once the worker has stopped; a fn posted while the worker is
  // stopping may be dropped too.
  bool post(int index, std::function<void()> fn);
  int workerCount() const { return static_cast<int>(workers_.size()); }
  int port() const { return port_; }
  const ServerOptions& options() const { return options_; }
  const ServerStats& stats() const { return stats_; }

 private:
  friend class Worker;
  friend class Connection;
  ServerOptions options_;
  Handler handler_;
  std::function<void(const WorkerInfo&)> onWorkerStart_;
  std::function<void(const WorkerInfo&)> onWorkerStop_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  ServerStats stats_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace cdnlab::http

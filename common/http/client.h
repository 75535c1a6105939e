// HttpClient: HTTP/1.1 client bound to one libuv loop (one per worker thread, never shared
// across threads). Keeps a pool of keep-alive connections per upstream (host:port), with a cap
// per upstream (requests beyond it wait in a queue), connect and response timeouts, and one
// retry, on a fresh connection, for idempotent requests that failed before any response byte
// (the usual race with a server closing an idle keep-alive connection). Errors are typed so
// callers answer 502 (Refused, Reset, Protocol) or 504 (timeouts).
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/buffer.h"
#include "common/http/message.h"
#include "common/http/parser.h"
#include "common/result.h"

namespace cdnlab::http {

// Error::code values of a failed client request.
enum class ClientError : int {
  Refused = 1,          // connection refused / unreachable
  ConnectTimeout = 2,
  ResponseTimeout = 3,  // no complete response within the response timeout
  Reset = 4,            // connection reset or closed before the response completed
  Protocol = 5,         // malformed response
  Cancelled = 6,        // the client was closed with the request pending
  BadRequest = 7,       // the request itself was unusable (bad address)
};
const char* clientErrorName(ClientError e);
// 504 for timeouts, 502 otherwise: what a proxy answers its own client.
int gatewayStatusFor(const Error& e);

struct ClientOptions {
  uint64_t connectTimeoutMs = 2000;
  uint64_t responseTimeoutMs = 10000;   // from request sent to last response byte
  size_t maxConnectionsPerUpstream = 64;
  uint64_t idleTimeoutMs = 30000;       // pooled idle connection closed after this
  std::string sourceAddress;            // bind local end to this IP (e.g. "127.10.0.5"); empty: any
  ParserLimits limits{64 * 1024, 200, 8 * 1024, uint64_t{1} << 31};
  bool retryIdempotent = true;
};

struct ClientRequest {
  std::string host;     // numeric IPv4/IPv6 or "localhost"
  int port = 80;
  std::string method = "GET";
  std::string target = "/";
  Headers headers;      // Host is added when absent; Content-Length when a body is set
  Buffer body;
  uint64_t responseTimeoutMs = 0;  // 0: ClientOptions::responseTimeoutMs
  // Called for each interim (1xx) response before the final one, e.g. 103 Early Hints.
  std::function<void(int status, Headers fields)> onInterim;
};

struct ClientResponse {
  int status = 0;
  std::string reason;
  int httpMinor = 1;
  Headers headers;
  Buffer body;
  bool reusedConnection = false;  // served on a pooled connection (tests, metrics)
  int attempts = 1;
};

using ClientCallback = std::function<void(Result<ClientResponse>)>;

struct ClientStats {
  uint64_t requests = 0;
  uint64_t connectsStarted = 0;
  uint64_t reused = 0;
  uint64_t retries = 0;
  uint64_t errors = 0;
};

class ClientConnection;
struct Upstream;
struct PendingRequest;

class HttpClient {
 public:
  HttpClient(uv_loop_t* loop, ClientOptions options = {});
  // Calls close(). The loop must run afterwards so the handles finish closing (they free
  // themselves; the client object may be gone by then). Destroy on the loop thread.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request; `done` fires exactly once, on the loop thread, never from inside this
  // call (except after close(): then at once, with Cancelled).
  void request(ClientRequest req, ClientCallback done);
  // Closes every connection and handle now (the loop must run on to finish closing them); callbacks of requests still pending fire with Cancelled from
  // inside this call. Safe to call twice.
  void close();

  const ClientStats& stats() const { return stats_; }
  uv_loop_t* loop() const { return loop_; }
  const ClientOptions& options() const { return options_; }
  // Idle pooled connections to host:port (tests).
  size_t idleConnections(const std::string& host, int port) const;

 private:
  friend class ClientConnection;
  Upstream* upstreamFor(const std::string& host, int port);
  void dispatch(Upstream* up);
  void defer(std::function<void()> fn);
  static void onDefer(uv_timer_t* t);
  // From connections.
  void connectionIdle(ClientConnection* c);
  void connectionGone(ClientConnection* c);
  void requestFailed(std::unique_ptr<PendingRequest> p, Upstream* up, ClientError code, std::string message,
                     bool retryable);
  void requestDone(std::unique_ptr<PendingRequest> p, ClientResponse r);

  uv_loop_t* loop_;
  ClientOptions options_;
  ClientStats stats_;
  std::unordered_map<std::string, std::unique_ptr<Upstream>> upstreams_;
  uv_timer_t* deferTimer_;  // heap: it may outlive the client until its close callback
  std::vector<std::function<void()>> deferred_;
  std::string readBuf_;     // shared by this client's connections (one loop thread)
  bool closed_ = false;
};

}  // namespace cdnlab::http

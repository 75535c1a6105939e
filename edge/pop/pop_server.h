// PopServer: the live PoP. It owns the shared pieces (cache store, collapse table, counters,
// PopCore), runs the client listener (one libuv loop per worker, SO_REUSEPORT) and the admin
// listener, and gives each worker an Io: its own HttpClient (upstream pool) and a way to post
// work back onto its loop. Worker 0 also runs the periodic timer: TTL sweep + collapse expiry.
#pragma once

#include "common/clock.h"
#include "common/http/server.h"
#include "edge/pop/access_log.h"
#include "edge/pop/config.h"
#include "edge/pop/core.h"

#include <memory>
#include <vector>

namespace cdnlab::edge::pop {

class WorkerIo;

class PopServer {
 public:
  // `config` must have passed validate().
  static Result<std::unique_ptr<PopServer>> create(const PopConfig& config, const Clock& clock);
  ~PopServer();
  PopServer(const PopServer&) = delete;
  PopServer& operator=(const PopServer&) = delete;

  // Binds both listeners and starts the worker threads. On error nothing is left running.
  Result<bool> start();
  // Graceful: stop accepting, finish in-flight requests for up to graceMs, close. Idempotent.
  void stop(uint64_t graceMs = 5000);

  // Reads the PoP's edge-function files again and swaps in their associations for requests that
  // start afterwards (FunctionRunner::reload); on error the running ones stay. Returns how many
  // associations are in force. Thread-safe (the main thread calls it on SIGHUP).
  Result<size_t> reloadFunctions();

  int port() const { return http_ ? http_->port() : 0; }
  int adminPort() const { return admin_ ? admin_->port() : 0; }
  PopCore& core() { return *core_; }
  Metrics& metrics() { return metrics_; }

 private:
  PopServer(const PopConfig& config, const Clock& clock);
  void handle(const http::RequestContextPtr& ctx);
  void workerStart(const http::WorkerInfo& w);
  void workerStop(const http::WorkerInfo& w);

  PopConfig config_;
  const Clock& clock_;
  Metrics metrics_;
  std::unique_ptr<cache::CacheStore> store_;
  std::unique_ptr<cache::Collapser> collapser_;
  std::unique_ptr<PopCore> core_;
  // Reset by ~PopServer after the loops stop and before http_ and ios_ go (the pool's last
  // completions post through them); declared before the listeners for the same reason.
  std::unique_ptr<FunctionRunner> functions_;
  std::vector<std::unique_ptr<WorkerIo>> ios_;  // by worker index; each touched by its own thread
  std::unique_ptr<http::HttpServer> http_;
  std::unique_ptr<http::HttpServer> admin_;
  std::unique_ptr<AccessLog> accessLog_;  // when config_.accessLog names a file
  bool stopped_ = false;
};

}  // namespace cdnlab::edge::pop

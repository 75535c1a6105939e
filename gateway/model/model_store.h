// ModelStore: owns every API (the mutable model), serialises changes under one lock, writes the
// state to <data>/apis.json (write to a temporary file, fsync, rename: a crash leaves the old or
// the new state, never half of one) and publishes a fresh Snapshot after each change.
//
// Threading: mutate() and read() run on any thread (worker threads handling management calls);
// snapshot() is lock-free for the request path's fast case (see current()).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "gateway/model/api_model.h"
#include "gateway/runtime/access_log.h"
#include "gateway/runtime/route_metrics.h"
#include "gateway/runtime/snapshot.h"

namespace cdnlab::gateway {

class ModelStore {
 public:
  // dataDir empty: nothing is persisted (tests).
  explicit ModelStore(std::string dataDir);

  // Reads <data>/apis.json if present. Error names the file and what is wrong with it.
  Result<bool> load();

  // Runs fn on the model under the lock. If fn succeeds, the state is persisted and a new
  // snapshot published; if it fails (or persisting fails) the model is restored to what it was,
  // so nothing deployed is lost.
  Result<bool> mutate(const std::function<Result<bool>(std::vector<Api>&)>& fn);
  // Runs fn on the model under the lock, read-only.
  void read(const std::function<void(const std::vector<Api>&)>& fn) const;

  // The current snapshot (one atomic load and a shared_ptr copy under a short lock).
  std::shared_ptr<const Snapshot> snapshot() const;
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // JWKS key sets by issuer (from --jwks), used by JWT authorizers. Set before load().
  void setJwks(std::map<std::string, std::shared_ptr<const Jwks>> byIssuer) { jwks_ = std::move(byIssuer); }

  MetricsRegistry& metrics() { return metrics_; }
  AccessLogRegistry& accessLogs() { return accessLogs_; }
  const std::string& dataDir() const { return dataDir_; }

 private:
  Result<bool> persist();
  void publish();
  void compileWebSocketStages(const Api& api, CompiledApi& ca);
  std::shared_ptr<TokenBucket> bucketFor(const std::string& key, double rate, int64_t burst);

  std::string dataDir_;
  mutable std::mutex mu_;
  std::vector<Api> apis_;
  mutable std::mutex snapMu_;
  std::shared_ptr<const Snapshot> snap_;
  std::atomic<uint64_t> version_{0};
  MetricsRegistry metrics_;
  AccessLogRegistry accessLogs_;
  std::mutex bucketMu_;
  std::unordered_map<std::string, std::shared_ptr<TokenBucket>> buckets_;
  std::map<std::string, std::shared_ptr<const Jwks>> jwks_;
};

// Checks that the routes of `api` form a valid route table (keys parse, no two conflict) and that
// every route target names an existing integration.
Result<bool> validateRoutes(const Api& api);

}  // namespace cdnlab::gateway

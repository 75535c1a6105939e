// GatewayServer: `cdnlab gateway`. One HttpServer; each request is dispatched by what it is for:
//   Host <apiId>.execute-api.* or /_api/<apiId>/...   -> the invoke path (invoke_chain.h)
//   /v2/apis...                                        -> the apigatewayv2 management API
//   /restapis..., /apikeys..., /usageplans...          -> the apigateway (REST API) management API
//   /metrics                                           -> Prometheus text
// Per worker: one HttpClient (Lambda Invoke calls and HTTP proxy upstreams) and a cached pointer
// to the current model snapshot.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/http/client.h"
#include "common/http/server.h"
#include "common/result.h"
#include "common/auth/sigv4.h"
#include "gateway/auth/authorizer_cache.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/model/model_store.h"
#include "gateway/rest/rest_store.h"
#include "gateway/server/jwks_fetcher.h"

namespace cdnlab::gateway {

namespace websocket {
class WsManager;
}

struct GatewayOptions {
  std::string listen = "127.0.0.1:4010";
  // Both set: the listener speaks TLS only (https://, wss://); PEM files, the chain then the key.
  std::string tlsCert;
  std::string tlsKey;
  int workers = 2;
  std::string dataDir = "./gw-data";         // empty: nothing persisted
  std::vector<std::string> apiFiles;        // OpenAPI files loaded at start (--api)
  std::string lambdaEndpoint;               // http://host:port of the Lambda Invoke API
  std::string storeEndpoint;                // http://host:port of the DynamoDB-compatible store
  std::vector<std::string> jwks;            // "ISSUER=FILE": JWKS key sets for JWT authorizers
  int64_t jwksTtlSeconds = 3600;            // JWKS fetched from an issuer: kept this long
  int64_t jwksMinRefreshSeconds = 30;       // at most one unknown-kid refresh per issuer per this
  std::vector<std::string> iamKeys;         // "ACCESS_KEY:SECRET": credentials AWS_IAM routes accept
  std::string cognitoIdpEndpoint;           // base URL serving <poolId>/.well-known/jwks.json for Cognito authorizers
  std::string region = "us-east-1";
  std::string accountId = "123456789012";
  uint64_t maxBodyBytes = 10 * 1024 * 1024; // API Gateway's payload limit -> 413
  // WebSocket APIs: AWS's limits by default.
  size_t wsMaxMessageBytes = 128 * 1024;
  size_t wsMaxFrameBytes = 32 * 1024;
  uint64_t wsIdleSeconds = 600;
  uint64_t wsMaxLifetimeSeconds = 7200;
};

// Per-worker state the invoke path uses (loop thread only).
struct WorkerState {
  uv_loop_t* loop = nullptr;
  std::unique_ptr<http::HttpClient> client;
  std::unique_ptr<JwksFetcher> jwks;  // key sets of issuers without --jwks
  std::shared_ptr<const Snapshot> snap;
  uint64_t snapVersion = ~uint64_t{0};
  std::shared_ptr<const RestSnapshot> restSnap;  // the REST APIs, refreshed the same way
  uint64_t restSnapVersion = ~uint64_t{0};
};

class GatewayServer {
 public:
  explicit GatewayServer(GatewayOptions options);
  ~GatewayServer();

  // Loads --data and --api files (errors name file and line; nothing is served then), binds, starts.
  Result<int> start();
  void stop(uint64_t graceMs = 5000);
  int port() const { return port_.load(); }
  const std::string& host() const { return httpOptions_.host; }
  bool tls() const { return httpOptions_.tls != nullptr; }

  // For the invoke path.
  ModelStore& store() { return store_; }
  const GatewayOptions& options() const { return options_; }
  const std::optional<Endpoint>& lambdaEndpoint() const { return lambda_; }
  RestStore& restStore() { return restStore_; }
  const std::optional<Endpoint>& storeEndpoint() const { return storeEp_; }
  WorkerState& worker(int index) { return *workers_[static_cast<size_t>(index)]; }
  AuthorizerCache& authorizerCache() { return authorizerCache_; }
  const std::vector<auth::Credential>& iamCredentials() const { return iamCredentials_; }
  // The --jwks key set of an issuer (REST APIs' Cognito user pools), or null. Read-only after start.
  std::shared_ptr<const Jwks> jwksOf(const std::string& issuer) const {
    auto it = jwks_.find(issuer);
    return it == jwks_.end() ? nullptr : it->second;
  }
  websocket::WsManager& websockets() { return *websockets_; }
  // Runs fn on worker `index`'s loop thread (false: the worker has stopped).
  bool post(int index, std::function<void()> fn);

 private:
  void handle(const http::RequestContextPtr& ctx);
  Result<bool> loadApiFiles();
  std::string tlsMetricsText() const;  // the listener's TLS counters (empty without TLS)

  GatewayOptions options_;
  http::ServerOptions httpOptions_;
  ModelStore store_;
  std::optional<Endpoint> lambda_;
  RestStore restStore_;
  std::optional<Endpoint> storeEp_;
  AuthorizerCache authorizerCache_;
  std::vector<auth::Credential> iamCredentials_;
  std::map<std::string, std::shared_ptr<const Jwks>> jwks_;  // --jwks, by issuer
  std::unique_ptr<websocket::WsManager> websockets_;
  std::vector<std::unique_ptr<WorkerState>> workers_;
  std::unique_ptr<http::HttpServer> server_;
  // Written once the server listens, after its worker threads started (they read it for
  // management answers): atomic, a race TSan found.
  std::atomic<int> port_{0};
};

}  // namespace cdnlab::gateway

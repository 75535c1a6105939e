// WsManager: the WebSocket side of the gateway. Takes WEBSOCKET APIs' requests from the invoke
// path: the upgrade (the $connect route's function may refuse it), messages routed by the API's
// routeSelectionExpression to their route's Lambda function (two-way routes send the answer back),
// $disconnect when a connection ends, and the @connections management API
// (POST /<stage>/@connections/{id} to send, GET for its info, DELETE to close; 410 GoneException
// for a connection that is gone) that functions call to push messages.
//
// Threading: a connection lives on the worker that accepted it (its Session and the per-worker
// map are loop-thread only); the registry of connection ids is shared under a lock, and an
// @connections call that arrives on another worker is posted to the connection's worker and its
// answer posted back.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/http/server.h"
#include "gateway/routing/invoke_target.h"
#include "gateway/runtime/snapshot.h"
#include "gateway/websocket/session.h"

namespace cdnlab::gateway {
class GatewayServer;
}

namespace cdnlab::gateway::websocket {

class WsManager {
 public:
  WsManager(GatewayServer& gw, SessionLimits limits) : gw_(gw), limits_(limits) {}

  // A request for a WEBSOCKET API whose stage is known: an upgrade, an @connections call, or
  // anything else (426 Upgrade Required).
  void handle(const http::RequestContextPtr& ctx, const InvokeTarget& target, const CompiledApi& api,
              const CompiledStage& stage, std::string_view stagePath);
  // Closes the worker's connections (server stop; no $disconnect is sent then).
  void closeWorker(int worker);
  size_t connectionCount() const;
  const SessionLimits& limits() const { return limits_; }

 private:
  struct Info {
    int worker = 0;
    std::string apiId, stage, domainName, sourceIp, userAgent;
    int64_t connectedAtMs = 0;
    int64_t lastActiveMs = 0;
  };
  struct Live {
    Session* session = nullptr;
    http::Headers handshakeHeaders;  // for the DISCONNECT event
  };
  struct WorkerConns {
    std::unordered_map<std::string, Live> live;
  };

  void upgrade(const http::RequestContextPtr& ctx, const InvokeTarget& target, const CompiledApi& api,
               const CompiledStage& stage);
  void accept(const http::RequestContextPtr& ctx, const std::string& id, Info info, const std::string& extraHeaders);
  void onMessage(const std::string& id, std::string text);
  void onClosed(const std::string& id, int status, const std::string& reason);
  void connections(const http::RequestContextPtr& ctx, const InvokeTarget& target, const CompiledStage& stage,
                   std::string_view rest);
  // Runs `fn(Session*)` on the connection's worker (nullptr: gone), then `reply` on this worker.
  void onConnectionWorker(const http::RequestContextPtr& ctx, const std::string& id, int worker,
                          std::function<http::Response(Session*)> fn);
  std::shared_ptr<const Snapshot> snapshotFor(int worker);
  WorkerConns& conns(int worker);

  GatewayServer& gw_;
  SessionLimits limits_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Info> registry_;
  std::mutex workersMu_;  // guards the vector's growth only; each element is its worker's
  std::vector<std::unique_ptr<WorkerConns>> workers_;
};

}  // namespace cdnlab::gateway::websocket

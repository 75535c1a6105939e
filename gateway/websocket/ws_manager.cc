// WebSocket APIs on the gateway (see ws_manager.h).
#include "gateway/websocket/ws_manager.h"

#include <set>

#include "common/clock.h"
#include "common/log.h"
#include "gateway/integrations/lambda_invoke.h"
#include "gateway/integrations/lambda_target.h"
#include "gateway/integrations/proxy_event.h"
#include "gateway/json.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/server/gateway_server.h"
#include "gateway/websocket/handshake.h"
#include "gateway/websocket/utf8.h"
#include "gateway/websocket/ws_event.h"

namespace cdnlab::gateway::websocket {
namespace {

const CompiledRoute* routeByKey(const CompiledStage& stage, std::string_view key) {
  for (const auto& r : stage.routes)
    if (r.route.routeKey == key) return &r;
  return nullptr;
}

std::string peerIp(const http::Request& req) { return req.peer.substr(0, req.peer.rfind(':')); }

// API Gateway's error message to a client whose message could not be handled.
std::string clientError(std::string_view message, const std::string& connectionId, const std::string& requestId) {
  return "{\"message\":" + jsonQuote(message) + ",\"connectionId\":" + jsonQuote(connectionId) +
         ",\"requestId\":" + jsonQuote(requestId) + "}";
}

std::string newRequestId() {
  std::string id = newConnectionId();
  id.back() = 'A';
  return id + "=";
}

// Invokes a route's AWS_PROXY integration through the Lambda Invoke API; `done` gets the
// function's answer or why there is none.
void invokeRoute(GatewayServer& gw, int worker, const Integration& in, std::string event,
                 std::function<void(Result<std::string>)> done) {
  if (in.type != "AWS_PROXY") return done(Error{500, "integration type " + in.type + " is not served by WebSocket APIs (AWS_PROXY)"});
  const auto& ep = gw.lambdaEndpoint();
  if (!ep) return done(Error{500, "no Lambda endpoint configured (--lambda-endpoint)"});
  auto target = resolveLambdaUri(in.uri);
  if (!target) return done(target.error());
  http::ClientRequest cr = lambdaInvokeRequest(*ep, *target, std::move(event), static_cast<uint64_t>(in.timeoutMs));
  gw.worker(worker).client->request(std::move(cr), [done = std::move(done)](Result<http::ClientResponse> r) {
    if (!r) return done(Error{500, "Lambda invoke: " + r.error().message});
    std::string body(r->body.data(), r->body.size());
    if (r->status != 200) return done(Error{500, "Lambda invoke answered " + std::to_string(r->status)});
    if (r->headers.get("x-amz-function-error")) return done(Error{500, "function error: " + body.substr(0, 200)});
    done(std::move(body));
  });
}

http::Response gone(const std::string& id) { return awsError(410, "GoneException", "Connection " + id + " is gone"); }

}  // namespace

WsManager::WorkerConns& WsManager::conns(int worker) {
  std::lock_guard<std::mutex> lock(workersMu_);
  while (workers_.size() <= static_cast<size_t>(worker)) workers_.push_back(std::make_unique<WorkerConns>());
  return *workers_[static_cast<size_t>(worker)];
}

std::shared_ptr<const Snapshot> WsManager::snapshotFor(int worker) {
  WorkerState& ws = gw_.worker(worker);
  uint64_t v = gw_.store().version();
  if (ws.snapVersion != v) {
    ws.snap = gw_.store().snapshot();
    ws.snapVersion = v;
  }
  return ws.snap;
}

size_t WsManager::connectionCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return registry_.size();
}

void WsManager::handle(const http::RequestContextPtr& ctx, const InvokeTarget& target, const CompiledApi& api,
                       const CompiledStage& stage, std::string_view stagePath) {
  constexpr std::string_view kConnections = "/@connections/";
  if (stagePath.substr(0, kConnections.size()) == kConnections)
    return connections(ctx, target, stage, stagePath.substr(kConnections.size()));
  const auto& req = ctx->request();
  if (!isUpgradeRequest(req)) return ctx->respond(messageResponse(426, "Upgrade Required"));
  if (auto why = handshakeProblem(req)) {
    http::Response r = messageResponse(400, *why);
    return ctx->respond(std::move(r));
  }
  upgrade(ctx, target, api, stage);
}

// $connect: the route's function decides (a non-2xx statusCode refuses the connection with that
// status); without a $connect route every handshake is accepted.
void WsManager::upgrade(const http::RequestContextPtr& ctx, const InvokeTarget& target, const CompiledApi& api,
                        const CompiledStage& stage) {
  const auto& req = ctx->request();
  std::string id = newConnectionId();
  Info info;
  info.worker = ctx->workerIndex();
  info.apiId = api.id;
  info.stage = stage.name;
  info.domainName = target.domainName;
  info.sourceIp = peerIp(req);
  info.userAgent = std::string(req.headers.get("user-agent").value_or(""));
  info.connectedAtMs = wallMs();
  info.lastActiveMs = info.connectedAtMs;
  const CompiledRoute* route = routeByKey(stage, "$connect");
  if (!route || !route->integration) return accept(ctx, id, std::move(info), "");
  WsEventInput ev;
  ev.eventType = "CONNECT";
  ev.routeKey = "$connect";
  ev.connectionId = id;
  ev.connectedAtMs = info.connectedAtMs;
  ev.requestTimeMs = info.connectedAtMs;
  ev.requestId = newRequestId();
  ev.apiId = api.id;
  ev.domainName = target.domainName;
  ev.stage = stage.name;
  ev.sourceIp = info.sourceIp;
  ev.userAgent = info.userAgent;
  ev.headers = &req.headers;
  ev.rawQuery = req.query;
  ev.stageVariables = &stage.stageVariables;
  route->metrics->count.fetch_add(1, std::memory_order_relaxed);
  invokeRoute(gw_, ctx->workerIndex(), *route->integration, buildWebSocketEvent(ev),
              [this, ctx, id, info](Result<std::string> answer) mutable {
                if (!answer) {
                  LOG_INFO("gateway: websocket %s $connect: %s", info.apiId.c_str(), answer.error().message.c_str());
                  return ctx->respond(messageResponse(500, "Internal Server Error"));
                }
                auto resp = readProxyResponse(*answer, "1.0");
                if (!resp) return ctx->respond(messageResponse(500, "Internal Server Error"));
                if (resp->status < 200 || resp->status > 299) return ctx->respond(std::move(*resp));
                std::string extra;
                if (auto proto = resp->headers.get("sec-websocket-protocol"))
                  if (proto->find_first_of("\r\n") == std::string_view::npos)
                    extra = "Sec-WebSocket-Protocol: " + std::string(*proto) + "\r\n";
                accept(ctx, id, std::move(info), extra);
              });
}

void WsManager::accept(const http::RequestContextPtr& ctx, const std::string& id, Info info, const std::string& extraHeaders) {
  if (!ctx->alive()) return;  // the client left while $connect ran
  std::string key(http::trimOws(ctx->request().headers.get("sec-websocket-key").value_or("")));
  http::Headers handshakeHeaders = ctx->request().headers;
  int worker = ctx->workerIndex();
  uv_loop_t* loop = ctx->loop();
  bool took = ctx->takeOver([&](http::RequestContext::TakenSocket socket) {
    Session::Hooks hooks;
    hooks.onMessage = [this, id](Session&, std::string text) { onMessage(id, std::move(text)); };
    hooks.onClosed = [this, id](Session&, int status, std::string reason) { onClosed(id, status, reason); };
    {
      std::lock_guard<std::mutex> lock(mu_);
      registry_[id] = info;
    }
    conns(worker).live[id] = Live{nullptr, std::move(handshakeHeaders)};
    Session* s = Session::open(loop, socket.fd, std::move(socket.tls), switchingProtocolsResponse(key, extraHeaders), limits_,
                               std::move(hooks));
    if (!s) {
      conns(worker).live.erase(id);
      std::lock_guard<std::mutex> lock(mu_);
      registry_.erase(id);
      return;
    }
    auto it = conns(worker).live.find(id);
    if (it != conns(worker).live.end()) it->second.session = s;
  });
  if (!took) ctx->respond(messageResponse(400, "Bad Request"));
}

// A text message: route it, invoke the route's function, send a two-way route's answer back.
void WsManager::onMessage(const std::string& id, std::string text) {
  Info info;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = registry_.find(id);
    if (it == registry_.end()) return;
    it->second.lastActiveMs = wallMs();
    info = it->second;
  }
  auto snap = snapshotFor(info.worker);
  const CompiledApi* api = snap->find(info.apiId);
  auto st = api ? api->stages.find(info.stage) : decltype(api->stages.end()){};
  std::string requestId = newRequestId();
  auto reply = [this, id, worker = info.worker](const std::string& message) {
    auto& live = conns(worker).live;
    if (auto it = live.find(id); it != live.end() && it->second.session) it->second.session->send(message);
  };
  if (!api || st == api->stages.end()) return reply(clientError("Forbidden", id, requestId));
  const CompiledStage& stage = st->second;
  std::set<std::string> keys;
  for (const auto& r : stage.routes) keys.insert(r.route.routeKey);
  std::string key = selectRoute(api->routeSelectionExpression, text, keys);
  const CompiledRoute* route = routeByKey(stage, key);
  if (!route || !route->integration) return reply(clientError("Forbidden", id, requestId));
  auto metrics = route->metrics;
  metrics->count.fetch_add(1, std::memory_order_relaxed);
  WsEventInput ev;
  ev.eventType = "MESSAGE";
  ev.routeKey = key;
  ev.connectionId = id;
  ev.connectedAtMs = info.connectedAtMs;
  ev.requestTimeMs = wallMs();
  ev.requestId = requestId;
  ev.messageId = newRequestId();
  ev.apiId = info.apiId;
  ev.domainName = info.domainName;
  ev.stage = info.stage;
  ev.sourceIp = info.sourceIp;
  ev.userAgent = info.userAgent;
  // CONVERT_TO_BINARY: the text is base64 of binary data; a proxy event carries binary as base64
  // anyway, so the text goes on as it came, marked isBase64Encoded, once it is known to decode.
  if (route->integration->contentHandlingStrategy == "CONVERT_TO_BINARY") {
    if (!base64Decode(text)) {
      metrics->status5xx.fetch_add(1, std::memory_order_relaxed);
      LOG_INFO("gateway: websocket %s %s: CONVERT_TO_BINARY: the message is not base64", info.apiId.c_str(), key.c_str());
      return reply(clientError("Internal server error", id, requestId));
    }
    ev.bodyIsBase64 = true;
  }
  ev.body = std::move(text);
  ev.stageVariables = &stage.stageVariables;
  bool twoWay = !route->route.routeResponseSelectionExpression.empty();
  invokeRoute(gw_, info.worker, *route->integration, buildWebSocketEvent(ev),
              [reply, twoWay, id, requestId, metrics, apiId = info.apiId](Result<std::string> answer) {
                if (!answer) {
                  metrics->status5xx.fetch_add(1, std::memory_order_relaxed);
                  LOG_INFO("gateway: websocket %s: %s", apiId.c_str(), answer.error().message.c_str());
                  return reply(clientError("Internal server error", id, requestId));
                }
                if (twoWay) reply(routeResponseOf(*answer));
              });
}

// The connection ended (either side): forget it, then tell the $disconnect route.
void WsManager::onClosed(const std::string& id, int status, const std::string& reason) {
  Info info;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = registry_.find(id);
    if (it == registry_.end()) return;
    info = std::move(it->second);
    registry_.erase(it);
  }
  auto& live = conns(info.worker).live;
  auto it = live.find(id);
  if (it == live.end()) return;
  http::Headers headers = std::move(it->second.handshakeHeaders);
  bool stopping = it->second.session == nullptr;
  live.erase(it);
  if (stopping) return;
  auto snap = snapshotFor(info.worker);
  const CompiledApi* api = snap->find(info.apiId);
  if (!api) return;
  auto st = api->stages.find(info.stage);
  if (st == api->stages.end()) return;
  const CompiledRoute* route = routeByKey(st->second, "$disconnect");
  if (!route || !route->integration) return;
  WsEventInput ev;
  ev.eventType = "DISCONNECT";
  ev.routeKey = "$disconnect";
  ev.connectionId = id;
  ev.connectedAtMs = info.connectedAtMs;
  ev.requestTimeMs = wallMs();
  ev.requestId = newRequestId();
  ev.apiId = info.apiId;
  ev.domainName = info.domainName;
  ev.stage = info.stage;
  ev.sourceIp = info.sourceIp;
  ev.userAgent = info.userAgent;
  ev.headers = &headers;
  ev.disconnectStatusCode = status;
  ev.disconnectReason = reason;
  ev.stageVariables = &st->second.stageVariables;
  route->metrics->count.fetch_add(1, std::memory_order_relaxed);
  invokeRoute(gw_, info.worker, *route->integration, buildWebSocketEvent(ev), [id](Result<std::string> answer) {
    if (!answer) LOG_INFO("gateway: websocket $disconnect of %s: %s", id.c_str(), answer.error().message.c_str());
  });
}

void WsManager::closeWorker(int worker) {
  auto& live = conns(worker).live;
  std::vector<Session*> sessions;
  for (auto& [id, l] : live) {
    if (l.session) sessions.push_back(l.session);
    l.session = nullptr;  // marks "server stopping": no $disconnect
  }
  // A close frame, then the socket goes at once: a peer slow to answer must not hold the loop.
  for (Session* s : sessions) {
    s->close(1001, "Going away");
    s->abort();
  }
}

// @connections/{id}: POST sends the body to the connection, GET describes it, DELETE closes it.
void WsManager::connections(const http::RequestContextPtr& ctx, const InvokeTarget& target, const CompiledStage& stage,
                            std::string_view rest) {
  const auto& req = ctx->request();
  std::string id = percentDecode(rest);
  if (id.empty() || id.find('/') != std::string::npos) return ctx->respond(awsError(404, "NotFoundException", "Not Found"));
  Info info;
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = registry_.find(id);
    if (it != registry_.end() && it->second.apiId == target.apiId && it->second.stage == stage.name) {
      info = it->second;
      found = true;
    }
  }
  if (req.method != "POST" && req.method != "GET" && req.method != "DELETE")
    return ctx->respond(awsError(405, "MethodNotAllowedException", "Method " + req.method + " is not allowed on @connections"));
  if (!found) return ctx->respond(gone(id));
  if (req.method == "GET") {
    std::string body = "{\"connectedAt\":" + jsonQuote(isoTime(info.connectedAtMs)) + ",\"identity\":{\"sourceIp\":" +
                       jsonQuote(info.sourceIp) + ",\"userAgent\":" + jsonQuote(info.userAgent) + "},\"lastActiveAt\":" +
                       jsonQuote(isoTime(info.lastActiveMs)) + "}";
    return ctx->respond(jsonResponse(200, std::move(body)));
  }
  if (req.method == "POST") {
    if (req.body.size() > limits_.maxMessageBytes)
      return ctx->respond(awsError(413, "PayloadTooLargeException", "Message too long: the limit is " +
                                                                        std::to_string(limits_.maxMessageBytes) + " bytes"));
    std::string data = req.body;
    // UTF-8 data goes out as a text frame, as API Gateway sends it. Bytes that are not UTF-8
    // cannot be a valid text frame (RFC 6455 8.1: the client would fail the connection with
    // 1007), so they go out as a binary frame.
    bool binary = !isValidUtf8(data);
    return onConnectionWorker(ctx, id, info.worker, [id, data = std::move(data), binary](Session* s) {
      if (!s || !s->send(data, binary)) return gone(id);
      http::Response r;
      r.status = 200;
      return r;
    });
  }
  onConnectionWorker(ctx, id, info.worker, [id](Session* s) {
    if (!s) return gone(id);
    s->close(1000, "Closed by the @connections API");
    http::Response r;
    r.status = 204;
    return r;
  });
}

void WsManager::onConnectionWorker(const http::RequestContextPtr& ctx, const std::string& id, int worker,
                                   std::function<http::Response(Session*)> fn) {
  int here = ctx->workerIndex();
  auto run = [this, ctx, id, worker, here, fn = std::move(fn)] {
    auto& live = conns(worker).live;
    auto it = live.find(id);
    Session* s = it == live.end() || !it->second.session || it->second.session->closing() ? nullptr : it->second.session;
    http::Response r = fn(s);
    if (worker == here) return ctx->respond(std::move(r));
    auto resp = std::make_shared<http::Response>(std::move(r));
    if (!gw_.post(here, [ctx, resp] { ctx->respond(std::move(*resp)); })) return;
  };
  if (worker == here) return run();
  if (!gw_.post(worker, std::move(run))) ctx->respond(gone(id));
}

}  // namespace cdnlab::gateway::websocket

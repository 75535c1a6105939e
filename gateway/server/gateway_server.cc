// GatewayServer: startup (model, --api files), per-worker clients and request dispatch.
#include "gateway/server/gateway_server.h"

#include <fstream>
#include <map>
#include <sstream>

#include "common/http/tls.h"
#include "common/log.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/mgmt/v2_api.h"
#include "gateway/openapi/importer.h"
#include "gateway/rest/rest_invoke.h"
#include "gateway/rest/rest_mgmt.h"
#include "gateway/rest/rest_test_authorizer.h"
#include "gateway/server/iam_authorize.h"
#include "gateway/server/invoke_chain.h"
#include "gateway/websocket/ws_manager.h"

namespace cdnlab::gateway {

GatewayServer::GatewayServer(GatewayOptions options)
    : options_(std::move(options)), store_(options_.dataDir), restStore_(options_.dataDir) {}

GatewayServer::~GatewayServer() { stop(0); }

bool GatewayServer::post(int index, std::function<void()> fn) { return server_ && server_->post(index, std::move(fn)); }

Result<bool> GatewayServer::loadApiFiles() {
  for (const auto& file : options_.apiFiles) {
    std::ifstream in(file);
    if (!in) return Error{1, file + ": cannot read"};
    std::stringstream ss;
    ss << in.rdbuf();
    auto api = importOpenApi(ss.str(), file);
    if (!api) return api.error();
    api->importSource = file;
    // A file loaded again at restart replaces the API it made last time (same source path).
    auto r = store_.mutate([&](std::vector<Api>& apis) -> Result<bool> {
      Api fresh = std::move(*api);
      for (auto it = apis.begin(); it != apis.end(); ++it)
        if (it->importSource == file) {
          fresh.id = it->id;
          fresh.createdMs = it->createdMs;
          fresh.stages = it->stages;
          fresh.deployments = it->deployments;
          if (auto p = prepareImportedApi(fresh, true); !p) return p.error();
          *it = std::move(fresh);
          return true;
        }
      auto added = addImportedApi(apis, std::move(fresh), true);
      if (!added) return added.error();
      return true;
    });
    if (!r) return r.error();
  }
  return true;
}

Result<int> GatewayServer::start() {
  if (auto r = httpOptions_.setListen(options_.listen); !r) return Error{2, "--listen: " + r.error().message};
  httpOptions_.workers = options_.workers;
  httpOptions_.limits.maxBodyBytes = options_.maxBodyBytes;
  if (options_.tlsCert.empty() != options_.tlsKey.empty())
    return Error{2, options_.tlsCert.empty() ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key"};
  if (!options_.tlsCert.empty()) {
    auto tls = http::TlsContext::load(options_.tlsCert, options_.tlsKey);
    if (!tls) return Error{2, "TLS: " + tls.error().message};
    httpOptions_.tls = *tls;
  }
  if (!options_.lambdaEndpoint.empty()) {
    auto ep = parseHttpEndpoint(options_.lambdaEndpoint);
    if (!ep) return Error{2, "--lambda-endpoint: " + ep.error().message};
    lambda_ = *ep;
  }
  if (!options_.storeEndpoint.empty()) {
    auto ep = parseHttpEndpoint(options_.storeEndpoint);
    if (!ep) return Error{2, "--store-endpoint: " + ep.error().message};
    storeEp_ = *ep;
  }
  std::map<std::string, std::shared_ptr<const Jwks>> keySets;
  for (const auto& spec : options_.jwks) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) return Error{2, "--jwks " + spec + ": expected ISSUER=FILE"};
    std::string file = spec.substr(eq + 1);
    std::ifstream in(file);
    if (!in) return Error{2, "--jwks " + file + ": cannot read"};
    std::stringstream ss;
    ss << in.rdbuf();
    auto set = Jwks::parse(ss.str());
    if (!set) return Error{2, "--jwks " + file + ": " + set.error().message};
    keySets[spec.substr(0, eq)] = *set;
  }
  jwks_ = keySets;
  store_.setJwks(std::move(keySets));
  for (const auto& spec : options_.iamKeys) {
    auto c = parseIamKey(spec);
    if (!c) return Error{2, "--iam-key " + spec.substr(0, spec.find(':')) + ": expected ACCESS_KEY:SECRET"};
    iamCredentials_.push_back(std::move(*c));
  }
  if (auto r = store_.load(); !r) return r.error();
  if (auto r = restStore_.load(); !r) return r.error();
  if (auto r = loadApiFiles(); !r) return r.error();
  websocket::SessionLimits wsLimits;
  wsLimits.maxMessageBytes = options_.wsMaxMessageBytes;
  wsLimits.maxFrameBytes = options_.wsMaxFrameBytes;
  wsLimits.idleMs = options_.wsIdleSeconds * 1000;
  wsLimits.maxLifetimeMs = options_.wsMaxLifetimeSeconds * 1000;
  websockets_ = std::make_unique<websocket::WsManager>(*this, wsLimits);
  int n = options_.workers > 0 ? options_.workers : 1;
  for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<WorkerState>());
  httpOptions_.workers = n;
  server_ = std::make_unique<http::HttpServer>(httpOptions_, [this](const http::RequestContextPtr& ctx) { handle(ctx); });
  server_->onWorkerStart([this](const http::WorkerInfo& w) {
    auto& ws = *workers_[static_cast<size_t>(w.index)];
    ws.loop = w.loop;
    http::ClientOptions co;
    co.responseTimeoutMs = 30000;
    co.maxConnectionsPerUpstream = 256;
    ws.client = std::make_unique<http::HttpClient>(w.loop, co);
    ws.jwks = std::make_unique<JwksFetcher>(
        *ws.client, JwksFetchOptions{options_.jwksTtlSeconds, options_.jwksMinRefreshSeconds, 5000, 1 << 20});
  });
  server_->onWorkerStop([this](const http::WorkerInfo& w) {
    auto& ws = *workers_[static_cast<size_t>(w.index)];
    if (websockets_) websockets_->closeWorker(w.index);
    if (ws.client) ws.client->close();
    ws.client.reset();
    ws.jwks.reset();
    ws.snap.reset();
    ws.restSnap.reset();
  });
  auto port = server_->start();
  if (!port) return port.error();
  port_.store(*port);
  return *port;
}

void GatewayServer::stop(uint64_t graceMs) {
  if (server_) server_->stop(graceMs);
}

std::string GatewayServer::tlsMetricsText() const {
  if (!tls()) return "";
  const http::ServerStats& st = server_->stats();
  return "# HELP cdnlab_gateway_tls_handshakes_total TLS handshakes completed.\n"
         "# TYPE cdnlab_gateway_tls_handshakes_total counter\n"
         "cdnlab_gateway_tls_handshakes_total " + std::to_string(st.tlsHandshakes.load(std::memory_order_relaxed)) + "\n"
         "# HELP cdnlab_gateway_tls_failures_total Connections closed for a failed handshake or a bad TLS record.\n"
         "# TYPE cdnlab_gateway_tls_failures_total counter\n"
         "cdnlab_gateway_tls_failures_total " + std::to_string(st.tlsFailures.load(std::memory_order_relaxed)) + "\n";
}

void GatewayServer::handle(const http::RequestContextPtr& ctx) {
  const auto& req = ctx->request();
  std::string_view host = req.headers.get("host").value_or("");
  InvokeTarget target;
  if (invokeTargetOf(host, req.path, target)) {
    // The worker's cached REST snapshot (no lock per request), refreshed when the REST model changed.
    WorkerState& ws = worker(ctx->workerIndex());
    if (uint64_t v = restStore_.version(); ws.restSnapVersion != v) {
      ws.restSnap = restStore_.snapshot();
      ws.restSnapVersion = v;
    }
    if (ws.restSnap->find(target.apiId)) return runRestInvoke(*this, ctx, std::move(target), ws.restSnap);
    return runInvokeChain(*this, ctx, std::move(target));
  }
  if (isTestInvokeAuthorizer(req)) return testInvokeAuthorizer(*this, ctx);  // asynchronous: may call the authorizer
  if (isRestManagementPath(req.path)) {
    http::Response r = handleRestManagement(restStore_, req);
    r.headers.set("x-amzn-RequestId", newAwsRequestId());
    return ctx->respond(std::move(r));
  }
  if (isV2ManagementPath(req.path)) {
    V2ApiOptions o;
    o.endpointBase = std::string(tls() ? "https" : "http") + "://{apiId}.execute-api.localhost:" + std::to_string(port_.load());
    http::Response r = handleV2(store_, req, o);
    r.headers.set("x-amzn-RequestId", newAwsRequestId());
    return ctx->respond(std::move(r));
  }
  if (req.path == "/metrics" && req.method == "GET") {
    return ctx->respond(http::Response(200, store_.metrics().render() + restStore_.metricsText() + tlsMetricsText(),
                                       "text/plain; version=0.0.4"));
  }
  ctx->respond(messageResponse(404, "Not Found"));
}

}  // namespace cdnlab::gateway

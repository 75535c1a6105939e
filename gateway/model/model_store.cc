// ModelStore: locking, persistence and snapshot building (see model_store.h).
#include "gateway/model/model_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/clock.h"
#include "common/log.h"
#include "gateway/model/model_json.h"

namespace cdnlab::gateway {

ModelStore::ModelStore(std::string dataDir) : dataDir_(std::move(dataDir)), accessLogs_(dataDir_) {
  snap_ = std::make_shared<Snapshot>();
}

Result<bool> ModelStore::load() {
  if (dataDir_.empty()) return true;
  if (::mkdir(dataDir_.c_str(), 0755) != 0 && errno != EEXIST)
    return Error{1, "--data " + dataDir_ + ": " + std::strerror(errno)};
  std::string path = dataDir_ + "/apis.json";
  std::ifstream in(path);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    auto apis = readState(ss.str());
    if (!apis) return Error{1, path + ": " + apis.error().message};
    std::lock_guard<std::mutex> lock(mu_);
    apis_ = std::move(*apis);
  }
  std::lock_guard<std::mutex> lock(mu_);
  publish();
  return true;
}

Result<bool> ModelStore::mutate(const std::function<Result<bool>(std::vector<Api>&)>& fn) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Api> before = apis_;
  auto r = fn(apis_);
  if (!r) {
    apis_ = std::move(before);
    return r;
  }
  if (auto p = persist(); !p) {
    apis_ = std::move(before);
    return p;
  }
  publish();
  return r;
}

void ModelStore::read(const std::function<void(const std::vector<Api>&)>& fn) const {
  std::lock_guard<std::mutex> lock(mu_);
  fn(apis_);
}

std::shared_ptr<const Snapshot> ModelStore::snapshot() const {
  std::lock_guard<std::mutex> lock(snapMu_);
  return snap_;
}

Result<bool> ModelStore::persist() {
  if (dataDir_.empty()) return true;
  std::string text = writeState(apis_);
  return writeFileAtomically(dataDir_ + "/apis.json", text);
}

std::shared_ptr<TokenBucket> ModelStore::bucketFor(const std::string& key, double rate, int64_t burst) {
  std::lock_guard<std::mutex> lock(bucketMu_);
  auto& b = buckets_[key];
  if (!b || b->rate() != rate || b->burst() != static_cast<double>(burst))
    b = std::make_shared<TokenBucket>(rate, burst, SystemClock::instance().nowNs());
  return b;
}

namespace {

std::string routePathOf(const std::string& routeKey) {
  auto sp = routeKey.find(' ');
  return sp == std::string::npos ? std::string() : routeKey.substr(sp + 1);
}

// What a stage serves: the API's live routes and integrations when it deploys automatically,
// else those frozen in its deployment (nothing when that deployment is gone).
struct StageContent {
  const std::vector<Route>* routes;
  const std::vector<Integration>* integrations;
};

StageContent stageContent(const Api& api, const Stage& st) {
  if (st.autoDeploy) return {&api.routes, &api.integrations};
  static const std::vector<Route> kNoRoutes;
  static const std::vector<Integration> kNoIntegrations;
  const Deployment* d = api.findDeployment(st.deploymentId);
  return {d ? &d->routes : &kNoRoutes, d ? &d->integrations : &kNoIntegrations};
}

// A copy of the integration a route's target "integrations/<id>" names, or null.
std::shared_ptr<Integration> targetIntegration(const Route& r, const std::vector<Integration>& integrations) {
  std::shared_ptr<Integration> found;
  if (r.target.rfind("integrations/", 0) != 0) return found;
  const std::string id = r.target.substr(13);
  for (const auto& i : integrations)
    if (i.id == id) found = std::make_shared<Integration>(i);
  return found;
}

}  // namespace

// A WebSocket API's stages: routes by key ($connect, $disconnect, $default, custom), no route
// table (messages pick routes by the routeSelectionExpression). Called with mu_ held.
void ModelStore::compileWebSocketStages(const Api& api, CompiledApi& ca) {
  for (const auto& st : api.stages) {
    const StageContent content = stageContent(api, st);
    auto table = RouteTable::build({});
    if (!table) continue;
    CompiledStage cs{st.name, st.stageVariables, std::move(*table), {}, nullptr, "", nullptr};
    for (const auto& r : *content.routes) {
      CompiledRoute cr;
      cr.route = r;
      cr.integration = targetIntegration(r, *content.integrations);
      cr.metrics = metrics_.get(api.id, st.name, r.routeKey);
      cs.routes.push_back(std::move(cr));
    }
    cs.unmatchedMetrics = metrics_.get(api.id, st.name, "-");
    if (st.name == "$default") ca.hasDefaultStage = true;
    ca.stages.emplace(st.name, std::move(cs));
  }
}

// Called with mu_ held.
void ModelStore::publish() {
  auto snap = std::make_shared<Snapshot>();
  for (const auto& api : apis_) {
    auto ca = std::make_shared<CompiledApi>();
    ca->id = api.id;
    ca->name = api.name;
    ca->protocolType = api.protocolType;
    ca->cors = api.corsConfiguration;
    ca->disableExecuteApiEndpoint = api.disableExecuteApiEndpoint;
    ca->routeSelectionExpression = api.routeSelectionExpression;
    if (api.protocolType == "WEBSOCKET") {
      compileWebSocketStages(api, *ca);
      snap->apis.emplace(api.id, std::move(ca));
      continue;
    }
    if (api.protocolType != "HTTP") continue;  // only HTTP and WebSocket APIs are served on the invoke path
    for (const auto& st : api.stages) {
      const StageContent content = stageContent(api, st);
      std::vector<std::string> keys;
      for (const auto& r : *content.routes) keys.push_back(r.routeKey);
      auto table = RouteTable::build(keys);
      if (!table) {
        LOG_ERROR("gateway: api %s stage %s not served: %s", api.id.c_str(), st.name.c_str(), table.error().message.c_str());
        continue;
      }
      CompiledStage cs{st.name, st.stageVariables, std::move(*table), {}, nullptr, "", nullptr};
      for (const auto& r : *content.routes) {
        CompiledRoute cr;
        cr.route = r;
        cr.resourcePath = routePathOf(r.routeKey);
        cr.integration = targetIntegration(r, *content.integrations);
        if (cr.integration && cr.integration->type == "MOCK") cr.mock = compileMockAnswer(cr.integration->mock);
        RouteSettings rs = st.defaultRouteSettings;
        if (auto it = st.routeSettings.find(r.routeKey); it != st.routeSettings.end()) {
          if (it->second.throttlingRateLimit) rs.throttlingRateLimit = it->second.throttlingRateLimit;
          if (it->second.throttlingBurstLimit) rs.throttlingBurstLimit = it->second.throttlingBurstLimit;
        }
        if (rs.throttlingRateLimit || rs.throttlingBurstLimit) {
          double rate = rs.throttlingRateLimit.value_or(10000);
          int64_t burst = rs.throttlingBurstLimit.value_or(5000);
          cr.bucket = bucketFor(api.id + '\n' + st.name + '\n' + r.routeKey, rate, burst);
        }
        cr.metrics = metrics_.get(api.id, st.name, r.routeKey);
        if (r.authorizationType == "CUSTOM") {
          if (const Authorizer* az = api.findAuthorizer(r.authorizerId); az && az->authorizerType == "REQUEST") {
            auto ca = std::make_shared<CompiledAuthorizer>();
            ca->config = *az;
            cr.authorizer = std::move(ca);
          }
        }
        if (r.authorizationType == "JWT") {
          if (const Authorizer* az = api.findAuthorizer(r.authorizerId); az && az->authorizerType == "JWT") {
            auto ca = std::make_shared<CompiledAuthorizer>();
            ca->config = *az;
            ca->identityHeader = az->identitySource.empty() || az->identitySource[0].size() <= 16
                                     ? "authorization"
                                     : az->identitySource[0].substr(16);
            if (auto it = jwks_.find(az->issuer); it != jwks_.end()) ca->keys = it->second;
            cr.authorizer = std::move(ca);
          }
        }
        cs.routes.push_back(std::move(cr));
      }
      cs.unmatchedMetrics = metrics_.get(api.id, st.name, "-");
      if (st.accessLogSettings && !st.accessLogSettings->destinationArn.empty()) {
        cs.accessLog = accessLogs_.open(st.accessLogSettings->destinationArn);
        cs.accessLogFormat = st.accessLogSettings->format;
      }
      if (st.name == "$default") ca->hasDefaultStage = true;
      ca->stages.emplace(st.name, std::move(cs));
    }
    snap->apis.emplace(api.id, std::move(ca));
  }
  {
    std::lock_guard<std::mutex> lock(snapMu_);
    snap_ = std::move(snap);
  }
  version_.fetch_add(1, std::memory_order_release);
}

Result<bool> validateRoutes(const Api& api) {
  std::vector<std::string> keys;
  for (const auto& r : api.routes) {
    keys.push_back(r.routeKey);
    if (r.authorizationType == "JWT" || r.authorizationType == "CUSTOM") {
      const Authorizer* az = api.findAuthorizer(r.authorizerId);
      if (!az) return Error{404, "Invalid authorizer identifier specified " + r.authorizerId + " (route " + r.routeKey + ")"};
      const char* wanted = r.authorizationType == "JWT" ? "JWT" : "REQUEST";
      if (az->authorizerType != wanted)
        return Error{400, "Invalid input: authorizationType " + r.authorizationType + " needs a " + wanted +
                              " authorizer, " + r.authorizerId + " is " + az->authorizerType + " (route " + r.routeKey + ")"};
    } else if (r.authorizationType != "NONE" && r.authorizationType != "AWS_IAM") {
      return Error{400, "Invalid input: authorizationType " + r.authorizationType +
                            " must be NONE, JWT, CUSTOM or AWS_IAM; route " + r.routeKey};
    }
    if (!r.target.empty()) {
      if (r.target.rfind("integrations/", 0) != 0)
        return Error{400, "Invalid input: route " + r.routeKey + " target must be integrations/<integrationId>, got " + r.target};
      std::string iid = r.target.substr(13);
      bool found = false;
      for (const auto& i : api.integrations) found |= i.id == iid;
      if (!found) return Error{404, "Invalid integration identifier specified " + iid + " (route " + r.routeKey + ")"};
    }
  }
  if (api.protocolType == "WEBSOCKET") return true;  // route keys there are free-form ($connect, "sendmessage")
  auto t = RouteTable::build(keys);
  if (!t) return t.error();
  return true;
}

}  // namespace cdnlab::gateway

// RestStore: locking, persistence and snapshot compilation (see rest_store.h).
#include "gateway/rest/rest_store.h"

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
#include "gateway/rest/rest_json.h"
#include "gateway/routing/path_segments.h"

namespace cdnlab::gateway {

Result<CompiledRestMethod> compileMethod(const RestMethod& m) {
  CompiledRestMethod cm;
  cm.config = m;
  if (!m.integration) return cm;
  for (const auto& [ct, text] : m.integration->requestTemplates) {
    auto t = vtl::parseTemplate(ct, text);
    if (!t) return Error{400, "Invalid mapping expression specified: request template " + t.error().message};
    cm.requestTemplates[ct] = *t;
  }
  CompiledIntegrationResponse fallback;
  bool hasDefault = false;
  for (const auto& [code, r] : m.integration->integrationResponses) {
    CompiledIntegrationResponse cr;
    cr.config = r;
    for (const auto& [ct, text] : r.responseTemplates) {
      auto t = vtl::parseTemplate(ct, text);
      if (!t) return Error{400, "Invalid mapping expression specified: response " + code + " template " + t.error().message};
      cr.templates[ct] = *t;
    }
    if (r.selectionPattern.empty()) {
      fallback = std::move(cr);
      hasDefault = true;
      continue;
    }
    if (r.selectionPattern.size() > 512) return Error{400, "Invalid selection pattern (longer than 512) for response " + code};
    try {  // std::regex reports a bad pattern only by throwing; caught here at deploy time
      cr.pattern = std::make_shared<const std::regex>(r.selectionPattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      return Error{400, "Invalid selection pattern specified: " + r.selectionPattern};
    }
    cm.responses.push_back(std::move(cr));
  }
  if (hasDefault) cm.responses.push_back(std::move(fallback));
  return cm;
}

RestStore::RestStore(std::string dataDir) : dataDir_(std::move(dataDir)) { snap_ = std::make_shared<RestSnapshot>(); }

Result<bool> RestStore::load() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!dataDir_.empty()) {
    std::string path = dataDir_ + "/restapis.json";
    std::ifstream in(path);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      auto s = readRestState(ss.str());
      if (!s) return Error{1, path + ": " + s.error().message};
      state_ = std::move(*s);
    }
  }
  publish();
  return true;
}

Result<bool> RestStore::mutate(const std::function<Result<bool>(RestState&)>& fn) {
  std::lock_guard<std::mutex> lock(mu_);
  RestState before = state_;
  auto r = fn(state_);
  if (!r) {
    state_ = std::move(before);
    return r;
  }
  if (auto p = persist(); !p) {
    state_ = std::move(before);
    return p;
  }
  publish();
  return r;
}

void RestStore::read(const std::function<void(const RestState&)>& fn) const {
  std::lock_guard<std::mutex> lock(mu_);
  fn(state_);
}

std::shared_ptr<const RestSnapshot> RestStore::snapshot() const {
  std::lock_guard<std::mutex> lock(snapMu_);
  return snap_;
}

Result<bool> RestStore::persist() {
  if (dataDir_.empty()) return true;
  ::mkdir(dataDir_.c_str(), 0755);
  std::string text = writeRestState(state_);
  return writeFileAtomically(dataDir_ + "/restapis.json", text);
}

namespace {

std::vector<std::string> segmentsOf(const std::string& path) {
  std::vector<std::string_view> views;
  splitPath(path, views);
  return std::vector<std::string>(views.begin(), views.end());
}

RestMethodSetting settingsFor(const RestStage& st, const std::string& path, const std::string& method) {
  RestMethodSetting s;
  if (auto it = st.methodSettings.find("*/*"); it != st.methodSettings.end()) s = it->second;
  std::string key = (path.size() > 1 ? path.substr(1) : std::string()) + "/" + method;
  if (auto it = st.methodSettings.find(key); it != st.methodSettings.end()) s = it->second;
  return s;
}

}  // namespace

// Called with mu_ held.
void RestStore::publish() {
  auto snap = std::make_shared<RestSnapshot>();
  for (const auto& k : state_.apiKeys) snap->keysByValue[k.value] = k;
  std::vector<std::shared_ptr<const UsagePlan>> plans;
  for (const auto& p : state_.usagePlans) plans.push_back(std::make_shared<const UsagePlan>(p));
  std::map<std::string, std::shared_ptr<StageCache>> liveCaches;
  std::map<std::string, std::shared_ptr<TokenBucket>> liveBuckets;
  for (const auto& api : state_.apis) {
    auto ca = std::make_shared<CompiledRestApi>();
    ca->id = api.id;
    ca->name = api.name;
    ca->apiKeySource = api.apiKeySource;
    ca->binaryMediaTypes = api.binaryMediaTypes;
    for (const auto& st : api.stages) {
      const RestDeployment* d = api.findDeployment(st.deploymentId);
      if (!d) continue;
      auto defs = compileDefinitions(d->definitions);
      if (!defs) {  // validated when they were put; a state file edited by hand can still hold one
        LOG_ERROR("gateway: rest api %s stage %s not served: %s", api.id.c_str(), st.stageName.c_str(),
                  defs.error().message.c_str());
        continue;
      }
      CompiledRestStage cs;
      cs.name = st.stageName;
      cs.gatewayResponses = defs->gatewayResponses;
      cs.deploymentId = st.deploymentId;
      cs.variables = st.variables;
      for (const auto& r : d->resources) {
        CompiledResource cr;
        cr.id = r.id;
        cr.path = r.path;
        cr.segments = segmentsOf(r.path);
        for (const auto& [name, m] : r.methods) {
          auto cm = compileMethod(m);
          if (!cm) {  // validated when it was put; a state file edited by hand can still hold one
            LOG_ERROR("gateway: rest api %s %s %s not served: %s", api.id.c_str(), r.path.c_str(), name.c_str(),
                      cm.error().message.c_str());
            continue;
          }
          auto bound = bindMethod(m, d->definitions, *defs);
          if (!bound) {
            LOG_ERROR("gateway: rest api %s %s %s not served: %s", api.id.c_str(), r.path.c_str(), name.c_str(),
                      bound.error().message.c_str());
            continue;
          }
          cm->bindings = std::move(*bound);
          cm->settings = settingsFor(st, r.path, name);
          if (cm->settings.throttlingRateLimit || cm->settings.throttlingBurstLimit) {
            // A bucket per method, kept across republishes while its limits stay the same.
            double rate = cm->settings.throttlingRateLimit.value_or(10000);
            int64_t burst = cm->settings.throttlingBurstLimit.value_or(5000);
            std::string key = api.id + '\n' + st.stageName + '\n' + r.path + '\n' + name;
            auto it = buckets_.find(key);
            if (it != buckets_.end() && it->second->rate() == rate && it->second->burst() == static_cast<double>(burst)) {
              cm->bucket = it->second;
            } else {
              cm->bucket = std::make_shared<TokenBucket>(rate, burst, SystemClock::instance().nowNs());
            }
            liveBuckets[key] = cm->bucket;
          }
          cr.methods.emplace(name, std::move(*cm));
        }
        cs.resources.push_back(std::move(cr));
      }
      if (st.cacheClusterEnabled) {
        std::string key = api.id + '\n' + st.stageName;
        auto it = caches_.find(key);
        cs.cache = it != caches_.end() ? it->second : std::make_shared<StageCache>(cacheCapacityFor(st.cacheClusterSize));
        liveCaches[key] = cs.cache;
      }
      for (const auto& p : plans)
        for (const auto& s : p->apiStages)
          if (s.apiId == api.id && s.stage == st.stageName) cs.plans.push_back(p);
      ca->stages.emplace(st.stageName, std::move(cs));
    }
    snap->apis.emplace(api.id, std::move(ca));
  }
  caches_ = std::move(liveCaches);
  buckets_ = std::move(liveBuckets);
  std::lock_guard<std::mutex> lock(snapMu_);
  snap_ = std::move(snap);
  version_.fetch_add(1, std::memory_order_release);
}

std::string RestStore::metricsText() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  if (caches_.empty()) return out;
  out += "# TYPE cdnlab_gateway_cache_hits_total counter\n# TYPE cdnlab_gateway_cache_misses_total counter\n"
         "# TYPE cdnlab_gateway_cache_bytes gauge\n";
  for (const auto& [key, c] : caches_) {
    size_t nl = key.find('\n');
    std::string labels = "{api=\"" + key.substr(0, nl) + "\",stage=\"" + key.substr(nl + 1) + "\"}";
    out += "cdnlab_gateway_cache_hits_total" + labels + " " + std::to_string(c->hits()) + "\n";
    out += "cdnlab_gateway_cache_misses_total" + labels + " " + std::to_string(c->misses()) + "\n";
    out += "cdnlab_gateway_cache_bytes" + labels + " " + std::to_string(c->bytes()) + "\n";
  }
  return out;
}

}  // namespace cdnlab::gateway

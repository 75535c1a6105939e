// RestStore: owns the REST APIs, API keys and usage plans (the mutable model), serialises changes
// under one lock, persists them to <data>/restapis.json (temporary file, fsync, rename) and
// publishes a compiled snapshot after each change: per stage, the deployed resource tree with
// parsed mapping templates and compiled selection patterns, the usage plans that cover it, and
// its cache. The invoke path reads only the snapshot.
#pragma once

#include <functional>
#include <map>
#include <atomic>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "gateway/rest/rest_definitions.h"
#include "gateway/rest/rest_model.h"
#include "gateway/rest/stage_cache.h"
#include "gateway/rest/usage_plans.h"
#include "gateway/vtl/parser.h"

namespace cdnlab::gateway {

struct CompiledIntegrationResponse {
  RestIntegrationResponse config;
  std::shared_ptr<const std::regex> pattern;  // null: the default response
  TemplateMap templates;
};

struct CompiledRestMethod {
  RestMethod config;
  TemplateMap requestTemplates;
  std::vector<CompiledIntegrationResponse> responses;  // patterned ones, then the default (if any)
  RestMethodSetting settings;                          // the stage's */* and resource/method settings
  std::shared_ptr<TokenBucket> bucket;                 // the settings' throttle; null: none
  MethodBindings bindings;                             // authorizer, request validator, body models
};

struct CompiledResource {
  std::string id;
  std::string path;
  std::vector<std::string> segments;  // "/items/{id}" -> {"items", "{id}"}
  std::map<std::string, CompiledRestMethod> methods;
};

struct CompiledRestStage {
  std::string name;
  std::string deploymentId;
  RestStringMap variables;
  std::vector<CompiledResource> resources;
  std::shared_ptr<StageCache> cache;                      // null: cacheClusterEnabled false
  std::vector<std::shared_ptr<const UsagePlan>> plans;    // plans listing this API and stage
  std::shared_ptr<const GatewayResponseMap> gatewayResponses;  // the deployment's customisations
};

struct CompiledRestApi {
  std::string id;
  std::string name;
  std::string apiKeySource;
  std::vector<std::string> binaryMediaTypes;
  std::map<std::string, CompiledRestStage> stages;
};

struct RestSnapshot {
  std::unordered_map<std::string, std::shared_ptr<const CompiledRestApi>> apis;
  std::unordered_map<std::string, ApiKey> keysByValue;
  const CompiledRestApi* find(std::string_view id) const {
    auto it = apis.find(std::string(id));
    return it == apis.end() ? nullptr : it->second.get();
  }
};

// Compiles one integration's templates and patterns; the error names what does not parse.
Result<CompiledRestMethod> compileMethod(const RestMethod& m);

class RestStore {
 public:
  explicit RestStore(std::string dataDir);
  Result<bool> load();
  // fn edits the state under the lock; on success it is persisted and republished, otherwise
  // (or if persisting fails) the state is restored: nothing deployed is lost.
  Result<bool> mutate(const std::function<Result<bool>(RestState&)>& fn);
  void read(const std::function<void(const RestState&)>& fn) const;
  std::shared_ptr<const RestSnapshot> snapshot() const;
  // Changes whenever snapshot() would return a new one: workers keep theirs until it does.
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

  UsageTracker& usage() { return usage_; }
  // Prometheus lines for the stage caches (hits, misses, bytes).
  std::string metricsText() const;

 private:
  Result<bool> persist();
  void publish();

  std::string dataDir_;
  mutable std::mutex mu_;
  RestState state_;
  mutable std::mutex snapMu_;
  std::shared_ptr<const RestSnapshot> snap_;
  std::atomic<uint64_t> version_{0};  // bumped with every snapshot published
  UsageTracker usage_;
  std::map<std::string, std::shared_ptr<StageCache>> caches_;  // apiId '\n' stage, kept across republishes
  std::map<std::string, std::shared_ptr<TokenBucket>> buckets_;  // apiId '\n' stage '\n' path '\n' method
};

}  // namespace cdnlab::gateway

// Snapshot: the immutable, compiled view of every API that the request path reads. Built from
// the model after each change (ModelStore::publish) and swapped in whole; a request holds a
// shared_ptr to the snapshot it started with, so a change never shows half-applied.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/auth/jwt.h"
#include "gateway/model/api_model.h"
#include "gateway/routing/route_table.h"
#include "gateway/runtime/access_log.h"
#include "gateway/runtime/mock_answer.h"
#include "gateway/runtime/route_metrics.h"
#include "gateway/runtime/token_bucket.h"

namespace cdnlab::gateway {

struct CompiledAuthorizer {
  Authorizer config;
  std::string identityHeader;          // from identitySource "$request.header.<name>"
  std::shared_ptr<const Jwks> keys;    // null: no --jwks for the issuer (every token is refused)
};

struct CompiledRoute {
  Route route;
  std::string resourcePath;                       // the route's path template ("/items/{id}"); "" for $default
  std::shared_ptr<const Integration> integration; // null: the route has no target
  std::shared_ptr<TokenBucket> bucket;            // null: no throttle configured
  std::shared_ptr<RouteMetrics> metrics;
  std::shared_ptr<const CompiledAuthorizer> authorizer;  // set for authorizationType JWT and CUSTOM
  std::shared_ptr<const MockAnswer> mock;         // a MOCK integration's answer, built once (may be null)
};

struct CompiledStage {
  std::string name;
  StringMap stageVariables;
  RouteTable table;
  std::vector<CompiledRoute> routes;  // index = RouteTable's route index
  std::shared_ptr<AccessLogFile> accessLog;
  std::string accessLogFormat;
  std::shared_ptr<RouteMetrics> unmatchedMetrics;  // requests no route took (404)
};

struct CompiledApi {
  std::string id;
  std::string name;
  std::string protocolType;
  std::string routeSelectionExpression;  // WEBSOCKET: how a message picks its route
  std::optional<Cors> cors;
  bool disableExecuteApiEndpoint = false;
  std::unordered_map<std::string, CompiledStage> stages;
  bool hasDefaultStage = false;
};

struct Snapshot {
  std::unordered_map<std::string, std::shared_ptr<const CompiledApi>> apis;
  const CompiledApi* find(std::string_view id) const {
    auto it = apis.find(std::string(id));
    return it == apis.end() ? nullptr : it->second.get();
  }
};

}  // namespace cdnlab::gateway

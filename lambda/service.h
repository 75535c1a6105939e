// LambdaService: the Lambda service as one object: the function registry, the process runtime,
// the Invoker and the HTTP API (management, Invoke, logs, /metrics). It runs on one libuv loop,
// the loop of the HTTP server's single worker: management calls, invocations, environment I/O and
// timers never cross threads, so nothing here takes a lock. cli/lambda_command.cc wires it to
// an HttpServer.
#pragma once

#include <uv.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/http/server.h"
#include "lambda/api_result.h"
#include "lambda/event_sources.h"
#include "lambda/invoker.h"
#include "lambda/log_store.h"
#include "lambda/metrics.h"
#include "lambda/native_runtime.h"
#include "lambda/process_runtime.h"
#include "lambda/registry.h"
#include "lambda/schedules.h"

namespace cdnlab::lambda {

struct ServiceOptions {
  std::string dataDir = "./lambda-data";
  bool inMemory = false;
  AccountInfo account;
  ProcessRuntimeOptions runtime;  // account and bootstrapDir are filled in by open()
  native::PoolOptions native;     // the cdnlab-native worker pool
  InvokerOptions invoker;
  uint64_t maxSyncPayloadBytes = 6291456;   // 6 MB
  uint64_t maxAsyncPayloadBytes = 262144;   // 256 KB
  std::string streamsEndpoint;              // DynamoDB Streams for event source mappings
  std::vector<ScheduleSpec> schedules;      // --schedule FUNCTION=EXPRESSION
  int scheduleSpeedup = 1;                  // schedule time runs this many times faster
};

class LambdaService {
 public:
  explicit LambdaService(ServiceOptions options);
  ~LambdaService();
  // Loads stored functions (errors name the file and field) and prepares the code directory.
  Result<bool> open();
  // On the server's worker loop: starts the runtime and the Invoker (provisioned environments
  // come back up). stop() kills every environment; call it on that loop before it ends.
  Result<bool> start(uv_loop_t* loop);
  void stop();
  // The HTTP handler (the worker's loop thread).
  void handle(const http::RequestContextPtr& ctx);
  // Base URL clients use (for GetFunction's Code.Location). Known only once the server listens,
  // i.e. after its worker threads started, which read it: hence the lock (a race TSan found).
  void setPublicUrl(std::string url) {
    std::lock_guard<std::mutex> lock(publicUrlMu_);
    publicUrl_ = std::move(url);
  }
  std::string publicUrl() const {
    std::lock_guard<std::mutex> lock(publicUrlMu_);
    return publicUrl_;
  }

 private:
  using Respond = std::function<void(http::Response)>;
  struct Route;

  // management_api.cc
  ApiResult<http::Response> createFunction(const http::Request& req);
  ApiResult<http::Response> getFunction(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> getFunctionConfiguration(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> listFunctions(const http::Request& req);
  ApiResult<http::Response> updateFunctionCode(const std::string& name, const http::Request& req);
  ApiResult<http::Response> updateFunctionConfiguration(const std::string& name, const http::Request& req);
  ApiResult<http::Response> deleteFunction(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> publishVersion(const std::string& name, const http::Request& req);
  ApiResult<http::Response> listVersions(const std::string& name, const http::Request& req);
  ApiResult<http::Response> createAlias(const std::string& name, const http::Request& req);
  ApiResult<http::Response> getAlias(const std::string& name, const std::string& alias);
  ApiResult<http::Response> updateAlias(const std::string& name, const std::string& alias, const http::Request& req);
  ApiResult<http::Response> deleteAlias(const std::string& name, const std::string& alias);
  ApiResult<http::Response> listAliases(const std::string& name, const http::Request& req);
  ApiResult<http::Response> putConcurrency(const std::string& name, const http::Request& req);
  ApiResult<http::Response> getConcurrency(const std::string& name);
  ApiResult<http::Response> deleteConcurrency(const std::string& name);
  ApiResult<http::Response> putProvisioned(const std::string& name, const std::string& qualifier, const http::Request& req);
  ApiResult<http::Response> getProvisioned(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> deleteProvisioned(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> listProvisioned(const std::string& name, const http::Request& req);
  ApiResult<http::Response> accountSettings();
  ApiResult<http::Response> codeDownload(const std::string& name, const std::string& query);
  ApiResult<FunctionRecord*> requireFunction(const std::string& nameOrArn);
  // The function named in the path and the request's JSON object body: how every operation that
  // changes a function starts (404 / 400 as AWS answers either).
  struct FunctionAndBody {
    FunctionRecord* function;
    rapidjson::Document body;
  };
  ApiResult<FunctionAndBody> requireFunctionAndBody(const std::string& nameOrArn, const http::Request& req);
  ApiResult<CodeRef> storeZipField(const std::string& name, const rapidjson::Value& body);

  // tags_api.cc: TagResource, ListTags, UntagResource on an unqualified function ARN
  ApiResult<FunctionRecord*> requireTaggable(const std::string& resourceArn);
  ApiResult<http::Response> tagResource(const std::string& resourceArn, const http::Request& req);
  ApiResult<http::Response> listTags(const std::string& resourceArn);
  ApiResult<http::Response> untagResource(const std::string& resourceArn, const http::Request& req);

  // policy_api.cc: AddPermission, GetPolicy, RemovePermission (per qualifier)
  struct PolicyTarget {
    FunctionRecord* record;
    std::string qualifier;  // "" for the function itself
    std::string arn;        // the statement's Resource
  };
  ApiResult<PolicyTarget> requirePolicyTarget(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> addPermission(const std::string& name, const std::string& qualifier, const http::Request& req);
  ApiResult<http::Response> getPolicy(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> removePermission(const std::string& name, const std::string& sid, const std::string& qualifier,
                                             const http::Request& req);

  // event_invoke_config_api.cc (update: UpdateFunctionEventInvokeConfig, else Put)
  ApiResult<http::Response> putEventInvokeConfig(const std::string& name, const std::string& qualifier,
                                                 const http::Request& req, bool update);
  ApiResult<http::Response> getEventInvokeConfig(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> deleteEventInvokeConfig(const std::string& name, const std::string& qualifier);
  ApiResult<http::Response> listEventInvokeConfigs(const std::string& name, const http::Request& req);
  std::optional<ApiError> checkDestination(const std::string& function, const std::string& arn, bool onFailure);
  ApiError noEventInvokeConfig(const std::string& name, const std::string& qualifier) const;

  // invoke_api.cc
  void invoke(const std::string& name, const http::Request& req, const std::string& requestId, Respond respond);
  void invokeAsync(const std::string& name, const http::Request& req, const std::string& requestId, Respond respond);

  // admin_api.cc: logs and metrics
  http::Response logs(const std::string& name, const std::string& query);
  http::Response metrics();

  ServiceOptions options_;
  std::string codeRoot_;   // data dir, or a temporary directory with --in-memory
  bool tempRoot_ = false;
  mutable std::mutex publicUrlMu_;
  std::string publicUrl_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<LogStore> logs_;
  Metrics metrics_;
  std::unique_ptr<ProcessRuntime> runtime_;
  std::unique_ptr<NativeRuntime> native_;
  std::unique_ptr<Runtime> runtimes_;  // picks process or native by the function's Runtime
  std::unique_ptr<Invoker> invoker_;
  std::unique_ptr<EventSources> eventSources_;
  std::unique_ptr<Schedules> schedules_;
};

}  // namespace cdnlab::lambda

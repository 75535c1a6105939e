// The Lambda service: lifecycle and the HTTP routing table (see service.h). The operations live
// in management_api.cc, invoke_api.cc and admin_api.cc.
#include "lambda/service.h"

#include <stdlib.h>

#include <filesystem>
#include <vector>

#include "common/log.h"
#include "lambda/codec.h"

namespace cdnlab::lambda {

namespace fs = std::filesystem;

LambdaService::LambdaService(ServiceOptions options) : options_(std::move(options)) {}

LambdaService::~LambdaService() {
  stop();
  if (tempRoot_) {
    std::error_code ec;
    fs::remove_all(codeRoot_, ec);
  }
}

Result<bool> LambdaService::open() {
  if (options_.inMemory) {
    std::string tmpl = (fs::temp_directory_path() / "cdnlab-lambda-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return Error{1, "cannot create a temporary code directory in " + fs::temp_directory_path().string()};
    codeRoot_ = tmpl;
    tempRoot_ = true;
  } else {
    codeRoot_ = fs::absolute(options_.dataDir).lexically_normal().string();
    std::error_code ec;
    fs::create_directories(codeRoot_, ec);
    if (ec) return Error{1, "--data " + codeRoot_ + ": " + ec.message()};
  }
  registry_ = std::make_unique<Registry>(codeRoot_, !options_.inMemory, options_.account);
  if (auto r = registry_->load(); !r) return r;
  logs_ = std::make_unique<LogStore>(options_.inMemory ? "" : codeRoot_ + "/logs");
  options_.runtime.account = options_.account;
  options_.runtime.bootstrapDir = codeRoot_ + "/runtimes";
  options_.runtime.codeRoot = codeRoot_;
  if (options_.runtime.streamsEndpoint.empty()) options_.runtime.streamsEndpoint = options_.streamsEndpoint;
  if (options_.runtime.streamsEndpoint.empty()) options_.runtime.streamsEndpoint = options_.runtime.storeEndpoint;
  options_.runtime.lambdaEndpoint = [this] { return publicUrl(); };
  return true;
}

namespace {

// Sends each environment to the runtime its function names.
class RuntimeDispatch final : public Runtime {
 public:
  RuntimeDispatch(Runtime& process, Runtime& native) : process_(process), native_(native) {}
  Result<Environment*> start(const EnvironmentSpec& spec, EnvironmentListener& listener) override {
    return runtimeKind(spec.runtime) == RuntimeKind::Native ? native_.start(spec, listener) : process_.start(spec, listener);
  }

 private:
  Runtime& process_;
  Runtime& native_;
};

}  // namespace

Result<bool> LambdaService::start(uv_loop_t* loop) {
  runtime_ = std::make_unique<ProcessRuntime>(loop, options_.runtime);
  if (auto r = runtime_->init(); !r) return r;
  native_ = std::make_unique<NativeRuntime>(loop, options_.native);
  runtimes_ = std::make_unique<RuntimeDispatch>(*runtime_, *native_);
  invoker_ = std::make_unique<Invoker>(loop, *registry_, *runtimes_, *logs_, metrics_, options_.invoker,
                                       SystemClock::instance());
  invoker_->start();
  std::string streams = options_.streamsEndpoint.empty() ? options_.runtime.storeEndpoint : options_.streamsEndpoint;
  eventSources_ = std::make_unique<EventSources>(loop, *registry_, *invoker_, *logs_, streams,
                                                 options_.inMemory ? "" : codeRoot_ + "/event-source-mappings.json");
  if (auto r = eventSources_->load(); !r) return r;
  eventSources_->start();
  schedules_ = std::make_unique<Schedules>(loop, *registry_, *invoker_, options_.account, options_.schedules,
                                           options_.scheduleSpeedup);
  schedules_->start();
  return true;
}

void LambdaService::stop() {
  if (eventSources_) eventSources_->stop();
  if (schedules_) schedules_->stop();
  if (invoker_) invoker_->close();
  if (native_) native_->close();
  if (runtime_) runtime_->close();
}

namespace {

std::vector<std::string> splitPath(const std::string& path, bool* ok) {
  std::vector<std::string> out;
  *ok = true;
  size_t i = 1;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    std::string seg = path.substr(i, slash == std::string::npos ? std::string::npos : slash - i);
    if (!seg.empty()) {
      auto d = percentDecode(seg);
      if (!d) *ok = false;
      out.push_back(d ? *d : seg);
    }
    if (slash == std::string::npos) break;
    i = slash + 1;
  }
  return out;
}

ApiError unknownOperation(const http::Request& req) {
  return {404, "UnknownOperationException", "Unknown operation: " + req.method + " " + req.path};
}

}  // namespace

void LambdaService::handle(const http::RequestContextPtr& ctx) {
  const http::Request& req = ctx->request();
  std::string requestId = newUuid();
  auto respond = [ctx, requestId](http::Response r) {
    if (!r.headers.has("x-amzn-RequestId")) r.headers.add("x-amzn-RequestId", requestId);
    ctx->respond(std::move(r));
  };
  auto answer = [&](ApiResult<http::Response> r) {
    if (r) respond(std::move(*r));
    else respond(errorResponse(r.error(), requestId));
  };
  if (!invoker_) return answer(serviceError("The Lambda service is not running."));
  bool ok = true;
  std::vector<std::string> seg = splitPath(req.path, &ok);
  if (!ok) return answer(invalidParameter("Malformed percent-encoding in the request path."));
  const std::string& m = req.method;
  std::string qualifier = queryParam(req.query, "Qualifier").value_or("");

  if (seg.size() == 1 && seg[0] == "metrics" && m == "GET") return respond(metrics());
  if (seg.size() == 3 && seg[0] == "_cdnlab" && seg[1] == "logs" && m == "GET") return respond(logs(seg[2], req.query));
  if (seg.size() == 2 && seg[0] == "2016-08-19" && seg[1] == "account-settings" && m == "GET")
    return answer(accountSettings());
  if (seg.size() >= 2 && seg[0] == "2015-03-31" && seg[1] == "event-source-mappings") {
    if (seg.size() == 2 && m == "POST") return answer(eventSources_->create(req));
    if (seg.size() == 2 && m == "GET") return answer(eventSources_->list(req));
    if (seg.size() == 3 && m == "GET") return answer(eventSources_->get(seg[2]));
    if (seg.size() == 3 && m == "PUT") return answer(eventSources_->update(seg[2], req));
    if (seg.size() == 3 && m == "DELETE") return answer(eventSources_->remove(seg[2]));
    return answer(unknownOperation(req));
  }
  if (seg.size() == 3 && seg[0] == "2017-03-31" && seg[1] == "tags") {
    if (m == "POST") return answer(tagResource(seg[2], req));
    if (m == "GET") return answer(listTags(seg[2]));
    if (m == "DELETE") return answer(untagResource(seg[2], req));
    return answer(unknownOperation(req));
  }
  if (seg.size() == 4 && seg[0] == "2014-11-13" && seg[1] == "functions" && seg[3] == "invoke-async" && m == "POST")
    return invokeAsync(seg[2], req, requestId, respond);
  if (seg.size() < 2 || seg[1] != "functions") return answer(unknownOperation(req));
  const std::string& api = seg[0];
  if (api == "2015-03-31") {
    if (seg.size() == 2) {
      if (m == "POST") return answer(createFunction(req));
      if (m == "GET") return answer(listFunctions(req));
      return answer(unknownOperation(req));
    }
    const std::string& name = seg[2];
    if (seg.size() == 3) {
      if (m == "GET") return answer(getFunction(name, qualifier));
      if (m == "DELETE") return answer(deleteFunction(name, qualifier));
    } else if (seg.size() == 4) {
      const std::string& what = seg[3];
      if (what == "invocations" && m == "POST") return invoke(name, req, requestId, respond);
      if (what == "configuration" && m == "GET") return answer(getFunctionConfiguration(name, qualifier));
      if (what == "configuration" && m == "PUT") return answer(updateFunctionConfiguration(name, req));
      if (what == "code" && m == "PUT") return answer(updateFunctionCode(name, req));
      if (what == "code-zip" && m == "GET") return answer(codeDownload(name, req.query));
      if (what == "versions" && m == "POST") return answer(publishVersion(name, req));
      if (what == "versions" && m == "GET") return answer(listVersions(name, req));
      if (what == "aliases" && m == "POST") return answer(createAlias(name, req));
      if (what == "aliases" && m == "GET") return answer(listAliases(name, req));
      if (what == "policy" && m == "POST") return answer(addPermission(name, qualifier, req));
      if (what == "policy" && m == "GET") return answer(getPolicy(name, qualifier));
    } else if (seg.size() == 5 && seg[3] == "policy" && m == "DELETE") {
      return answer(removePermission(name, seg[4], qualifier, req));
    } else if (seg.size() == 5 && seg[3] == "aliases") {
      if (m == "GET") return answer(getAlias(name, seg[4]));
      if (m == "PUT") return answer(updateAlias(name, seg[4], req));
      if (m == "DELETE") return answer(deleteAlias(name, seg[4]));
    }
  } else if (api == "2017-10-31" && seg.size() == 4 && seg[3] == "concurrency") {
    if (m == "PUT") return answer(putConcurrency(seg[2], req));
    if (m == "DELETE") return answer(deleteConcurrency(seg[2]));
  } else if (api == "2019-09-25" && seg.size() == 4 && seg[3] == "event-invoke-config") {
    if (m == "PUT") return answer(putEventInvokeConfig(seg[2], qualifier, req, false));
    if (m == "POST") return answer(putEventInvokeConfig(seg[2], qualifier, req, true));
    if (m == "GET") return answer(getEventInvokeConfig(seg[2], qualifier));
    if (m == "DELETE") return answer(deleteEventInvokeConfig(seg[2], qualifier));
  } else if (api == "2019-09-25" && seg.size() == 5 && seg[3] == "event-invoke-config" && seg[4] == "list" && m == "GET") {
    return answer(listEventInvokeConfigs(seg[2], req));
  } else if (api == "2019-09-30" && seg.size() == 4 && seg[3] == "concurrency" && m == "GET") {
    return answer(getConcurrency(seg[2]));
  } else if (api == "2019-09-30" && seg.size() == 4 && seg[3] == "provisioned-concurrency") {
    // ListProvisionedConcurrencyConfigs is the same path with ?List=ALL.
    if (m == "GET" && queryParam(req.query, "List").value_or("") == "ALL") return answer(listProvisioned(seg[2], req));
    if (m == "PUT") return answer(putProvisioned(seg[2], qualifier, req));
    if (m == "GET") return answer(getProvisioned(seg[2], qualifier));
    if (m == "DELETE") return answer(deleteProvisioned(seg[2], qualifier));
  }
  answer(unknownOperation(req));
}

}  // namespace cdnlab::lambda

// Resolution of edge-function associations and the invoke path (function_runner.h).
#include "edge/pop/function_runner.h"

#include <rapidjson/document.h>

#include "common/config/units.h"
#include "common/log.h"
#include "edge/pop/function_sources.h"
#include "lambda/native/loader.h"
#include "lambda/native/registry.h"

namespace cdnlab::edge::pop {

namespace native = lambda::native;

namespace {

native::NativeOutput failed(native::NativeStatus status, std::string type, std::string message) {
  native::NativeOutput out;
  out.status = status;
  out.errorType = std::move(type);
  out.errorMessage = std::move(message);
  return out;
}

// The Invoke API's answer as a NativeOutput: 200 is the payload, or the function's error when
// X-Amz-Function-Error is set; anything else is the service's own error.
native::NativeOutput fromInvokeResponse(const UpstreamResult& r) {
  if (!r.ok()) return failed(native::NativeStatus::FunctionError, "Lambda.ServiceUnreachable", r.error().message);
  const UpstreamResponse& resp = r.value();
  std::string body(resp.body.view());
  if (resp.status != 200) {
    return failed(native::NativeStatus::FunctionError, "Lambda.ServiceError",
                  "Invoke answered " + std::to_string(resp.status) + ": " + body.substr(0, 512));
  }
  if (resp.headers.has("X-Amz-Function-Error")) {
    native::NativeOutput out = failed(native::NativeStatus::FunctionError, "Error", body.substr(0, 1024));
    rapidjson::Document d;
    d.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());  // a function's answer: any depth
    if (!d.HasParseError() && d.IsObject()) {
      if (d.HasMember("errorType") && d["errorType"].IsString()) out.errorType = d["errorType"].GetString();
      if (d.HasMember("errorMessage") && d["errorMessage"].IsString()) out.errorMessage = d["errorMessage"].GetString();
    }
    if (out.errorMessage.find("Task timed out") != std::string::npos) out.status = native::NativeStatus::TimedOut;
    return out;
  }
  native::NativeOutput out;
  out.payload = std::move(body);
  return out;
}

}  // namespace

Result<std::unique_ptr<FunctionRunner>> FunctionRunner::create(const PopConfig& config) {
  // A PoP with a function file may gain functions on reload even if it starts with none.
  bool any = !config.edgeFunctions.empty() || !config.fileEdgeFunctions.empty() || !config.edgeFunctionsFile.empty() ||
             !config.behaviorsFile.empty();
  for (const auto& b : config.behaviors) any = any || !b.functions.empty();
  if (!any) return std::unique_ptr<FunctionRunner>();
  std::unique_ptr<FunctionRunner> r(new FunctionRunner());
  for (const auto& path : config.nativePlugins) {
    auto loaded = native::loadPlugin(path, native::Registry::global());
    if (!loaded.ok()) return Error{2, loaded.error().message};
    LOG_INFO("native plugin %s: %zu functions", path.c_str(), loaded->size());
  }
  if (!config.lambdaEndpoint.empty()) {
    std::string_view u = config.lambdaEndpoint;
    u.remove_prefix(7);  // validate() checked "http://"
    size_t slash = u.find('/');
    std::string why;
    auto hp = config::parseHostPort(u.substr(0, slash), &why);
    if (!hp) return Error{2, "lambda-endpoint: " + why};
    r->lambdaHost_ = hp->host;
    r->lambdaPort_ = hp->port;
    r->lambdaBasePath_ = slash == std::string_view::npos ? "" : std::string(u.substr(slash));
    while (!r->lambdaBasePath_.empty() && r->lambdaBasePath_.back() == '/') r->lambdaBasePath_.pop_back();
    r->hasLambdaEndpoint_ = true;
  }
  auto sources = associationSources(config, /*reread=*/false);
  if (!sources.ok()) return sources.error();
  auto set = FunctionSet::resolve(sources->popWide, sources->byBehavior, sources->behaviorNames, r->hasLambdaEndpoint_,
                                  r->lambdaBasePath_);
  if (!set.ok()) return set.error();
  r->latest_ = std::move(set.value());
  if (!config.geoDb.empty()) {
    auto db = geo::GeoDb::open(config.geoDb);
    if (!db.ok()) return Error{2, "geo-db " + config.geoDb + ": " + db.error().message};
    r->geo_ = std::move(db.value());
  }
  r->viewerTimeout_ = config.viewerFunctionTimeout;
  r->originTimeout_ = config.originFunctionTimeout;
  r->pool_ = std::make_unique<native::NativeWorkerPool>(
      native::PoolOptions{.threads = static_cast<int>(config.edgeFunctionThreads)});
  return r;
}

Result<size_t> FunctionRunner::reload(const PopConfig& config) {
  auto sources = associationSources(config, /*reread=*/true);
  if (!sources.ok()) return sources.error();
  auto set = FunctionSet::resolve(sources->popWide, sources->byBehavior, sources->behaviorNames, hasLambdaEndpoint_,
                                  lambdaBasePath_);
  if (!set.ok()) return set.error();
  size_t n = set.value()->size();
  {
    std::lock_guard<std::mutex> lock(setMu_);
    latest_ = std::move(set.value());
  }
  // After the swap: a lane that sees the new generation finds the new set under the lock.
  generation_.fetch_add(1, std::memory_order_release);
  return n;
}

FunctionSetPtr FunctionRunner::latestSet() {
  std::lock_guard<std::mutex> lock(setMu_);
  return latest_;
}

const FunctionSetPtr& FunctionRunner::current(Io& io) {
  NativeLane& lane = laneFor(io);
  uint64_t generation = generation_.load(std::memory_order_acquire);
  if (lane.generation != generation) {
    // The worker's own copy: its reference count is touched by this worker's transactions only.
    lane.functions = std::make_shared<const FunctionSet>(*latestSet());
    lane.generation = generation;
  }
  return lane.functions;
}

std::string FunctionRunner::viewerCountry(std::string_view clientIp) const {
  if (!geo_) return "";
  auto found = geo_->lookup(clientIp);
  if (!found.ok() || !found.value()) return "";
  return found.value()->countryIso;
}

std::chrono::milliseconds FunctionRunner::timeoutFor(const ResolvedFunction& fn) const {
  bool viewer = fn.association.trigger == lambda::edge::Trigger::ViewerRequest ||
                fn.association.trigger == lambda::edge::Trigger::ViewerResponse;
  return std::chrono::duration_cast<std::chrono::milliseconds>(viewer ? viewerTimeout_ : originTimeout_);
}

// Native invocations of one loop pass go to the pool together (NativeLane).
void FunctionRunner::submit(Io& io, native::Invocation inv, std::function<void(native::NativeOutput)> done) {
  NativeLane& lane = laneFor(io);
  if (lane.add(native::BatchItem{std::move(inv), std::move(done)})) {
    NativeLane* lanep = &lane;
    io.atPassEnd([this, lanep] { lanep->flush(*pool_); });
  }
}

void FunctionRunner::invokeTyped(Io& io, const ResolvedFunction& fn, std::function<void(native::NativeOutput&)> call,
                                 std::function<void(native::NativeOutput)> done) {
  native::Invocation inv;
  inv.function = fn.native;
  inv.timeout = timeoutFor(fn);
  inv.call = std::move(call);
  submit(io, std::move(inv), std::move(done));
}

void FunctionRunner::invokeTyped(Io& io, const ResolvedFunction& fn, void (*callFn)(void*, native::NativeOutput&),
                                 std::shared_ptr<void> callState, std::function<void(native::NativeOutput)> done) {
  native::Invocation inv;
  inv.function = fn.native;
  inv.timeout = timeoutFor(fn);
  inv.callFn = callFn;
  inv.callState = std::move(callState);
  submit(io, std::move(inv), std::move(done));
}

void FunctionRunner::invoke(Io& io, const ResolvedFunction& fn, std::string event, std::string requestId,
                            std::function<void(native::NativeOutput)> done,
                            std::function<void(native::NativeOutput&)> onOutput) {
  if (fn.native) {
    native::Invocation inv;
    inv.function = fn.native;
    inv.event = std::move(event);
    inv.requestId = std::move(requestId);
    inv.timeout = timeoutFor(fn);
    // Lambda@Edge's generated-response quota is the largest answer a PoP accepts (1 MB at the
    // origin triggers); a bigger one is refused at the ABI, before it is parsed.
    inv.maxResponseBytes = 1024 * 1024 + 64 * 1024;
    inv.onWorker = std::move(onOutput);
    submit(io, std::move(inv), std::move(done));
    return;
  }
  UpstreamRequest req;
  req.method = "POST";
  req.target = fn.invokeTarget;
  req.headers.add("Content-Type", "application/json");
  req.headers.add("X-Amz-Invocation-Type", "RequestResponse");
  req.body = Buffer(std::move(event));
  io.callService(lambdaHost_, lambdaPort_, std::move(req),
                 [done = std::move(done), onOutput = std::move(onOutput)](UpstreamResult r) {
                   native::NativeOutput out = fromInvokeResponse(r);
                   if (onOutput) onOutput(out);
                   done(std::move(out));
                 });
}

NativeLane& FunctionRunner::laneFor(Io& io) {
  // Every native invocation asks; a worker thread remembers its lane, so the lock below is taken
  // once per worker, not per request. Keyed by the runner's serial number, not its address, which
  // a later runner (a test's) may reuse.
  struct Cached {
    uint64_t runner = 0;
    const Io* io = nullptr;
    NativeLane* lane = nullptr;
  };
  thread_local Cached cached;
  if (cached.runner == serial_ && cached.io == &io) return *cached.lane;
  std::lock_guard<std::mutex> lock(lanesMu_);
  for (auto& lane : lanes_) {
    if (&lane->io() == &io) {
      cached = Cached{serial_, &io, lane.get()};
      return *lane;
    }
  }
  lanes_.push_back(std::make_unique<NativeLane>(io));
  cached = Cached{serial_, &io, lanes_.back().get()};
  return *lanes_.back();
}

}  // namespace cdnlab::edge::pop

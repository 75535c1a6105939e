// The cdnlab-native runtime behind the service's Environment seam (see native_runtime.h).
#include "lambda/native_runtime.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lambda/codec.h"
#include "lambda/native/loader.h"

namespace cdnlab::lambda {

// One native execution environment: an init timer (the modelled cold start), then one invocation
// at a time on the worker pool.
class NativeEnvironment final : public Environment {
 public:
  NativeEnvironment(NativeRuntime& rt, uint64_t id, native::NativeFunctionPtr fn, EnvironmentListener& listener,
                    int memoryMb)
      : Environment(id), rt_(rt), fn_(std::move(fn)), listener_(listener), memoryMb_(memoryMb) {}

  void begin() {
    timer_ = new uv_timer_t;
    uv_timer_init(rt_.loop_, timer_);
    timer_->data = this;
    uint64_t ms = static_cast<uint64_t>((fn_->initTime.count() + 999) / 1000);
    uv_timer_start(timer_, [](uv_timer_t* t) {
      auto* self = static_cast<NativeEnvironment*>(t->data);
      if (!self->dead_) self->listener_.onReady(*self);
    }, ms, 0);
  }

  void invoke(const InvokeRequest& request) override {
    native::Invocation inv;
    inv.function = fn_;
    inv.event = request.payload;
    inv.requestId = request.requestId;
    int64_t left = request.deadlineEpochMs - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 std::chrono::system_clock::now().time_since_epoch()).count();
    // The service's own timer reports the timeout; the pool's (a little later) abandons the thread.
    inv.timeout = std::chrono::milliseconds(std::max<int64_t>(1, left) + 250);
    inv.init = native::InitMode::Warm;  // the environment already paid its modelled init
    inv.memoryMb = static_cast<uint32_t>(memoryMb_);
    NativeRuntime* rt = &rt_;
    uint64_t id = this->id();
    std::string requestId = request.requestId;
    rt_.pool().invoke(std::move(inv), [rt](std::function<void()> fn) { return rt->post(std::move(fn)); },
                      [rt, id, requestId](native::NativeOutput out) {
                        auto it = rt->live_.find(id);
                        if (it != rt->live_.end()) it->second->complete(requestId, std::move(out));
                      });
  }

  void complete(const std::string& requestId, native::NativeOutput out) {
    if (dead_) return;
    size_t start = 0;
    while (start < out.log.size()) {
      size_t nl = out.log.find('\n', start);
      std::string_view line(out.log.data() + start, (nl == std::string::npos ? out.log.size() : nl) - start);
      listener_.onLog(*this, line);
      start = nl == std::string::npos ? out.log.size() : nl + 1;
    }
    switch (out.status) {
      case native::NativeStatus::Ok:
        listener_.onResponse(*this, requestId, std::move(out.payload));
        break;
      case native::NativeStatus::FunctionError:
        listener_.onFunctionError(*this, requestId, out.errorType, out.errorPayload());
        break;
      case native::NativeStatus::TimedOut:
        break;  // the service's timer already answered and killed this environment
      case native::NativeStatus::Rejected:
        listener_.onFunctionError(*this, requestId, out.errorType, out.errorPayload());
        break;
    }
  }

  void kill() override {
    if (dead_) return;
    dead_ = true;
    // A running handler cannot be stopped; the pool abandons its thread at its own deadline.
    rt_.post([rt = &rt_, id = this->id()] {
      auto it = rt->live_.find(id);
      if (it != rt->live_.end()) it->second->listener_.onExit(*it->second, "signal: killed");
    });
  }

  void drainOutput() override {}
  int64_t maxMemoryUsedMb() override { return 0; }  // in-process: no per-function figure

  void release() override {
    rt_.live_.erase(id());
    uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    delete this;
  }

 private:
  NativeRuntime& rt_;
  native::NativeFunctionPtr fn_;
  EnvironmentListener& listener_;
  int memoryMb_;
  uv_timer_t* timer_ = nullptr;
  bool dead_ = false;
};

NativeRuntime::NativeRuntime(uv_loop_t* loop, native::PoolOptions poolOptions) : loop_(loop) {
  async_ = new uv_async_t;
  uv_async_init(loop_, async_, [](uv_async_t* a) { static_cast<NativeRuntime*>(a->data)->drain(); });
  async_->data = this;
  pool_ = std::make_unique<native::NativeWorkerPool>(poolOptions);
}

NativeRuntime::~NativeRuntime() { close(); }

void NativeRuntime::close() {
  if (closing_) return;
  closing_ = true;
  pool_.reset();  // answers what is queued, joins the workers
  {
    std::lock_guard<std::mutex> g(mu_);
    closed_ = true;
  }
  drain();
  uv_close(reinterpret_cast<uv_handle_t*>(async_), [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
}

bool NativeRuntime::post(std::function<void()> fn) {
  std::lock_guard<std::mutex> g(mu_);
  if (closed_) return false;
  queue_.push_back(std::move(fn));
  uv_async_send(async_);
  return true;
}

void NativeRuntime::drain() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> g(mu_);
    batch.swap(queue_);
  }
  for (auto& fn : batch) fn();
}

Result<native::NativeFunctionPtr> NativeRuntime::resolve(const std::string& handler, const std::string& codeDir) {
  size_t so = handler.find(".so");
  if (so == std::string::npos) {
    auto fn = native::Registry::global().find(handler);
    if (!fn) return Error{1, "Runtime.InvalidEntrypoint: no native function named '" + handler + "'"};
    return fn;
  }
  std::string path = handler.substr(0, so + 3);
  std::string name = so + 3 < handler.size() && handler[so + 3] == ':' ? handler.substr(so + 4) : "";
  if (path.empty() || path[0] != '/') path = codeDir + "/" + path;
  path = std::filesystem::weakly_canonical(path).string();
  // Keyed by content: two functions shipping the same object share one load (its names are
  // registered once, process-wide).
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{1, "Runtime.InvalidEntrypoint: cannot read " + path};
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string key = sha256(bytes.str());
  auto it = plugins_.find(key);
  if (it == plugins_.end()) {
    auto loaded = native::loadPlugin(path, native::Registry::global());
    if (!loaded) return Error{1, "Runtime.InvalidEntrypoint: " + loaded.error().message};
    it = plugins_.emplace(key, *loaded).first;
  }
  for (const auto& fn : it->second)
    if (name.empty() || fn->name == name) return fn;
  return Error{1, "Runtime.InvalidEntrypoint: " + path + " has no function '" + name + "'"};
}

Result<Environment*> NativeRuntime::start(const EnvironmentSpec& spec, EnvironmentListener& listener) {
  auto fn = resolve(spec.handler, spec.codeDir);
  if (!fn) return fn.error();
  auto* env = new NativeEnvironment(*this, spec.id, *fn, listener, spec.memoryMb);
  live_[spec.id] = env;
  env->begin();
  return static_cast<Environment*>(env);
}

}  // namespace cdnlab::lambda

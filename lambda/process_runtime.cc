// Child-process execution environments speaking the Runtime API (see process_runtime.h).
#include "lambda/process_runtime.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

#include "common/http/message.h"
#include "common/log.h"
#include "lambda/embedded_runtimes.h"
#include "lambda/json.h"
#include "lambda/runtime_api.h"

namespace cdnlab::lambda {

namespace fs = std::filesystem;

std::string findExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string_view p = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!p.empty()) {
    size_t c = p.find(':');
    std::string dir(p.substr(0, c));
    p = c == std::string_view::npos ? std::string_view{} : p.substr(c + 1);
    std::string full = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(full.c_str(), X_OK) == 0) return full;
  }
  return "";
}

static Result<bool> writeFile(const std::string& path, const char* text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Error{1, "cannot write " + path};
  return true;
}

Result<bool> ProcessRuntime::init() {
  std::error_code ec;
  fs::create_directories(options_.bootstrapDir, ec);
  if (ec) return Error{1, "cannot create " + options_.bootstrapDir + ": " + ec.message()};
  nodeBootstrap_ = options_.bootstrapDir + "/node_bootstrap.mjs";
  pythonBootstrap_ = options_.bootstrapDir + "/python_bootstrap.py";
  if (auto r = writeFile(nodeBootstrap_, kEmbedded_node_bootstrap); !r) return r;
  if (auto r = writeFile(pythonBootstrap_, kEmbedded_python_bootstrap); !r) return r;
  // A missing interpreter only fails the functions that need it (at their cold start).
  std::string node = findExecutable(options_.nodePath);
  if (!node.empty()) options_.nodePath = node;
  std::string python = findExecutable(options_.pythonPath);
  if (!python.empty()) options_.pythonPath = python;
  // The first spare is started after the first Node.js cold start: a service that never runs
  // Node.js keeps no node process around.
  linkNodeSdk();
  return true;
}

std::string defaultNodeSdkDir() { return CDNLAB_NODE_SDK_DIR; }

// ES modules ignore NODE_PATH: an `import` of a bare name is looked up in node_modules of the
// importing file's directory and each parent. Function code lives below codeRoot, so a
// <codeRoot>/node_modules link to the SDK is found after the function's own node_modules, for
// `import` and `require` alike (AWS's Node.js 18+ runtimes resolve both to the bundled SDK).
void ProcessRuntime::linkNodeSdk() {
  if (options_.codeRoot.empty()) return;
  fs::path link = fs::path(options_.codeRoot) / "node_modules";
  std::error_code ec;
  auto status = fs::symlink_status(link, ec);
  if (fs::exists(status) && !fs::is_symlink(status)) {
    LOG_WARN("lambda: %s is not ours (not a link); ES module functions will not find the runtime SDK",
             link.string().c_str());
    return;
  }
  fs::remove(link, ec);
  if (options_.nodeSdkDir.empty()) return;
  if (!fs::is_directory(options_.nodeSdkDir, ec)) {
    LOG_WARN("lambda: no AWS SDK for Node.js functions at %s (run scripts/setup.sh, or pass --node-sdk)",
             options_.nodeSdkDir.c_str());
    options_.nodeSdkDir.clear();
    return;
  }
  options_.nodeSdkDir = fs::absolute(options_.nodeSdkDir).lexically_normal().string();
  fs::create_directory_symlink(options_.nodeSdkDir, link, ec);
  if (ec) LOG_WARN("lambda: cannot link %s: %s", link.string().c_str(), ec.message().c_str());
}

namespace {

// Splits a byte stream into lines; a line longer than the cap is cut (CloudWatch caps events at
// 256 KB too).
class LineSplitter {
 public:
  template <typename Fn>
  void feed(const char* data, size_t n, Fn&& emit) {
    for (size_t i = 0; i < n; ++i) {
      char c = data[i];
      if (c == '\n') {
        if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
        emit(std::string_view(partial_));
        partial_.clear();
      } else {
        partial_.push_back(c);
        if (partial_.size() >= kMaxLine) {
          emit(std::string_view(partial_));
          partial_.clear();
        }
      }
    }
  }
  template <typename Fn>
  void flush(Fn&& emit) {
    if (!partial_.empty()) emit(std::string_view(partial_));
    partial_.clear();
  }

 private:
  static constexpr size_t kMaxLine = 256 * 1024;
  std::string partial_;
};

constexpr std::string_view kNextPath = "/2018-06-01/runtime/invocation/next";
constexpr std::string_view kInvocationPrefix = "/2018-06-01/runtime/invocation/";
constexpr std::string_view kInitErrorPath = "/2018-06-01/runtime/init/error";
// cdnlab's own addition for pre-started environments (never used by AWS's runtime clients).
constexpr std::string_view kAssignmentPath = "/2018-06-01/runtime/cdnlab/assignment";

}  // namespace

class ProcessEnvironment final : public Environment, public RuntimeApiHandler {
 public:
  ProcessEnvironment(uv_loop_t* loop, const EnvironmentSpec& spec, EnvironmentListener& listener,
                     uint64_t maxResponseBytes)
      : Environment(spec.id),
        loop_(loop),
        listener_(&listener),
        api_(loop, *this, limitsFor(maxResponseBytes), [this] { handleClosed(); }),
        maxResponseBytes_(maxResponseBytes) {}

  static http::ParserLimits limitsFor(uint64_t maxBody) {
    http::ParserLimits l;
    l.maxBodyBytes = maxBody;
    return l;
  }

  Result<int> listen() {
    ++openHandles_;  // the listener (and its connections) close as one
    return api_.start();
  }
  // The listener could not start: close it; nothing else was opened.
  void abandon() {
    exited_ = true;
    api_.close();
  }

  Result<bool> spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, const std::string& cwd) {
    std::vector<char*> argv, envp;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    uv_pipe_init(loop_, &out_, 0);
    uv_pipe_init(loop_, &err_, 0);
    out_.data = err_.data = this;
    openHandles_ += 2;
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
    stdio[1].data.stream = reinterpret_cast<uv_stream_t*>(&out_);
    stdio[2].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
    stdio[2].data.stream = reinterpret_cast<uv_stream_t*>(&err_);
    uv_process_options_t o{};
    o.file = argv[0];
    o.args = argv.data();
    o.env = envp.data();
    o.cwd = cwd.c_str();
    o.stdio = stdio;
    o.stdio_count = 3;
    o.exit_cb = onProcessExit;
    // Own process group, so a timeout kills whatever the function started too.
    o.flags = UV_PROCESS_DETACHED;
    process_.data = this;
    int rc = uv_spawn(loop_, &process_, &o);
    ++openHandles_;
    if (rc != 0) {
      exited_ = true;
      closeAll();
      return Error{rc, std::string("cannot start ") + args[0] + ": " + uv_strerror(rc)};
    }
    pid_ = process_.pid;
    uv_read_start(reinterpret_cast<uv_stream_t*>(&out_), onAlloc, onOutput);
    uv_read_start(reinterpret_cast<uv_stream_t*>(&err_), onAlloc, onOutput);
    return true;
  }

  // ---- Environment ----
  void invoke(const InvokeRequest& request) override {
    current_ = request.requestId;
    pending_ = request;
    sendPending();
  }

  void kill() override {
    if (!exited_ && pid_ > 0) {
      killed_ = true;
      ::kill(-pid_, SIGKILL);
    }
  }

  void drainOutput() override {
    drainFd(out_, outLines_);
    drainFd(err_, errLines_);
  }

  int64_t maxMemoryUsedMb() override {
    if (!exited_ && pid_ > 0) {
      std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
      std::string line;
      while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
          int64_t kb = std::atoll(line.c_str() + 6);
          peakMb_ = std::max(peakMb_, (kb + 1023) / 1024);
          break;
        }
      }
    }
    return peakMb_;
  }

  void release() override {
    released_ = true;
    if (openHandles_ == 0) delete this;
  }

  // ---- RuntimeApiHandler ----
  void onRequest(RuntimeApiConnection& c, http::Request& req) override {
    if (exited_) return c.reply(410, R"({"errorMessage":"environment is shutting down","errorType":"Gone"})");
    if (req.method == "GET" && req.path == kAssignmentPath) {
      // A spare may be taken before it asks: the answer waits in assignment_.
      if (!awaitingAssignment_) return c.reply(404, R"({"errorMessage":"unknown Runtime API path","errorType":"NotFound"})");
      parkedAssignment_ = &c;
      return sendAssignment();
    }
    if (req.method == "GET" && req.path == kNextPath) {
      if (spare_) return c.reply(403, R"({"errorMessage":"no function assigned yet","errorType":"InvalidStateTransition"})");
      if (parked_ && parked_ != &c) parked_->close();  // one long poll at a time
      parked_ = &c;
      if (!ready_) {
        ready_ = true;
        listener_->onReady(*this);
        settled();
        return;
      }
      sendPending();
      return;
    }
    if (req.method == "POST" && req.path == kInitErrorPath) {
      if (ready_) return c.reply(403, R"({"errorMessage":"init already finished","errorType":"InvalidStateTransition"})");
      // reply() resets the parser, and with it `req`: take what we need first.
      std::string type(req.headers.get("Lambda-Runtime-Function-Error-Type").value_or("Runtime.Unknown"));
      std::string body = std::move(req.body);
      c.reply(202, R"({"status":"OK"})");
      initFailed_ = true;
      listener_->onInitError(*this, type, normalizeError(body, type));
      settled();
      return;
    }
    if (req.method == "POST" && req.path.rfind(kInvocationPrefix, 0) == 0) {
      std::string_view rest = std::string_view(req.path).substr(kInvocationPrefix.size());
      size_t slash = rest.find('/');
      std::string id(rest.substr(0, slash));
      std::string what(slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1));
      if (what != "response" && what != "error")
        return c.reply(404, R"({"errorMessage":"unknown Runtime API path","errorType":"NotFound"})");
      if (id.empty() || id != current_ || !dispatched_)
        return c.reply(400, R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})");
      std::string type(req.headers.get("Lambda-Runtime-Function-Error-Type").value_or(""));
      std::string body = std::move(req.body);
      c.reply(202, R"({"status":"OK"})");
      current_.clear();
      dispatched_ = false;
      drainOutput();
      if (what == "response") {
        listener_->onResponse(*this, id, std::move(body));
      } else {
        listener_->onFunctionError(*this, id, type, normalizeError(body, type.empty() ? "Unhandled" : type));
      }
      return;
    }
    c.reply(404, R"({"errorMessage":"unknown Runtime API path","errorType":"NotFound"})");
  }

  void onBadRequest(RuntimeApiConnection&, int status) override {
    if (status == 413 && dispatched_) {
      std::string id = current_;
      current_.clear();
      dispatched_ = false;
      listener_->onFunctionError(*this, id, "Function.ResponseSizeTooLarge",
                                "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (" +
                                    std::to_string(maxResponseBytes_) +
                                    " bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}");
    }
  }

  void onConnectionClosed(RuntimeApiConnection& c) override {
    if (parked_ == &c) parked_ = nullptr;
    if (parkedAssignment_ == &c) parkedAssignment_ = nullptr;
  }

  // ---- pre-started ("spare") environments ----
  // Started with only what every function shares; it waits on GET .../cdnlab/assignment.
  void makeSpare(EnvironmentListener& spareListener) {
    spare_ = true;
    awaitingAssignment_ = true;
    listener_ = &spareListener;
  }
  bool isSpare() const { return spare_ && !exited_; }
  int port() const { return port_; }
  void setPort(int port) { port_ = port; }
  // A function takes the spare: its environment (the whole process.env) and directory go out
  // in the assignment answer; from then on it is that function's environment.
  void assign(const EnvironmentSpec& spec, EnvironmentListener& listener, const std::vector<std::string>& env) {
    assignId(spec.id);
    listener_ = &listener;
    spare_ = false;
    JsonWriter w;
    w.startObject().key("cwd").string(spec.codeDir).key("env").startObject();
    for (const auto& kv : env) {
      size_t eq = kv.find('=');
      w.key(std::string_view(kv).substr(0, eq)).string(std::string_view(kv).substr(eq + 1));
    }
    w.endObject().endObject();
    assignment_ = w.take();
    sendAssignment();
  }
  // Called once, when init is over (ready, failed or exited): the runtime may start a new spare.
  void onSettled(std::function<void()> fn) { onSettled_ = std::move(fn); }

 private:
  // An error body that is not a JSON object still reaches the caller as AWS shapes it.
  static std::string normalizeError(const std::string& body, const std::string& type) {
    size_t first = body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && body[first] == '{') return body;
    std::string msg;
    for (char ch : body.substr(0, 4096)) {
      if (ch == '"' || ch == '\\') msg.push_back('\\');
      if (static_cast<unsigned char>(ch) >= 0x20) msg.push_back(ch);
    }
    return "{\"errorMessage\":\"" + msg + "\",\"errorType\":\"" + type + "\"}";
  }

  void sendAssignment() {
    if (assignment_.empty() || !parkedAssignment_) return;
    RuntimeApiConnection* c = parkedAssignment_;
    parkedAssignment_ = nullptr;
    awaitingAssignment_ = false;
    c->reply(200, std::move(assignment_));
    assignment_.clear();
  }

  void settled() {
    if (spare_ || !onSettled_) return;
    auto fn = std::move(onSettled_);
    onSettled_ = nullptr;
    fn();
  }

  void sendPending() {
    if (!pending_ || !parked_) return;
    const InvokeRequest& r = *pending_;
    std::vector<std::pair<std::string, std::string>> h = {
        {"Lambda-Runtime-Aws-Request-Id", r.requestId},
        {"Lambda-Runtime-Deadline-Ms", std::to_string(r.deadlineEpochMs)},
        {"Lambda-Runtime-Invoked-Function-Arn", r.invokedFunctionArn},
        {"Lambda-Runtime-Trace-Id", r.traceId},
    };
    if (!r.clientContext.empty()) h.emplace_back("Lambda-Runtime-Client-Context", r.clientContext);
    RuntimeApiConnection* c = parked_;
    parked_ = nullptr;
    std::string payload = std::move(pending_->payload);
    pending_.reset();
    dispatched_ = true;
    c->reply(200, std::move(payload), h);
  }

  void emitLine(std::string_view line) {
    if (!exitReported_) listener_->onLog(*this, line);
  }

  void drainFd(uv_pipe_t& pipe, LineSplitter& lines) {
    if (uv_is_closing(reinterpret_cast<uv_handle_t*>(&pipe))) return;
    uv_os_fd_t fd;
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(&pipe), &fd) != 0) return;
    char buf[16384];
    for (int i = 0; i < 64; ++i) {  // bounded: a function printing nonstop cannot hold the loop
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      lines.feed(buf, static_cast<size_t>(n), [this](std::string_view l) { emitLine(l); });
    }
  }

  static void onAlloc(uv_handle_t*, size_t, uv_buf_t* buf) {
    static thread_local char storage[65536];
    *buf = uv_buf_init(storage, sizeof storage);
  }

  static void onOutput(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
    auto* self = static_cast<ProcessEnvironment*>(s->data);
    LineSplitter& lines = s == reinterpret_cast<uv_stream_t*>(&self->out_) ? self->outLines_ : self->errLines_;
    if (n < 0) {
      lines.flush([self](std::string_view l) { self->emitLine(l); });
      uv_read_stop(s);
      return;
    }
    lines.feed(buf->base, static_cast<size_t>(n), [self](std::string_view l) { self->emitLine(l); });
  }

  static void onProcessExit(uv_process_t* p, int64_t status, int signal) {
    auto* self = static_cast<ProcessEnvironment*>(p->data);
    self->maxMemoryUsedMb();  // too late for /proc; keeps the last reading
    self->exited_ = true;
    self->drainOutput();
    self->outLines_.flush([self](std::string_view l) { self->emitLine(l); });
    self->errLines_.flush([self](std::string_view l) { self->emitLine(l); });
    std::string why;
    if (signal != 0) {
      why = std::string("signal: ") + (signal == SIGKILL ? "killed" : strsignal(signal));
    } else {
      why = "exit status " + std::to_string(status);
    }
    self->exitReported_ = true;
    self->closeAll();
    self->settled();
    self->listener_->onExit(*self, why);
  }

  void closeAll() {
    auto closeOne = [this](uv_handle_t* h) {
      if (!uv_is_closing(h)) uv_close(h, [](uv_handle_t* h) { static_cast<ProcessEnvironment*>(h->data)->handleClosed(); });
    };
    closeOne(reinterpret_cast<uv_handle_t*>(&out_));
    closeOne(reinterpret_cast<uv_handle_t*>(&err_));
    closeOne(reinterpret_cast<uv_handle_t*>(&process_));
    api_.close();
  }

  void handleClosed() {
    if (--openHandles_ == 0 && released_) delete this;
  }

  uv_loop_t* loop_;
  EnvironmentListener* listener_;
  RuntimeApiListener api_;
  uint64_t maxResponseBytes_;
  uv_process_t process_;
  uv_pipe_t out_, err_;
  LineSplitter outLines_, errLines_;
  int openHandles_ = 0;
  int pid_ = 0;
  int64_t peakMb_ = 0;
  RuntimeApiConnection* parked_ = nullptr;  // the long-polling GET /next
  RuntimeApiConnection* parkedAssignment_ = nullptr;  // a spare's long-polling GET .../assignment
  std::string assignment_;                  // to send when the spare asks (empty: none yet)
  std::function<void()> onSettled_;
  bool spare_ = false;               // started ahead, no function yet
  bool awaitingAssignment_ = false;  // started ahead and not yet told its function
  int port_ = 0;
  std::optional<InvokeRequest> pending_;
  std::string current_;     // request id handed over or about to be
  bool dispatched_ = false; // current_ went out in a /next response
  bool ready_ = false;
  bool initFailed_ = false;
  bool exited_ = false;
  bool exitReported_ = false;
  bool killed_ = false;
  bool released_ = false;
};


std::vector<std::string> ProcessRuntime::environmentFor(const EnvironmentSpec& spec, RuntimeKind kind, int port) const {
  std::vector<std::string> vars;
  for (const auto& [k, v] : spec.userEnvironment) vars.push_back(k + "=" + v);
  // Inherited and endpoint variables are defaults: the function's own Environment wins (the
  // reserved names it may not set are refused at CreateFunction).
  auto addDefault = [&vars, &spec](const std::string& k, const std::string& v) {
    if (!v.empty() && !spec.userEnvironment.count(k)) vars.push_back(k + "=" + v);
  };
  for (const char* inherit : {"PATH", "HOME", "LANG", "PYTHONPATH", "TMPDIR"})
    if (const char* v = std::getenv(inherit)) addDefault(inherit, v);
  // NODE_PATH as on AWS: after the function's own node_modules (Node looks there first) come the
  // runtime's packages (the SDK), then whatever the service itself was given.
  std::string nodePath = kind == RuntimeKind::Node ? options_.nodeSdkDir : "";
  if (const char* v = std::getenv("NODE_PATH"); v && *v) nodePath += (nodePath.empty() ? "" : ":") + std::string(v);
  addDefault("NODE_PATH", nodePath);
  // AWS_ENDPOINT_URL_<SERVICE ID>: SDK v3 and botocore >= 1.31 send that service's calls there.
  addDefault("AWS_ENDPOINT_URL_DYNAMODB", options_.storeEndpoint);
  addDefault("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", options_.streamsEndpoint);
  addDefault("AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI", options_.gatewayEndpoint);
  if (options_.lambdaEndpoint) addDefault("AWS_ENDPOINT_URL_LAMBDA", options_.lambdaEndpoint());
  const AccountInfo& a = options_.account;
  auto add = [&vars](const std::string& k, const std::string& v) { vars.push_back(k + "=" + v); };
  add("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + std::to_string(port));
  add("_HANDLER", spec.handler);
  add("LAMBDA_TASK_ROOT", spec.codeDir);
  add("LAMBDA_RUNTIME_DIR", options_.bootstrapDir);
  add("AWS_REGION", a.region);
  add("AWS_DEFAULT_REGION", a.region);
  // AWS leaves AWS_EXECUTION_ENV undefined for the OS-only runtimes (the provided family).
  if (kind != RuntimeKind::Provided) add("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime);
  add("AWS_LAMBDA_FUNCTION_NAME", spec.functionName);
  add("AWS_LAMBDA_FUNCTION_VERSION", spec.version);
  add("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(spec.memoryMb));
  add("AWS_LAMBDA_INITIALIZATION_TYPE", spec.provisioned ? "provisioned-concurrency" : "on-demand");
  add("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName);
  add("AWS_LAMBDA_LOG_STREAM_NAME", spec.logStreamName);
  // Dummy credentials: SDKs insist on some; the store accepts any unless run with --auth.
  add("AWS_ACCESS_KEY_ID", "AKIDCDNLABLAMBDA");
  add("AWS_SECRET_ACCESS_KEY", "cdnlab-lambda-secret");
  add("AWS_SESSION_TOKEN", "cdnlab-lambda-session");
  add("TZ", ":UTC");
  if (kind == RuntimeKind::Python) add("PYTHONUNBUFFERED", "1");
  return vars;
}

// A pre-started process can take a function only if nothing the function sets is read by the
// interpreter at its start (NODE_OPTIONS, NODE_PATH, PYTHONPATH, PYTHON*, the dynamic linker's
// LD_*, ...).
static bool spareCanRun(const EnvironmentSpec& spec, RuntimeKind kind) {
  for (const auto& [k, v] : spec.userEnvironment) {
    if (k.rfind("LD_", 0) == 0 || k == "TZ") return false;
    if (kind == RuntimeKind::Node && (k.rfind("NODE_", 0) == 0 || k.rfind("UV_", 0) == 0)) return false;
    if (kind == RuntimeKind::Python && k.rfind("PYTHON", 0) == 0) return false;
  }
  return true;
}

std::optional<size_t> ProcessRuntime::spareIndex(RuntimeKind kind) {
  if (kind == RuntimeKind::Node) return 0;
  if (kind == RuntimeKind::Python) return 1;
  return std::nullopt;
}

Result<Environment*> ProcessRuntime::start(const EnvironmentSpec& spec, EnvironmentListener& listener) {
  auto kind = runtimeKind(spec.runtime);
  if (!kind) return Error{1, "Runtime.InvalidRuntime: unsupported runtime " + spec.runtime};
  const std::optional<size_t> slot = spareIndex(*kind);
  if (slot && spares_[*slot].env && spares_[*slot].env->isSpare() && spareCanRun(spec, *kind)) {
    ProcessEnvironment* env = spares_[*slot].env;
    spares_[*slot].env = nullptr;
    env->assign(spec, listener, environmentFor(spec, *kind, env->port()));
    env->onSettled([this, s = *slot] { scheduleSpare(s); });
    return static_cast<Environment*>(env);
  }
  std::vector<std::string> args;
  switch (*kind) {
    case RuntimeKind::Node:
      if (options_.nodePath.find('/') == std::string::npos)
        return Error{1, "Runtime.InvalidEntrypoint: node (" + options_.nodePath + ") is not installed on this machine"};
      args = {options_.nodePath, nodeBootstrap_};
      break;
    case RuntimeKind::Python:
      if (options_.pythonPath.find('/') == std::string::npos)
        return Error{1, "Runtime.InvalidEntrypoint: python3 (" + options_.pythonPath + ") is not installed on this machine"};
      args = {options_.pythonPath, pythonBootstrap_};
      break;
    case RuntimeKind::Native:
      return Error{1, "Runtime.InvalidRuntime: cdnlab-native is not a process runtime"};
    case RuntimeKind::Provided: {
      std::string boot = spec.codeDir + "/bootstrap";
      if (::access(boot.c_str(), X_OK) != 0)
        return Error{1, "Runtime.InvalidEntrypoint: Couldn't find valid bootstrap(s): [" + boot + "]"};
      args = {boot};
      break;
    }
  }
  auto* env = new ProcessEnvironment(loop_, spec, listener, options_.maxResponseBytes);
  auto port = env->listen();
  if (!port) {
    env->abandon();
    env->release();
    return port.error();
  }
  auto spawned = env->spawn(args, environmentFor(spec, *kind, *port), spec.codeDir);
  if (!spawned) {
    env->release();
    return spawned.error();
  }
  // Every Node.js or Python cold start that did not find a spare makes one once it is over.
  if (slot) env->onSettled([this, s = *slot] { scheduleSpare(s); });
  return static_cast<Environment*>(env);
}

void ProcessRuntime::SpareListener::onExit(Environment& env, std::string) {
  auto* penv = static_cast<ProcessEnvironment*>(&env);
  for (size_t i = 0; i < runtime_.spares_.size(); ++i) {
    SpareSlot& slot = runtime_.spares_[i];
    if (slot.env != penv) continue;
    slot.env = nullptr;
    // A spare that dies before it is used (interpreter broken, killed) is replaced a few times only.
    if (++slot.failures <= 3) runtime_.scheduleSpare(i);
  }
  penv->release();
}

// Refilled a little later, not inside the cold start that used the last spare: on a busy machine
// starting an interpreter competes with the function's own init for a CPU.
void ProcessRuntime::scheduleSpare(size_t i) {
  const bool node = i == 0;
  const std::string& interpreter = node ? options_.nodePath : options_.pythonPath;
  if (!(node ? options_.prewarmNode : options_.prewarmPython) || closed_ || spares_[i].env ||
      interpreter.find('/') == std::string::npos)
    return;
  SpareSlot& slot = spares_[i];
  if (!slot.timer) {
    slot.timer = new uv_timer_t;
    uv_timer_init(loop_, slot.timer);
    slot.timer->data = this;
  }
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(slot.timer))) return;
  uv_timer_start(slot.timer, [](uv_timer_t* t) {
    auto* self = static_cast<ProcessRuntime*>(t->data);
    for (size_t k = 0; k < self->spares_.size(); ++k)
      if (self->spares_[k].timer == t) self->startSpare(k);
  }, kSpareDelayMs, 0);
}

void ProcessRuntime::startSpare(size_t i) {
  if (closed_ || spares_[i].env) return;
  const bool node = i == 0;
  EnvironmentSpec spec;
  spec.runtime = node ? "nodejs20.x" : "python3.11";
  spec.codeDir = options_.bootstrapDir;
  auto* env = new ProcessEnvironment(loop_, spec, spareListener_, options_.maxResponseBytes);
  env->makeSpare(spareListener_);
  auto port = env->listen();
  if (!port) {
    env->abandon();
    env->release();
    return;
  }
  env->setPort(*port);
  std::vector<std::string> vars;
  for (const char* inherit : {"PATH", "HOME", "LANG", "TMPDIR"})
    if (const char* v = std::getenv(inherit)) vars.push_back(std::string(inherit) + "=" + v);
  if (node) {
    std::string nodePath = options_.nodeSdkDir;
    if (const char* v = std::getenv("NODE_PATH"); v && *v) nodePath += (nodePath.empty() ? "" : ":") + std::string(v);
    if (!nodePath.empty()) vars.push_back("NODE_PATH=" + nodePath);
  } else {
    // Read by the interpreter at its start, so set here as every Python function gets them.
    if (const char* v = std::getenv("PYTHONPATH"); v && *v) vars.push_back(std::string("PYTHONPATH=") + v);
    vars.push_back("PYTHONUNBUFFERED=1");
  }
  vars.push_back("AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(*port));
  vars.push_back("TZ=:UTC");
  vars.push_back("_CDNLAB_SPARE=1");
  auto spawned = env->spawn({node ? options_.nodePath : options_.pythonPath, node ? nodeBootstrap_ : pythonBootstrap_},
                            vars, options_.bootstrapDir);
  if (!spawned) {
    env->release();
    return;
  }
  spares_[i].env = env;
}

void ProcessRuntime::close() {
  closed_ = true;
  for (SpareSlot& slot : spares_) {
    if (slot.timer) {
      uv_close(reinterpret_cast<uv_handle_t*>(slot.timer), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
      slot.timer = nullptr;
    }
    if (slot.env) slot.env->kill();  // its onExit releases it
  }
}

}  // namespace cdnlab::lambda

// Process runtimes: nodejsNN.x (the machine's node running lambda/runtimes/node_bootstrap.mjs),
// python3.x (python3 running python_bootstrap.py) and provided / provided.al2023 (the zip's own
// executable `bootstrap`). Each environment is one child process in its own process group with
// its own Runtime API listener; stdout and stderr become log lines. No containers: the child
// runs as the service's user, in the function's code directory.
#pragma once

#include <uv.h>

#include <functional>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lambda/environment.h"
#include "lambda/function_model.h"

namespace cdnlab::lambda {

struct ProcessRuntimeOptions {
  std::string nodePath = "node";       // looked up on PATH unless absolute
  std::string pythonPath = "python3";
  std::string bootstrapDir;            // where the embedded bootstraps are written
  AccountInfo account;
  std::string storeEndpoint;           // AWS_ENDPOINT_URL_DYNAMODB (empty: not set)
  std::string streamsEndpoint;         // AWS_ENDPOINT_URL_DYNAMODB_STREAMS (empty: not set)
  std::string gatewayEndpoint;         // AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI (empty: not set)
  // AWS_ENDPOINT_URL_LAMBDA: the service's own URL, known only once its listener is bound, so it
  // is asked for at each environment start (empty: not set).
  std::function<std::string()> lambdaEndpoint;
  // The AWS SDK for JavaScript v3 the nodejsNN.x runtimes provide (a node_modules directory, see
  // lambda/runtimes/node/sdk/); empty: none. codeRoot is where function code lives below: the
  // service links <codeRoot>/node_modules to the SDK so ES module imports find it too.
  std::string nodeSdkDir;
  std::string codeRoot;
  uint64_t maxResponseBytes = 6291556; // AWS's synchronous response limit
  // Keep one Node.js process and one Python process started ahead, bootstrap loaded, for the
  // next cold start of that runtime: it takes the function's environment and directory over the
  // Runtime API (`cdnlab/assignment`).
  bool prewarmNode = true;
  bool prewarmPython = true;
};

class ProcessEnvironment;

class ProcessRuntime final : public Runtime {
 public:
  ProcessRuntime(uv_loop_t* loop, ProcessRuntimeOptions options) : loop_(loop), options_(std::move(options)) {}
  // Writes the bootstrap files and resolves node/python; an error says which is missing.
  Result<bool> init();
  Result<Environment*> start(const EnvironmentSpec& spec, EnvironmentListener& listener) override;
  const ProcessRuntimeOptions& options() const { return options_; }
  // Stops the spare (if any) and starts no more.
  void close();

 private:
  // Hears from the spare before a function takes it: only its death matters.
  class SpareListener final : public EnvironmentListener {
   public:
    explicit SpareListener(ProcessRuntime& runtime) : runtime_(runtime) {}
    void onReady(Environment&) override {}
    void onInitError(Environment&, std::string, std::string) override {}
    void onResponse(Environment&, const std::string&, std::string) override {}
    void onFunctionError(Environment&, const std::string&, std::string, std::string) override {}
    void onLog(Environment&, std::string_view) override {}
    void onExit(Environment& env, std::string why) override;

   private:
    ProcessRuntime& runtime_;
  };
  static constexpr uint64_t kSpareDelayMs = 100;

  void linkNodeSdk();
  std::vector<std::string> environmentFor(const EnvironmentSpec& spec, RuntimeKind kind, int port) const;
  // One spare per interpreter runtime: index 0 Node.js, 1 Python.
  struct SpareSlot {
    ProcessEnvironment* env = nullptr;
    uv_timer_t* timer = nullptr;
    int failures = 0;
  };
  static std::optional<size_t> spareIndex(RuntimeKind kind);
  void scheduleSpare(size_t slot);
  void startSpare(size_t slot);

  uv_loop_t* loop_;
  ProcessRuntimeOptions options_;
  std::string nodeBootstrap_, pythonBootstrap_;
  SpareListener spareListener_{*this};
  std::array<SpareSlot, 2> spares_;
  bool closed_ = false;
};

// Where `scripts/setup.sh` installs the runtime SDK in this source tree (set at build time).
std::string defaultNodeSdkDir();

// Resolves `name` on PATH (as execvp would); empty when not found. Absolute paths are checked.
std::string findExecutable(const std::string& name);

}  // namespace cdnlab::lambda

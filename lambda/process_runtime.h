// Process runtimes: nodejsNN.x (the machine's node running lambda/runtimes/node_bootstrap.mjs),
// python3.x (python3 running python_bootstrap.py) and provided / provided.al2023 (the zip's own
// executable `bootstrap`). Each environment is one child process in its own process group with
// its own Runtime API listener; stdout and stderr become log lines. No containers: the child
// runs as the service's user, in the function's code directory.
#pragma once

#include <uv.h>

#include <string>

#include "lambda/environment.h"
#include "lambda/function_model.h"

namespace cdnlab::lambda {

struct ProcessRuntimeOptions {
  std::string nodePath = "node";       // looked up on PATH unless absolute
  std::string pythonPath = "python3";
  std::string bootstrapDir;            // where the embedded bootstraps are written
  AccountInfo account;
  std::string storeEndpoint;           // AWS_ENDPOINT_URL_DYNAMODB (empty: not set)
  uint64_t maxResponseBytes = 6291556; // AWS's synchronous response limit
};

class ProcessRuntime final : public Runtime {
 public:
  ProcessRuntime(uv_loop_t* loop, ProcessRuntimeOptions options) : loop_(loop), options_(std::move(options)) {}
  // Writes the bootstrap files and resolves node/python; an error says which is missing.
  Result<bool> init();
  Result<Environment*> start(const EnvironmentSpec& spec, EnvironmentListener& listener) override;
  const ProcessRuntimeOptions& options() const { return options_; }

 private:
  uv_loop_t* loop_;
  ProcessRuntimeOptions options_;
  std::string nodeBootstrap_, pythonBootstrap_;
};

// Resolves `name` on PATH (as execvp would); empty when not found. Absolute paths are checked.
std::string findExecutable(const std::string& name);

}  // namespace cdnlab::lambda

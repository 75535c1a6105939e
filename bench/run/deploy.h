// `cdnlab up`'s deploy step: once the store, the Lambda service and the gateway are listening,
// the topology's application is deployed through their real management APIs, as a deploy tool
// would: CreateTable (+ BatchWriteItem of the seed files) on the store, CreateFunction with a zip
// of each code directory (+ concurrency settings) on the Lambda service, ImportApi + CreateStage
// on the gateway. Nothing is written behind a service's back, so what `up` does is what a user
// could do with aws-cli.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

// Which runtime a function gets: as written in the topology, the native version always
// (`native_handler`), or automatically: native when the runtime's interpreter
// (or, for Node.js, the AWS SDK the Lambda service provides) is missing.
enum class RuntimeChoice { Auto, AsWritten, Native };

struct DeployOptions {
  std::string baseDir;      // the topology file's folder (seed, code and OpenAPI paths are relative to it)
  std::string nativeDir;    // where native functions' shared objects are looked for after the code directory
  RuntimeChoice runtime = RuntimeChoice::Auto;
};

struct DeployReport {
  int tablesCreated = 0;
  int tablesKept = 0;   // existed already (the store keeps its data between runs): not re-seeded
  long itemsSeeded = 0;
  int functions = 0;
  int nativeFunctions = 0;  // deployed as their native version
  std::vector<std::string> apiIds;  // per gateway API, in topology order
  double ms = 0;
};

// The runtime and handler a function is deployed with under `choice` (pure; `haveNode` says
// whether a Node.js interpreter was found).
struct ChosenRuntime {
  std::string runtime;
  std::string handler;
  bool native = false;
};
ChosenRuntime chooseRuntime(const geo::FunctionSpec& f, RuntimeChoice choice, bool haveNode);

// The OpenAPI text with `${cdnlab.origin}`, `${cdnlab.store}`, `${cdnlab.lambda}` replaced by
// those components' http:// URLs (for HTTP_PROXY integrations), pure.
std::string substituteEndpoints(std::string text, const geo::Topology& topo);

Result<DeployReport> deployApplication(const geo::Topology& topo, const DeployOptions& o);

// "/_api/<apiId>" for the $default stage, "/_api/<apiId>/<stage>" otherwise.
std::string gatewayPathPrefix(const std::string& apiId, const std::string& stage);

}  // namespace cdnlab::bench::run

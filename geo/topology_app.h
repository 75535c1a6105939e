// The serverless application of a topology: the DynamoDB-compatible store and its tables, the
// Lambda service and its functions, the API Gateway and its APIs (the `store`, `lambda`,
// `functions` and `gateway` sections; docs/topology.md). Read by geo/topology.cc as part of
// the one Topology value; `cdnlab up` starts the services and deploys this through their
// management APIs (bench/run/deploy.h). Paths (seed files, code directories, OpenAPI files)
// are kept as written; resolve them against the topology file's folder.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config/reader.h"
#include "common/config/units.h"

namespace cdnlab::geo {

// A DynamoDB key: partition key and optional sort key (attribute names).
struct KeySpec {
  std::string partition;
  std::string sort;  // empty: none
};

struct IndexSpec {
  std::string name;
  KeySpec key;
  std::string projection = "ALL";          // ALL | KEYS_ONLY | INCLUDE
  std::vector<std::string> nonKeyAttributes;  // for INCLUDE
};

struct TableSpec {
  std::string name;
  KeySpec key;
  std::map<std::string, std::string> attributes;  // name -> S | N | B (every key attribute)
  std::vector<IndexSpec> indexes;                 // global secondary indexes
  std::vector<std::string> seed;                  // .json / .csv files, relative to the topology
};

struct StoreSpec {
  config::HostPort address;
  std::string sync = "batch";  // the store's --sync
  std::vector<TableSpec> tables;
};

struct LambdaSpec {
  config::HostPort address;
  int maxConcurrency = 1000;
  std::chrono::milliseconds idleTimeout{300000};
};

struct FunctionSpec {
  std::string name;
  std::string runtime;  // nodejs16.x..nodejs22.x, python3.8..python3.13, cdnlab-native
  std::string handler;
  std::string code;     // a directory, zipped at deploy time
  int memoryMb = 128;
  int timeoutS = 3;
  std::optional<int> reservedConcurrency;
  int provisionedConcurrency = 0;
  std::map<std::string, std::string> environment;
  // The same function for the native runtime (`library.so:name`), used where the runtime's
  // interpreter is missing (or `up --runtime native`). Empty: none.
  std::string nativeHandler;
};

struct GatewayApiSpec {
  std::string openapi;  // file, relative to the topology
  std::string stage = "$default";
};

struct GatewaySpec {
  config::HostPort address;
  int workers = 1;
  std::vector<GatewayApiSpec> apis;
};

struct AppSpec {
  std::optional<StoreSpec> store;
  std::optional<LambdaSpec> lambda;
  std::vector<FunctionSpec> functions;
  std::optional<GatewaySpec> gateway;
  bool empty() const { return !store && !lambda && functions.empty() && !gateway; }
};

// Reads the sections from the document root; `isLoopback` checks listener hosts. Cross-section
// rules (functions need a lambda section, the gateway needs one for its functions) are checked
// here too; listener clashes with PoPs are checked by the topology loader.
AppSpec readApp(config::Object& root);

// Runtime names the Lambda service accepts (lambda/function_model.cc).
bool isKnownRuntime(const std::string& runtime);

}  // namespace cdnlab::geo

// libFuzzer target for the store's request path: JSON body -> request validation -> item model
// -> engine (RocksDB in memory) -> response, through Service::handleRequest as the HTTP binding
// calls it. Any body must give a 200 or a DynamoDB error, never a crash, a hang or a sanitizer
// report. Byte 0 picks the operation; table "Tbl" (pk S, sk N, one GSI) exists.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "origin/store/engine.h"
#include "origin/store/service.h"

using namespace cdnlab;
using namespace cdnlab::store;

namespace {

struct Store {
  std::unique_ptr<Engine> engine;
  FakeClock clock;
  std::unique_ptr<Service> service;
  Store() {
    EngineOptions eo;
    eo.inMemory = true;
    eo.sync = SyncMode::None;
    engine = std::move(*Engine::open(eo));
    ServiceOptions so;
    so.ttlSweepIntervalMs = 0;
    service = std::make_unique<Service>(*engine, so, clock);
    if (!service->start().ok()) std::abort();
    ApiResponse r = service->handleRequestBlocking(
        "DynamoDB_20120810.CreateTable",
        R"({"TableName":"Tbl","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},)"
        R"({"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"S"}],)"
        R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],)"
        R"("GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],)"
        R"("Projection":{"ProjectionType":"ALL"}}],"BillingMode":"PAY_PER_REQUEST"})");
    if (r.status != 200) std::abort();
  }
};

constexpr std::string_view kOps[] = {"PutItem",       "GetItem",        "DeleteItem",         "UpdateItem",
                                     "Query",         "Scan",           "BatchGetItem",       "BatchWriteItem",
                                     "TransactWriteItems", "TransactGetItems", "DescribeTable", "ListTables",
                                     "DescribeTimeToLive", "ListTagsOfResource"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Store store;
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string target = "DynamoDB_20120810." + std::string(kOps[data[0] % std::size(kOps)]);
  ApiResponse r = store.service->handleRequestBlocking(target, body);
  if (r.status != 200 && (r.status < 400 || r.status >= 500)) std::abort();  // 5xx: a bug, not bad input
  return 0;
}

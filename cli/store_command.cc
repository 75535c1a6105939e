// `cdnlab store --listen 127.0.0.1:8000 --data ./data [--in-memory] [--sync batch] [--workers N]
//  [--auth --access-key K --secret-key S]`: the DynamoDB-compatible origin store. Opens the
// engine, loads the catalog, serves the JSON protocol, and on SIGTERM stops accepting, finishes
// in-flight requests, syncs the WAL and exits 0.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "common/http/server.h"
#include "common/log.h"
#include "common/signals.h"
#include "origin/store/engine.h"
#include "origin/store/http_binding.h"
#include "origin/store/service.h"

namespace cdnlab::cli {
namespace {

struct StoreArgs {
  std::string listen = "127.0.0.1:8000";
  std::string data = "./data";
  bool inMemory = false;
  std::string sync = "batch";
  int workers = 2;
  bool auth = false;
  std::string accessKey, secretKey;
  std::string region = "us-east-1";
  int64_t ttlIntervalMs = 1000;
  int64_t streamRetentionS = 24 * 3600;
  int64_t batchWindowUs = 1000;
  int64_t itemCacheMb = 128;
  bool enforceThroughput = false;
  int64_t burstSeconds = 300;
  std::string logLevel = "warn";
};

int runStore(StoreArgs& a) {
  blockStopSignals();  // before RocksDB and the server start their threads
  if (!setLogLevel(a.logLevel)) {
    std::fprintf(stderr, "cdnlab store: --log-level: unknown level %s\n", a.logLevel.c_str());
    return 2;
  }
  auto sync = store::parseSyncMode(a.sync);
  if (!sync) {
    std::fprintf(stderr, "cdnlab store: --sync: %s\n", sync.error().message.c_str());
    return 2;
  }
  if (a.auth && (a.accessKey.empty() || a.secretKey.empty())) {
    std::fprintf(stderr, "cdnlab store: --auth needs --access-key and --secret-key\n");
    return 2;
  }
  http::ServerOptions so;
  if (auto r = so.setListen(a.listen); !r) {
    std::fprintf(stderr, "cdnlab store: --listen: %s\n", r.error().message.c_str());
    return 2;
  }
  so.workers = a.workers;
  so.serverName = "Server";

  store::EngineOptions eo;
  eo.path = a.data;
  eo.inMemory = a.inMemory;
  eo.sync = *sync;
  eo.batchWindowUs = a.batchWindowUs;
  eo.itemCacheBytes = static_cast<size_t>(a.itemCacheMb) << 20;
  auto engine = store::Engine::open(eo);
  if (!engine) {
    std::fprintf(stderr, "cdnlab store: %s\n", engine.error().message.c_str());
    return 1;
  }
  store::ServiceOptions svo;
  svo.region = a.region;
  svo.auth = a.auth;
  if (a.auth) svo.credentials.push_back({a.accessKey, a.secretKey});
  svo.ttlSweepIntervalMs = a.ttlIntervalMs;
  svo.streamRetentionMs = a.streamRetentionS * 1000;
  svo.enforceThroughput = a.enforceThroughput;
  svo.burstSeconds = static_cast<double>(a.burstSeconds);
  store::Service service(**engine, svo);
  if (auto r = service.start(); !r) {
    std::fprintf(stderr, "cdnlab store: %s\n", r.error().message.c_str());
    return 1;
  }
  store::HttpBinding binding(service, a.region);
  http::HttpServer server(so, binding.handler());
  binding.attach(&server);
  auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "cdnlab store: %s\n", port.error().message.c_str());
    return 1;
  }
  announceListening("http", so.host, *port);
  return runUntilStopSignal([&] {
    server.stop(5000);
    service.stop();
    (*engine)->close();
  });
}

}  // namespace

CDNLAB_COMMAND("store", "Run the DynamoDB-compatible origin store", [](CLI::App& sub) {
  auto a = std::make_shared<StoreArgs>();
  sub.add_option("--listen", a->listen, "host:port to listen on (port 0: ephemeral)")->capture_default_str();
  sub.add_option("--data", a->data, "Data directory (RocksDB)")->capture_default_str();
  sub.add_flag("--in-memory", a->inMemory, "Keep everything in memory (RocksDB's in-memory Env); nothing is written to disk");
  sub.add_option("--sync", a->sync, "WAL durability: always (fsync per write), batch (group commit), none")->capture_default_str();
  sub.add_option("--workers", a->workers, "HTTP worker threads")->capture_default_str();
  sub.add_flag("--auth", a->auth, "Verify SigV4 signatures against --access-key/--secret-key");
  sub.add_option("--access-key", a->accessKey, "Access key id accepted with --auth");
  sub.add_option("--secret-key", a->secretKey, "Secret key for --access-key");
  sub.add_option("--region", a->region, "Region reported in ARNs and the health line")->capture_default_str();
  sub.add_option("--ttl-interval-ms", a->ttlIntervalMs, "TTL sweep interval in ms (0: off)")->capture_default_str();
  sub.add_option("--stream-retention-s", a->streamRetentionS,
                 "How long DynamoDB Streams records are kept (DynamoDB: 86400); trimmed by the TTL sweep")
      ->check(CLI::Range(int64_t{1}, int64_t{10} * 365 * 86400))
      ->capture_default_str();
  sub.add_option("--batch-window-us", a->batchWindowUs, "Group commit window for --sync batch")->capture_default_str();
  sub.add_option("--item-cache-mb", a->itemCacheMb, "Cache of recently read items in front of RocksDB (0: off)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 20))
      ->capture_default_str();
  sub.add_flag("--enforce-throughput", a->enforceThroughput,
               "Throttle PROVISIONED tables to their read/write capacity units (ProvisionedThroughputExceededException) "
               "and on-demand tables and indexes to their OnDemandThroughput maxima (ThrottlingException), batches "
               "with UnprocessedItems / UnprocessedKeys; off, like DynamoDB Local");
  sub.add_option("--burst-seconds", a->burstSeconds, "Unused capacity a throttled table keeps (DynamoDB: 300 s)")
      ->check(CLI::Range(int64_t{1}, int64_t{3600}))
      ->capture_default_str();
  sub.add_option("--log-level", a->logLevel, "debug, info, warn, error, off")->capture_default_str();
  return [a] { return runStore(*a); };
});

}  // namespace cdnlab::cli

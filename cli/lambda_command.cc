// `cdnlab lambda --listen 127.0.0.1:9001 --data ./lambda-data [--in-memory] [--max-concurrency N]
//  [--store-endpoint URL]`: the Lambda service (management and Invoke API, process runtimes).
// `cdnlab lambda logs NAME [--follow] [--endpoint URL]`: prints a function's log streams.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/http/server.h"
#include "common/log.h"
#include "common/signals.h"
#include "lambda/logs_client.h"
#include "lambda/service.h"

namespace cdnlab::cli {
namespace {

struct LambdaArgs {
  std::string listen = "127.0.0.1:9001";
  std::string data = "./lambda-data";
  bool inMemory = false;
  int maxConcurrency = 1000;
  std::string storeEndpoint;
  std::string streamsEndpoint;
  std::string gatewayEndpoint;
  std::string nodeSdk = lambda::defaultNodeSdkDir();
  bool noPrewarm = false;
  std::vector<std::string> schedules;
  int scheduleSpeedup = 1;
  std::string region = "us-east-1";
  int64_t idleTimeoutMs = 300000;
  int64_t asyncRetryDelayMs = 60000;
  std::string node = "node";
  std::string python = "python3";
  std::string logLevel = "warn";
  lambda::LogsRequest logs;
};

int runLambda(LambdaArgs& a) {
  blockStopSignals();
  if (!setLogLevel(a.logLevel)) {
    std::fprintf(stderr, "cdnlab lambda: --log-level: unknown level %s\n", a.logLevel.c_str());
    return 2;
  }
  if (a.maxConcurrency < 1) {
    std::fprintf(stderr, "cdnlab lambda: --max-concurrency must be at least 1\n");
    return 2;
  }
  http::ServerOptions so;
  if (auto r = so.setListen(a.listen); !r) {
    std::fprintf(stderr, "cdnlab lambda: --listen: %s\n", r.error().message.c_str());
    return 2;
  }
  // One worker: the service, its environments and their Runtime API share one loop (service.h).
  so.workers = 1;
  so.limits.maxBodyBytes = 70 * 1024 * 1024;  // CreateFunction with a 50 MB zip, base64
  so.idleTimeoutMs = 900000;                  // a synchronous invoke may run 900 s
  so.serverName = "cdnlab-lambda";

  lambda::ServiceOptions o;
  o.dataDir = a.data;
  o.inMemory = a.inMemory;
  o.account.region = a.region;
  o.runtime.nodePath = a.node;
  o.runtime.pythonPath = a.python;
  o.runtime.storeEndpoint = a.storeEndpoint;
  o.streamsEndpoint = a.streamsEndpoint;
  o.runtime.gatewayEndpoint = a.gatewayEndpoint;
  o.runtime.nodeSdkDir = a.nodeSdk;
  o.runtime.prewarmNode = !a.noPrewarm;
  o.runtime.prewarmPython = !a.noPrewarm;
  for (size_t i = 0; i < a.schedules.size(); ++i) {
    auto s = lambda::parseScheduleFlag(a.schedules[i], i);
    if (!s) {
      std::fprintf(stderr, "cdnlab lambda: %s\n", s.error().message.c_str());
      return 2;
    }
    o.schedules.push_back(std::move(*s));
  }
  if (a.scheduleSpeedup < 1 || a.scheduleSpeedup > 3600) {
    std::fprintf(stderr, "cdnlab lambda: --schedule-speedup must be 1-3600\n");
    return 2;
  }
  o.scheduleSpeedup = a.scheduleSpeedup;
  o.invoker.maxConcurrency = a.maxConcurrency;
  o.invoker.idleTimeoutMs = a.idleTimeoutMs;
  o.invoker.asyncRetryDelayMs = a.asyncRetryDelayMs;
  lambda::LambdaService service(o);
  if (auto r = service.open(); !r) {
    std::fprintf(stderr, "cdnlab lambda: %s\n", r.error().message.c_str());
    return 1;
  }
  http::HttpServer server(so, [&service](const http::RequestContextPtr& ctx) { service.handle(ctx); });
  std::string startError;
  server.onWorkerStart([&](const http::WorkerInfo& w) {
    if (auto r = service.start(w.loop); !r) startError = r.error().message;
  });
  server.onWorkerStop([&](const http::WorkerInfo&) { service.stop(); });
  auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "cdnlab lambda: %s\n", port.error().message.c_str());
    return 1;
  }
  service.setPublicUrl("http://" + so.host + ":" + std::to_string(*port));
  if (!startError.empty()) {
    std::fprintf(stderr, "cdnlab lambda: %s\n", startError.c_str());
    server.stop(0);
    return 1;
  }
  announceListening("http", so.host, *port);
  return runUntilStopSignal([&] { server.stop(5000); });
}

std::function<int()> setupLambda(CLI::App& sub) {
  auto a = std::make_shared<LambdaArgs>();
  sub.add_option("--listen", a->listen, "host:port of the Lambda API (port 0: ephemeral)")->capture_default_str();
  sub.add_option("--data", a->data, "Directory for functions, code and logs")->capture_default_str();
  sub.add_flag("--in-memory", a->inMemory, "Keep nothing: functions vanish when the service stops");
  sub.add_option("--max-concurrency", a->maxConcurrency, "Account concurrency limit over all functions")->capture_default_str();
  sub.add_option("--store-endpoint", a->storeEndpoint, "AWS_ENDPOINT_URL_DYNAMODB given to functions (e.g. the cdnlab store)");
  sub.add_option("--streams-endpoint", a->streamsEndpoint, "DynamoDB Streams API for event source mappings (default: --store-endpoint)");
  sub.add_option("--gateway-endpoint", a->gatewayEndpoint, "AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI given to functions (e.g. the cdnlab gateway)");
  sub.add_option("--node-sdk", a->nodeSdk, "node_modules with the AWS SDK v3 nodejsNN.x functions get ('' for none)")->capture_default_str();
  sub.add_flag("--no-prewarm", a->noPrewarm, "Start no Node.js or Python process ahead of the next cold start (each cold start then pays for the interpreter's own start)");
  sub.add_option("--schedule", a->schedules, "FUNCTION=EXPRESSION: invoke FUNCTION on an EventBridge schedule, e.g. tick=rate(5 minutes) or 'tick=cron(0 12 * * ? *)' (repeatable)");
  sub.add_option("--schedule-speedup", a->scheduleSpeedup, "Run schedule time N times faster than the wall clock (labs)")->capture_default_str();
  sub.add_option("--region", a->region, "Region in ARNs and AWS_REGION")->capture_default_str();
  sub.add_option("--idle-timeout-ms", a->idleTimeoutMs, "Stop an on-demand environment idle this long")->capture_default_str();
  sub.add_option("--async-retry-delay-ms", a->asyncRetryDelayMs, "Wait before retrying a failed Event invocation (second retry: twice this)")->capture_default_str();
  sub.add_option("--node", a->node, "Node.js for nodejsNN.x runtimes")->capture_default_str();
  sub.add_option("--python", a->python, "Python for python3.x runtimes")->capture_default_str();
  sub.add_option("--log-level", a->logLevel, "debug, info, warn, error, off")->capture_default_str();
  CLI::App* logs = sub.add_subcommand("logs", "Print a function's log streams (START/END/REPORT and its output)");
  logs->add_option("name", a->logs.function, "Function name")->required();
  logs->add_flag("--follow,-f", a->logs.follow, "Keep printing new lines");
  logs->add_option("--endpoint", a->logs.endpoint, "The Lambda service")->capture_default_str();
  return [a, logs] {
    if (logs->parsed()) {
      auto r = lambda::printLogs(a->logs, stdout);
      if (!r) {
        std::fprintf(stderr, "cdnlab lambda logs: %s\n", r.error().message.c_str());
        return 1;
      }
      return 0;
    }
    return runLambda(*a);
  };
}

}  // namespace

CDNLAB_COMMAND("lambda", "Run the Lambda service (or: lambda logs NAME)", setupLambda);

}  // namespace cdnlab::cli

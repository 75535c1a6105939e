// `cdnlab gateway --listen 127.0.0.1:4010 --data ./gw-data [--api api.yaml ...]
//  [--lambda-endpoint URL] [--store-endpoint URL] [--tls-cert FILE --tls-key FILE]`: the API
// Gateway (docs/gateway.md). Loads the
// persisted APIs and the OpenAPI files, serves the invoke path and the management API, and on
// SIGTERM stops accepting, finishes in-flight requests and exits 0.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/log.h"
#include "common/signals.h"
#include "gateway/server/gateway_server.h"

namespace cdnlab::cli {
namespace {

struct GatewayArgs {
  gateway::GatewayOptions o;
  std::string logLevel = "warn";
};

int runGateway(GatewayArgs& a) {
  blockStopSignals();
  if (!setLogLevel(a.logLevel)) {
    std::fprintf(stderr, "cdnlab gateway: --log-level: unknown level %s\n", a.logLevel.c_str());
    return 2;
  }
  gateway::GatewayServer server(a.o);
  auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "cdnlab gateway: %s\n", port.error().message.c_str());
    return port.error().code == 2 ? 2 : 1;
  }
  announceListening("http", server.host(), *port, server.tls() ? "https" : "http");
  return runUntilStopSignal([&] { server.stop(5000); });
}

}  // namespace

CDNLAB_COMMAND("gateway", "Run the API Gateway (HTTP APIs, management API for aws-cli/boto3)", [](CLI::App& sub) {
  auto a = std::make_shared<GatewayArgs>();
  sub.add_option("--listen", a->o.listen, "host:port to listen on (port 0: ephemeral)")->capture_default_str();
  sub.add_option("--tls-cert", a->o.tlsCert, "PEM certificate (chain) to serve https:// and wss:// with (needs --tls-key; the listener then speaks TLS only)");
  sub.add_option("--tls-key", a->o.tlsKey, "PEM private key of --tls-cert");
  sub.add_option("--data", a->o.dataDir, "Directory where APIs are persisted (apis.json) and access logs written")->capture_default_str();
  sub.add_option("--api", a->o.apiFiles, "OpenAPI 3 file (YAML or JSON) to serve; repeatable");
  sub.add_option("--lambda-endpoint", a->o.lambdaEndpoint, "http://host:port of the Lambda Invoke API (cdnlab lambda)");
  sub.add_option("--store-endpoint", a->o.storeEndpoint, "http://host:port of the DynamoDB-compatible store (cdnlab store)");
  sub.add_option("--jwks", a->o.jwks, "ISSUER=FILE: the JWKS (RSA, EC P-256, oct keys) JWT authorizers of that issuer verify with; repeatable");
  sub.add_option("--jwks-ttl", a->o.jwksTtlSeconds, "Seconds a key set fetched from an issuer's JWKS URL is kept")->capture_default_str();
  sub.add_option("--cognito-idp-endpoint", a->o.cognitoIdpEndpoint, "http://host:port serving user pools' keys at /<POOL_ID>/.well-known/jwks.json (REST COGNITO_USER_POOLS authorizers)")
      ->check(CLI::Validator([](std::string& s) { return s.rfind("http://", 0) == 0 ? std::string() : std::string("must be an http:// URL"); }, "URL"));
  sub.add_option("--iam-key", a->o.iamKeys, "ACCESS_KEY:SECRET whose SigV4 signatures AWS_IAM routes accept; repeatable");
  sub.add_option("--ws-max-message", a->o.wsMaxMessageBytes, "WebSocket APIs: largest message in bytes")->capture_default_str()->check(CLI::Range(size_t{1}, size_t{16} << 20));
  sub.add_option("--ws-max-frame", a->o.wsMaxFrameBytes, "WebSocket APIs: largest frame in bytes")->capture_default_str()->check(CLI::Range(size_t{1}, size_t{16} << 20));
  sub.add_option("--ws-idle", a->o.wsIdleSeconds, "WebSocket APIs: seconds without a message before the connection closes")->capture_default_str()->check(CLI::Range(uint64_t{1}, uint64_t{7 * 86400}));
  sub.add_option("--ws-max-lifetime", a->o.wsMaxLifetimeSeconds, "WebSocket APIs: longest connection in seconds")->capture_default_str()->check(CLI::Range(uint64_t{1}, uint64_t{7 * 86400}));
  sub.add_option("--workers", a->o.workers, "HTTP worker threads")->capture_default_str();
  sub.add_option("--region", a->o.region, "Region in ARNs")->capture_default_str();
  sub.add_option("--log-level", a->logLevel, "debug, info, warn, error, off")->capture_default_str();
  return [a] { return runGateway(*a); };
});

}  // namespace cdnlab::cli

// `cdnlab pop --upstream http://127.0.0.1:9000 --listen 127.0.0.1:8080 --capacity 512MiB`:
// a caching PoP in front of an origin (or of another PoP: the shield tier). Parses flags into a
// PopConfig, starts edge::pop::PopServer, announces its listeners, runs until SIGTERM/SIGINT.
// SIGHUP reads the edge-function files again (--edge-functions, --behaviors' functions).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/command.h"
#include "common/clock.h"
#include "common/config/units.h"
#include "common/log.h"
#include "common/signals.h"
#include "common/config/error.h"
#include "edge/pop/behaviors.h"
#include "edge/pop/function_sources.h"
#include "edge/pop/pop_server.h"

namespace cdnlab::cli {
namespace {

struct PopArgs {
  std::string listen = "127.0.0.1:8080";
  std::string admin;
  std::string adminToken;
  std::string capacity = "512MiB";
  std::string defaultTtl, minTtl, maxTtl;
  std::string upstreamRtt = "0";
  std::string accessLog;
  double upstreamBandwidthMbps = 0;
  std::string collapseWait = "5s", connectTimeout = "2s", upstreamTimeout = "10s", sweepInterval = "1s", keep = "10m";
  std::string logLevel = "warn";
  std::vector<std::string> edgeFunctions;
  std::string upstream;
  std::string rangeFillMax;
  std::string behaviorsFile;
  std::string edgeFunctionsFile;
  edge::pop::PopConfig config;
};

bool parseDurationFlag(const char* flag, const std::string& text, edge::pop::Duration& out) {
  std::string why;
  auto d = config::parseDuration(text, &why);
  if (!d) {
    std::fprintf(stderr, "cdnlab pop: %s: %s\n", flag, why.c_str());
    return false;
  }
  out = *d;
  return true;
}

bool parseOptionalDuration(const char* flag, const std::string& text, std::optional<edge::pop::Duration>& out) {
  if (text.empty()) return true;
  edge::pop::Duration d{};
  if (!parseDurationFlag(flag, text, d)) return false;
  out = d;
  return true;
}

// Until SIGTERM/SIGINT: each SIGHUP reloads the edge functions. The outcome goes to stdout (a
// success, so a script can wait for it) or stderr (why the old associations stay).
int serveUntilStopped(edge::pop::PopServer& server) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig != SIGHUP) break;
    auto reloaded = server.reloadFunctions();
    if (reloaded.ok()) {
      std::printf("reloaded edge functions: %zu association%s\n", *reloaded, *reloaded == 1 ? "" : "s");
      std::fflush(stdout);
    } else {
      std::fprintf(stderr, "cdnlab pop: SIGHUP: edge functions not reloaded, the running ones stay:\n%s\n",
                   reloaded.error().message.c_str());
    }
  }
  server.stop(5000);
  return 0;
}

int runPop(PopArgs& a) {
  blockStopSignals();
  {
    // SIGHUP (reload) is taken by serveUntilStopped only: blocked before any thread starts.
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hup, nullptr);
  }
  if (!setLogLevel(a.logLevel)) {
    std::fprintf(stderr, "cdnlab pop: --log-level: unknown level %s\n", a.logLevel.c_str());
    return 2;
  }
  edge::pop::PopConfig& c = a.config;
  std::string why;
  auto listen = config::parseHostPort(a.listen, &why);
  if (!listen) {
    std::fprintf(stderr, "cdnlab pop: --listen: %s\n", why.c_str());
    return 2;
  }
  c.listen = *listen;
  if (!a.admin.empty()) {
    auto admin = config::parseHostPort(a.admin, &why);
    if (!admin) {
      std::fprintf(stderr, "cdnlab pop: --admin: %s\n", why.c_str());
      return 2;
    }
    c.admin = *admin;
  }
  // The token from the flag wins; the environment keeps it out of `ps` output.
  c.adminToken = a.adminToken;
  if (c.adminToken.empty())
    if (const char* env = std::getenv("CDNLAB_ADMIN_TOKEN")) c.adminToken = env;
  auto capacity = config::parseByteSize(a.capacity, &why);
  if (!capacity) {
    std::fprintf(stderr, "cdnlab pop: --capacity: %s\n", why.c_str());
    return 2;
  }
  c.capacityBytes = *capacity;
  if (!a.rangeFillMax.empty()) {
    auto cap = config::parseByteSize(a.rangeFillMax, &why);
    if (!cap || *cap == 0) {
      std::fprintf(stderr, "cdnlab pop: --range-fill-max: %s\n", cap ? "must be > 0" : why.c_str());
      return 2;
    }
    c.rangeFillMaxBytes = *cap;
  }
  if (!parseOptionalDuration("--default-ttl", a.defaultTtl, c.defaultTtl) ||
      !parseOptionalDuration("--min-ttl", a.minTtl, c.minTtl) ||
      !parseOptionalDuration("--max-ttl", a.maxTtl, c.maxTtl) ||
      !parseDurationFlag("--collapse-wait", a.collapseWait, c.collapseWait) ||
      !parseDurationFlag("--upstream-connect-timeout", a.connectTimeout, c.upstreamConnectTimeout) ||
      !parseDurationFlag("--upstream-timeout", a.upstreamTimeout, c.upstreamTimeout) ||
      !parseDurationFlag("--sweep-interval", a.sweepInterval, c.sweepInterval) ||
      !parseDurationFlag("--keep", a.keep, c.keep) ||
      !parseDurationFlag("--upstream-rtt", a.upstreamRtt, c.upstreamRtt))
    return 2;
  for (const auto& text : a.edgeFunctions) {
    auto assoc = edge::pop::parseEdgeFunctionFlag(text);
    if (!assoc.ok()) {
      std::fprintf(stderr, "cdnlab pop: %s\n", assoc.error().message.c_str());
      return 2;
    }
    c.edgeFunctions.push_back(std::move(assoc.value()));
  }
  if (!a.edgeFunctionsFile.empty()) {
    auto file = edge::pop::loadEdgeFunctionsFile(a.edgeFunctionsFile);
    if (!file.ok()) {
      std::fprintf(stderr, "cdnlab pop: --edge-functions:\n%s\n", config::formatErrors(file.errors()).c_str());
      return 2;
    }
    c.edgeFunctionsFile = a.edgeFunctionsFile;
    c.fileEdgeFunctions = std::move(file.value());
  }
  if (!a.behaviorsFile.empty()) {
    c.behaviorsFile = a.behaviorsFile;
    auto file = edge::pop::loadBehaviorsFile(a.behaviorsFile);
    if (!file.ok()) {
      std::fprintf(stderr, "cdnlab pop: --behaviors:\n%s\n", config::formatErrors(file.errors()).c_str());
      return 2;
    }
    c.behaviors = std::move(file->behaviors);
  }
  // Without --upstream, the default behavior's origin is the PoP's upstream (its cache-key host
  // and the origin of behaviors that name none).
  if (!a.upstream.empty()) {
    c.upstream = a.upstream;
  } else if (!c.behaviors.empty() && !c.behaviors.back().upstream.url.empty()) {
    c.upstream = c.behaviors.back().upstream.url;
  } else {
    std::fputs(c.behaviors.empty() ? "cdnlab pop: --upstream is required\n"
                                   : "cdnlab pop: --upstream is required (the default behavior names no origin)\n",
               stderr);
    return 2;
  }
  c.accessLog = a.accessLog;
  if (!(a.upstreamBandwidthMbps >= 0)) {
    std::fputs("cdnlab pop: --upstream-bandwidth-mbps must be >= 0\n", stderr);
    return 2;
  }
  c.upstreamBandwidthMbps = a.upstreamBandwidthMbps;
  if (auto ok = c.validate(); !ok.ok()) {
    std::fprintf(stderr, "cdnlab pop: %s\n", ok.error().message.c_str());
    return 2;
  }

  auto server = edge::pop::PopServer::create(c, SystemClock::instance());
  if (!server.ok()) {
    std::fprintf(stderr, "cdnlab pop: %s\n", server.error().message.c_str());
    return 1;
  }
  auto started = (*server)->start();
  if (!started.ok()) {
    std::fprintf(stderr, "cdnlab pop: %s\n", started.error().message.c_str());
    return 1;
  }
  announceListening("http", c.listen.host, (*server)->port());
  if (c.admin) announceListening("admin", c.admin->host, (*server)->adminPort());
  return serveUntilStopped(**server);
}

}  // namespace

CDNLAB_COMMAND("pop", "Run a caching PoP in front of an upstream (origin or shield PoP)", [](CLI::App& sub) {
  auto a = std::make_shared<PopArgs>();
  edge::pop::PopConfig& c = a->config;
  sub.add_option("--upstream", a->upstream,
                 "Upstream URL: the origin or a shield PoP (http://host:port); optional with --behaviors "
                 "whose default behavior names an origin");
  sub.add_option("--behaviors", a->behaviorsFile,
                 "YAML file of CloudFront-style cache behaviors: path pattern -> origin, cache policy, "
                 "origin request policy, allowed methods, edge functions (docs/behaviors.md)");
  sub.add_option("--listen", a->listen, "Client listener host:port (port 0: ephemeral)")->capture_default_str();
  sub.add_option("--admin", a->admin, "Admin listener host:port for /purge and /metrics (off when unset)");
  sub.add_option("--admin-token", a->adminToken,
                 "Bearer token the admin /purge requires (default: $CDNLAB_ADMIN_TOKEN; none = open)");
  sub.add_option("--capacity", a->capacity, "Cache capacity, e.g. 512MiB")->capture_default_str();
  sub.add_option("--policy", c.policy, "Eviction policy (lru, ...)")->capture_default_str();
  sub.add_option("--workers", c.workers, "Worker threads (0 = one per core)")->capture_default_str();
  sub.add_option("--id", c.id, "PoP id for X-Served-By and metrics")->capture_default_str();
  sub.add_flag("--ignore-query", c.keyIgnoreQuery, "Leave the query string out of the cache key");
  sub.add_option("--key-header", c.keyHeaders, "Request header whose value joins the cache key (repeatable)");
  sub.add_option("--default-ttl", a->defaultTtl, "TTL for responses without explicit freshness (e.g. 60s)");
  sub.add_option("--min-ttl", a->minTtl, "Lower bound of every freshness lifetime");
  sub.add_option("--max-ttl", a->maxTtl, "Upper bound of every freshness lifetime");
  sub.add_flag("--heuristic", c.heuristic, "Enable RFC 9111 heuristic freshness (off by default)");
  sub.add_flag("--allow-trace", c.allowTrace, "Forward TRACE requests upstream (refused with 405 by default)");
  sub.add_option("--cache-control-field", c.popCacheControlField,
                 "PoP-specific targeted cache-control field obeyed before CDN-Cache-Control (RFC 9213; empty = none)")
      ->capture_default_str();
  sub.add_flag("--strip-targeted-cache-control", c.stripTargetedCacheControl,
               "Remove CDN-Cache-Control and the PoP field from responses to clients");
  sub.add_option("--surrogate-key-header", c.surrogateKeyField,
                 "Response field listing an object's purge tags (Surrogate-Key, Cache-Tag, ...)")
      ->capture_default_str();
  sub.add_option("--max-object-fraction", c.maxObjectFraction,
                 "Objects larger than this fraction of the capacity are passed through")
      ->capture_default_str();
  sub.add_option("--range-fill-max", a->rangeFillMax,
                 "A Range miss fills the whole object only up to this size; larger objects get the client's "
                 "Range forwarded and are not stored (default: the largest storable object)");
  sub.add_option("--collapse-wait", a->collapseWait, "Longest wait behind another request's fetch")
      ->capture_default_str();
  sub.add_option("--upstream-connect-timeout", a->connectTimeout, "Upstream connect timeout")->capture_default_str();
  sub.add_option("--upstream-timeout", a->upstreamTimeout, "Upstream response timeout (-> 504)")
      ->capture_default_str();
  sub.add_option("--sweep-interval", a->sweepInterval, "Period of the TTL expiry sweep")->capture_default_str();
  sub.add_option("--keep", a->keep, "How long stale entries with validators are kept for revalidation")
      ->capture_default_str();
  sub.add_option("--upstream-bandwidth-mbps", a->upstreamBandwidthMbps,
                 "Latency model: the upstream hop's bandwidth; a response body waits size / bandwidth (0 = none)");
  sub.add_option("--access-log", a->accessLog,
                 "Append a CloudFront-format access log (tab-separated, #Fields header) to this file");
  sub.add_option("--upstream-rtt", a->upstreamRtt,
                 "Simulated round trip to the upstream (latency model): waited before each upstream "
                 "request, twice on a new connection (e.g. 84.2ms; 0 = off)")
      ->capture_default_str();
  sub.add_option("--edge-function", a->edgeFunctions,
                 "Lambda@Edge: TRIGGER=builtin:NAME|native:NAME|lambda:NAME[@/path/pattern*] (repeatable; "
                 "triggers viewer-request, origin-request, origin-response, viewer-response)");
  sub.add_option("--edge-functions", a->edgeFunctionsFile,
                 "YAML file of Lambda@Edge associations (edge_functions: [{trigger, function, path}]), after the "
                 "--edge-function flags; read again on SIGHUP, as is --behaviors' functions:");
  sub.add_option("--native-plugin", c.nativePlugins, "Shared object with native functions to load (repeatable)");
  sub.add_option("--geo-db", c.geoDb, "MaxMind DB: the client's country for edge functions (CloudFront-Viewer-Country)");
  sub.add_option("--lambda-endpoint", c.lambdaEndpoint, "Lambda service for lambda: edge functions (http://host:port)");
  sub.add_option("--edge-function-threads", c.edgeFunctionThreads, "Native edge-function worker threads")
      ->capture_default_str();
  sub.add_option("--log-level", a->logLevel, "debug, info, warn, error, off")->capture_default_str();
  return std::function<int()>([a] { return runPop(*a); });
});

}  // namespace cdnlab::cli

// `cdnlab load [topo.yaml] [--rate R] [--duration 30s] [--warmup 5s] [--requests N]
// [--connections N] [--closed] [--threads N] [--json out.json] [--no-latency] [--seed S]
// [--target URL] [--check]`: drives traffic at a running topology (clients per region, routed
// by the router) or at one URL (--target), prints a progress line per second and the tables at
// the end. All logic lives in bench/loadgen; this file maps flags onto a LoadPlan.
// Exit codes: 0 ok, 1 nothing to measure (target down, every request failed), 2 usage or
// config error, 130 interrupted (Ctrl-C: the tables and the JSON of what was measured so far).
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <string>

#include "bench/loadgen/driver.h"
#include "bench/loadgen/plan.h"
#include "bench/loadgen/probe.h"
#include "bench/loadgen/report.h"
#include "bench/run/default_topology.h"
#include "bench/run/provisioned.h"
#include "bench/loadgen/scrape.h"
#include "bench/loadgen/tiers.h"
#include "cli/command.h"
#include "common/config/units.h"
#include "geo/topology.h"
#include "origin/catalog/catalog_config.h"

namespace cdnlab::cli {
namespace {

struct LoadArgs {
  std::string topology;
  std::optional<double> rate;
  std::string duration;
  std::string warmup;
  std::optional<int64_t> requests;  // signed, so that a negative count is an error, not 2^64 - n
  std::optional<int> connections;
  bool closed = false;
  int threads = 1;
  std::string json;
  bool noLatency = false;
  std::optional<uint64_t> seed;
  std::string target;
  std::string targetPop;
  std::string origin;
  std::optional<int64_t> objects;
  bool perRegionRanking = false;
  bool check = false;  // validate flags and topology, then exit (demo runs this before `up`)
};

std::atomic<bool> gInterrupted{false};

void onInterrupt(int) { gInterrupted.store(true); }

// Ctrl-C / SIGTERM end the run early; the tables and JSON of what was measured still follow.
void catchInterrupt() {
  struct sigaction sa {};
  sa.sa_handler = onInterrupt;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

std::string failureSummary(const loadgen::RunOutcome& run) {
  std::string s;
  for (size_t i = 0; i < loadgen::kFailureCauseCount; ++i)
    if (run.failures[i])
      s += (s.empty() ? "" : ", ") + std::to_string(run.failures[i]) + " " + std::string(loadgen::kFailureCauseNames[i]);
  return s;
}

std::optional<int64_t> durationNs(const std::string& text, const char* flag) {
  std::string why;
  auto d = config::parseDuration(text, &why);
  if (!d) {
    std::fprintf(stderr, "cdnlab load: %s: %s\n", flag, why.c_str());
    return std::nullopt;
  }
  return d->count();
}

// The usage errors visible from the flags alone (empty: none), checked before anything is read
// or contacted.
std::string usageError(const LoadArgs& a) {
  char buf[160];
  if (a.rate && !(*a.rate > 0)) {
    std::snprintf(buf, sizeof buf, "--rate must be a positive number of requests/s, got %g", *a.rate);
    return buf;
  }
  if (a.requests && *a.requests <= 0) {
    std::snprintf(buf, sizeof buf, "--requests must be at least 1, got %lld (leave it out to run for --duration)",
                  static_cast<long long>(*a.requests));
    return buf;
  }
  if ((a.connections && *a.connections <= 0) || a.threads <= 0 || (a.objects && *a.objects <= 0))
    return "--objects, --connections and --threads must be positive";
  if (a.closed && a.rate) return "--rate is for the open loop; --closed sends as fast as answers come";
  return {};
}

// What the report says about the run: its configuration and what the driver saw.
loadgen::RunInfo runInfoOf(const loadgen::LoadPlan& plan, const loadgen::RunOutcome& run, std::string target,
                           double rate, std::string startedAt) {
  loadgen::RunInfo info;
  info.seed = plan.seed;
  info.mode = plan.closedLoop ? "closed" : "open";
  info.target = std::move(target);
  info.rate = plan.closedLoop ? 0 : rate;
  info.connections = plan.connections;
  info.threads = plan.threads;
  info.durationS = run.measuredS;
  info.warmupS = static_cast<double>(plan.warmupNs) / 1e9;
  info.latencyModel = plan.latencyModel;
  info.startedAt = std::move(startedAt);
  info.interrupted = run.interrupted;
  info.queueFull = run.queueFull;
  info.notSent = run.notSent;
  for (size_t i = 0; i < loadgen::kFailureCauseCount; ++i)
    if (run.failures[i]) info.errorCauses.emplace_back(loadgen::kFailureCauseNames[i], run.failures[i]);
  if (plan.durationNs > 0) info.config.requestedDurationS = static_cast<double>(plan.durationNs) / 1e9;
  info.config.requests = plan.requests;
  info.config.objects = plan.objects;
  if (plan.router) info.config.router = plan.router->host + ":" + std::to_string(plan.router->port);
  if (plan.origin) info.config.origin = plan.origin->host + ":" + std::to_string(plan.origin->port);
  for (const auto& r : plan.regions) info.config.regions.push_back({r.name, r.rate, r.share});
  for (const auto& p : plan.pops)
    info.config.pops.emplace_back(p.id, p.address.host + ":" + std::to_string(p.address.port));
  return info;
}

// 130 interrupted, 1 nothing measured or every request failed (saying why), else 0.
int exitCodeOf(const loadgen::RunOutcome& run) {
  const loadgen::Tally& total = run.results.total();
  if (run.interrupted) {
    std::fprintf(stderr, "cdnlab load: interrupted after %.1fs measured\n", run.measuredS);
    return 130;
  }
  if (total.requests == 0) {
    std::fputs("cdnlab load: no request was measured (the run ended before any answer came back)\n", stderr);
    return 1;
  }
  if (total.errors == total.requests) {
    std::fprintf(stderr, "cdnlab load: every one of the %llu measured requests failed (%s)\n",
                 static_cast<unsigned long long>(total.requests), failureSummary(run).c_str());
    return 1;
  }
  return 0;
}

int runLoad(const LoadArgs& a) {
  if (std::string why = usageError(a); !why.empty()) {
    std::fprintf(stderr, "cdnlab load: %s\n", why.c_str());
    return 2;
  }

  std::optional<geo::Topology> topo;
  std::string topoFile = a.topology;
  // Without a file (and without --target) the embedded default topology, as `cdnlab up` uses.
  const bool embedded = topoFile.empty() && a.target.empty();
  if (embedded || !topoFile.empty()) {
    auto t = embedded ? geo::loadTopologyString(bench::run::defaultTopologyYaml(), bench::run::kDefaultTopologyName)
                      : geo::loadTopologyFile(topoFile);
    if (!t) {
      std::fputs(config::formatErrors(t.errors()).c_str(), stderr);
      return 2;
    }
    topo = std::move(*t);
  }

  loadgen::LoadPlan plan;
  double rate = a.rate.value_or(topo ? topo->load.rate : 200.0);
  if (topo) {
    plan = loadgen::planFromTopology(*topo, rate);
    std::string catalogFile = topo->origin.catalogFile.empty() ? topoFile : topo->origin.catalogFile;
    if (!topo->origin.catalogFile.empty() && catalogFile.front() != '/') {
      size_t slash = topoFile.rfind('/');
      if (slash != std::string::npos) catalogFile = topoFile.substr(0, slash + 1) + catalogFile;
    }
    auto cat = embedded ? origin::catalog::loadCatalogConfigString(bench::run::defaultTopologyYaml(), bench::run::kDefaultTopologyName)
                        : origin::catalog::loadCatalogConfigFile(catalogFile);
    if (cat) plan.objects = cat->objects;
    // A mix draws its ids from one ranking as large as its largest class.
    for (auto& c : plan.mix) {
      if (c.objects == 0) c.objects = plan.objects;
      plan.objects = std::max<uint64_t>(plan.objects, c.objects);
    }
  } else {
    loadgen::RegionPlan only;
    only.name = "target";
    only.rate = rate;
    plan.regions.push_back(only);
    plan.durationNs = 30'000'000'000;
  }
  if (!a.target.empty()) {
    std::string path;
    auto e = loadgen::parseUrl(a.target, &path);
    if (!e.ok()) {
      std::fprintf(stderr, "cdnlab load: --target: %s\n", e.error().message.c_str());
      return 2;
    }
    plan.target = *e;
    plan.targetPath = path;
    plan.router.reset();
    // Which PoP the target stands for (the latency model's far end): --target-pop, else the
    // topology PoP at that address, else the first edge PoP.
    for (size_t i = 0; i < plan.pops.size(); ++i)
      if (plan.pops[i].id == a.targetPop ||
          (a.targetPop.empty() && plan.pops[i].address.host == e->host && plan.pops[i].address.port == e->port))
        plan.targetPop = static_cast<int>(i);
    if (plan.targetPop < 0 && !plan.pops.empty()) {
      if (!a.targetPop.empty()) {
        std::fprintf(stderr, "cdnlab load: --target-pop %s: no such edge PoP in the topology\n", a.targetPop.c_str());
        return 2;
      }
      plan.targetPop = 0;
    }
    if (!topo) plan.warmupNs = 0;
  }
  if (!a.origin.empty()) {
    auto e = loadgen::parseUrl(a.origin);
    if (!e.ok()) {
      std::fprintf(stderr, "cdnlab load: --origin: %s\n", e.error().message.c_str());
      return 2;
    }
    plan.origin = *e;
  } else if (!topo) {
    plan.origin.reset();
  }

  if (!a.duration.empty()) {
    auto d = durationNs(a.duration, "--duration");
    if (!d) return 2;
    if (*d <= 0) {
      std::fputs("cdnlab load: --duration must be longer than 0s\n", stderr);
      return 2;
    }
    plan.durationNs = *d;
  } else if (a.requests) {
    plan.durationNs = 0;  // bounded by the count alone
  }
  if (!a.warmup.empty()) {
    auto d = durationNs(a.warmup, "--warmup");
    if (!d) return 2;
    plan.warmupNs = *d;
  }
  plan.requests = static_cast<uint64_t>(a.requests.value_or(0));
  plan.closedLoop = a.closed;
  plan.connections = a.connections.value_or(a.closed ? 64 : 256);
  plan.threads = a.threads;
  if (a.noLatency) plan.latencyModel = false;
  if (a.objects) plan.objects = static_cast<uint64_t>(*a.objects);
  plan.perRegionRanking = a.perRegionRanking || (topo && topo->load.perRegionRanking);
  plan.seed = a.seed.value_or(std::random_device{}() | (uint64_t{std::random_device{}()} << 32));
  if (plan.requests == 0 && plan.durationNs <= 0) {
    std::fputs("cdnlab load: a run needs --duration or --requests\n", stderr);
    return 2;
  }
  if (plan.regions.empty()) {
    std::fputs("cdnlab load: the topology has no client regions\n", stderr);
    return 2;
  }
  if (a.check) return 0;

  // Is anything there? A run against nothing fails here, naming the address, not after 30 s.
  const loadgen::Endpoint& first = plan.target ? *plan.target : *plan.router;
  if (auto up = loadgen::probeTcp(first); !up.ok()) {
    std::string shown = a.topology.empty() ? std::string() : " " + a.topology;
    if (plan.target)
      std::fprintf(stderr, "cdnlab load: nothing answers at --target %s:%d (%s)\n", first.host.c_str(), first.port,
                   up.error().message.c_str());
    else
      std::fprintf(stderr,
                   "cdnlab load: nothing answers at the router %s:%d (%s); is the topology running? start it with "
                   "`cdnlab up --detach%s`\n",
                   first.host.c_str(), first.port, up.error().message.c_str(), shown.c_str());
    return 1;
  }

  // The topology's functions with provisioned concurrency start in the background after `up`:
  // a run sent before they are READY would measure throttles, not the system (AWS users wait
  // for READY too).
  if (topo && !plan.target && !bench::run::provisionedFunctions(*topo).empty()) {
    auto lastShown = std::chrono::steady_clock::time_point{};
    auto waited = bench::run::waitForProvisioned(*topo, std::chrono::seconds(60),
                                                 [&lastShown](const std::vector<bench::run::ProvisionedState>& s) {
      // Once a second at most: a state line per environment that comes up would flood.
      const auto now = std::chrono::steady_clock::now();
      if (now - lastShown < std::chrono::seconds(1)) return;
      if (std::all_of(s.begin(), s.end(), [](const auto& p) { return p.status == "READY"; })) return;
      lastShown = now;
      std::printf("  waiting for provisioned concurrency: %s\n", bench::run::describeProvisioned(s).c_str());
      std::fflush(stdout);
    });
    if (!waited.ok())
      std::fprintf(stderr, "cdnlab load: %s; starting anyway\n", waited.error().message.c_str());
    else if (lastShown != std::chrono::steady_clock::time_point{})
      std::printf("  provisioned concurrency ready after %lld ms\n", static_cast<long long>(waited->count()));
  }

  const double durationS = static_cast<double>(plan.durationNs) / 1e9;
  const double warmupS = static_cast<double>(plan.warmupNs) / 1e9;
  std::printf("cdnlab load: %s loop, %s, seed %llu, %zu region(s), %d thread(s), latency model %s\n",
              plan.closedLoop ? "closed" : "open",
              plan.target ? ("target " + a.target).c_str() : ("router " + plan.router->host + ":" + std::to_string(plan.router->port)).c_str(),
              static_cast<unsigned long long>(plan.seed), plan.regions.size(), plan.threads,
              plan.latencyModel ? "on" : "off");
  std::fflush(stdout);

  std::optional<loadgen::OriginCounters> before;
  std::optional<loadgen::TierSnapshot> tiersBefore;
  loadgen::TierSeriesScraper tiersDuring;
  auto onMeasureStart = [&] {
    // With a topology (not a lone --target), every component's counters at the start, then
    // every second while the run goes on (the per-tier series).
    if (topo && !plan.target) {
      tiersBefore = loadgen::scrapeTiers(*topo);
      tiersDuring.start(*topo);
    }
    if (!plan.origin) return;
    auto c = loadgen::scrapeOrigin(*plan.origin);
    if (c.ok()) before = *c;
    else std::fprintf(stderr, "cdnlab load: origin /metrics: %s (no offload figures)\n", c.error().message.c_str());
  };
  auto onSecond = [&](const loadgen::SecondSnapshot& s) {
    if (s.warmingUp) {
      std::printf("  warm-up %.0fs/%.0fs\n", s.elapsedS, warmupS);
    } else {
      double hit = s.requests ? static_cast<double>(s.hits) / static_cast<double>(s.requests) : 0.0;
      std::printf("%s\n", loadgen::progressLine(s.elapsedS, durationS, s.totalRequests, hit, s.p99Ms).c_str());
    }
    std::fflush(stdout);
  };

  const std::string startedAt = loadgen::utcTimestamp();
  catchInterrupt();
  loadgen::LoadDriver driver(plan);
  driver.setInterruptFlag(&gInterrupted);
  auto run = driver.run(onSecond, onMeasureStart);
  if (!run.ok()) {
    std::fprintf(stderr, "cdnlab load: %s\n", run.error().message.c_str());
    return 1;
  }

  loadgen::RunInfo info =
      runInfoOf(plan, *run, plan.target ? a.target : (embedded ? std::string(bench::run::kDefaultTopologyName) : topoFile),
                rate, startedAt);
  if (before && plan.origin) {
    auto after = loadgen::scrapeOrigin(*plan.origin);
    if (after.ok()) {
      loadgen::Offload o;
      o.originRequests = after->requests - before->requests;
      o.originBytes = after->bodyBytes - before->bodyBytes;
      o.clientRequests = run->results.total().requests - run->results.total().errors;
      o.clientBytes = run->results.total().bytes;
      info.offload = o;
    }
  }
  std::string tiersText;
  if (tiersBefore) {
    std::vector<loadgen::TierSnapshot> during = tiersDuring.stop();
    loadgen::TierSnapshot tiersAfter = loadgen::scrapeTiers(*topo);
    tiersAfter.atS = tiersDuring.elapsedS();
    info.tiersJson = loadgen::tiersJson(*tiersBefore, tiersAfter, *topo, during);
    tiersText = loadgen::tiersTable(*tiersBefore, tiersAfter, *topo);
  }
  std::fputs(loadgen::renderTables(run->results, info).c_str(), stdout);
  std::fputs(tiersText.c_str(), stdout);
  if (run->reroutes) std::printf("  re-routed after a PoP failure: %llu time(s)\n", static_cast<unsigned long long>(run->reroutes));
  std::fflush(stdout);
  if (!a.json.empty()) {
    std::ofstream f(a.json);
    f << loadgen::renderJson(run->results, info);
    if (!f) {
      std::fprintf(stderr, "cdnlab load: cannot write %s\n", a.json.c_str());
      return 1;
    }
  }
  return exitCodeOf(*run);
}

CDNLAB_COMMAND("load", "Drive traffic at a running topology (or one --target URL) and report hit ratio and latency",
               [](CLI::App& sub) {
  auto a = std::make_shared<LoadArgs>();
  sub.add_option("topology", a->topology, "Topology YAML (default: the embedded shop, configs/shop.yaml unless --target)");
  sub.add_option("--rate", a->rate, "Open loop: requests/s over all regions (default: the topology's load.rate)");
  sub.add_option("--duration", a->duration, "Measured time, e.g. 30s (default: the topology's load.duration)");
  sub.add_option("--warmup", a->warmup, "Warm-up before measuring, excluded from results (default: load.warmup)");
  sub.add_option("--requests", a->requests, "Stop after this many measured requests");
  sub.add_option("--connections", a->connections,
                 "Closed loop: connections in all (default 64); open loop: most per region and thread (default 256)");
  sub.add_flag("--closed", a->closed, "Closed loop: each connection sends its next request when the last is answered");
  sub.add_option("--threads", a->threads, "Worker threads, one libuv loop each")->capture_default_str();
  sub.add_option("--json", a->json, "Write every result, with the per-second series, to this JSON file");
  sub.add_flag("--no-latency", a->noLatency, "Turn the distance latency model off (raw speed)");
  sub.add_option("--seed", a->seed, "Random seed (printed; default: a fresh one)");
  sub.add_option("--target", a->target, "One URL instead of the router: http://host:port[/path] (path: always that path)");
  sub.add_option("--target-pop", a->targetPop, "The topology PoP the --target stands for (for the latency model)");
  sub.add_option("--origin", a->origin, "Origin URL whose /metrics gives offload (default: the topology's origin)");
  sub.add_option("--objects", a->objects, "Catalog size to draw from (default: the topology's catalog)");
  sub.add_flag("--per-region-ranking", a->perRegionRanking, "Give each region its own popularity order");
  sub.add_flag("--check", a->check, "Only check the flags and the topology (exit 0 or 2); send nothing");
  return std::function<int()>([a] { return runLoad(*a); });
});

}  // namespace
}  // namespace cdnlab::cli

// `cdnlab sim --trace FILE [--format F] --policy lru,s3fifo --size 0.01,0.1 [--mode obj|byte]
// [--out results.csv|.json] [--mrc curve.svg]` replays a trace through the eviction policies;
// `cdnlab sim gen zipf --objects 1M --alpha 1.0 --requests 10M --size 1KiB..128KiB --out F`
// writes a synthetic oracleGeneral trace. All logic lives in bench/sim; this file maps flags.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include "bench/sim/cache_size.h"
#include "bench/sim/catalog_workload.h"
#include "bench/sim/sim_report.h"
#include "bench/sim/simulator.h"
#include "bench/sim/topology_replay.h"
#include "bench/sim/trace_reader.h"
#include "bench/sim/zipf_trace.h"
#include "cli/command.h"
#include "common/config/units.h"
#include "edge/cache/policy.h"
#include "geo/topology.h"
#include "origin/catalog/catalog_config.h"

namespace cdnlab::cli {
namespace {

struct SimArgs {
  std::string trace, format, policy = "lru", size = "0.001,0.01,0.1", mode = "obj", out, mrc;
  int csvTime = 0, csvId = 0, csvSize = 0;
  std::string csvDelimiter = ",";
  bool csvHeader = false, listPolicies = false, noProgress = false;
  int threads = 1, mrcPoints = 16;
  uint64_t limit = 0;
  // --topology: the whole CDN; without --trace a synthetic workload: `cdnlab load`'s over the
  // topology's catalog (sizes and TTLs from the catalog), or Zipf with log-uniform sizes.
  std::string topology, workload = "catalog", requests = "1M", objects, objectSize = "1KiB..128KiB";
  double alpha = -1;  // < 0: the topology's load.zipf_alpha
  std::optional<double> rate;  // unset: the topology's load.rate (catalog workload); traces use their own clock
  std::string keep = "10m";
  uint64_t seed = 1;
};

struct GenArgs {
  std::string objects = "1M", requests = "10M", size = "1KiB..128KiB", out;
  double alpha = 1.0;
  uint64_t seed = 1;
};

int fail(const std::string& why) {
  std::fprintf(stderr, "cdnlab sim: %s\n", why.c_str());
  return 2;
}

// "10M", "1M", "500k", "1000" (decimal multipliers).
std::optional<uint64_t> parseCount(const std::string& s) {
  if (s.empty()) return std::nullopt;
  uint64_t mult = 1;
  std::string n = s;
  switch (n.back()) {
    case 'k': case 'K': mult = 1000; n.pop_back(); break;
    case 'm': case 'M': mult = 1000000; n.pop_back(); break;
    case 'g': case 'G': mult = 1000000000; n.pop_back(); break;
    default: break;
  }
  char* end = nullptr;
  double v = std::strtod(n.c_str(), &end);
  if (n.empty() || *end || !(v > 0) || v * double(mult) > 1e15) return std::nullopt;
  return uint64_t(std::llround(v * double(mult)));
}

// "lru,s3fifo:small=0.2,ghost=0.5,sieve": a comma-separated item with '=' but no ':' continues
// the previous policy's parameters.
std::vector<std::string> splitPolicies(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t c = text.find(',', pos);
    std::string item = text.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
    if (!out.empty() && item.find('=') != std::string::npos && item.find(':') == std::string::npos)
      out.back() += "," + item;
    else if (!item.empty())
      out.push_back(item);
    if (c == std::string::npos) break;
    pos = c + 1;
  }
  return out;
}

void listPolicies() {
  std::printf("%-12s %-8s %s\n", "policy", "where", "what (parameters)");
  for (const auto& p : edge::cache::policies())
    std::printf("%-12s %-8s %s%s%s\n", std::string(p.name).c_str(), p.offline ? "sim" : "live+sim",
                std::string(p.summary).c_str(), p.params.empty() ? "" : "; ", std::string(p.params).c_str());
}

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream o(path, std::ios::binary | std::ios::trunc);
  o << text;
  return bool(o);
}

Result<sim::TraceFormat> traceFormat(const SimArgs& a);
std::optional<std::pair<uint32_t, uint32_t>> parseSizeRange(const std::string& text);

// `cdnlab sim --topology FILE [--trace T | --requests N --objects M --alpha A]`.
int runTopology(const SimArgs& a) {
  auto topo = geo::loadTopologyFile(a.topology);
  if (!topo) {
    std::fputs(config::formatErrors(topo.errors()).c_str(), stderr);
    return 2;
  }
  sim::ReplayOptions options;
  options.seed = a.seed;
  if (a.rate && !(*a.rate > 0 && std::isfinite(*a.rate))) return fail("--rate: expected requests per second > 0");
  if (a.rate) options.rate = *a.rate;
  auto keep = config::parseDuration(a.keep);
  if (!keep) return fail("--keep: expected a duration such as 10m");
  options.keepS = std::chrono::duration_cast<std::chrono::seconds>(*keep).count();
  sim::Trace trace;
  auto t0 = std::chrono::steady_clock::now();
  if (!a.trace.empty()) {
    auto f = traceFormat(a);
    if (!f) return fail(f.error().message);
    auto t = sim::loadTrace(a.trace, *f, a.limit);
    if (!t) return fail(t.error().message);
    trace = std::move(*t);
  } else if (a.workload == "catalog") {
    // The catalog the topology's origin serves: its own `catalog:` section, or origin.catalog.
    std::string file = a.topology;
    if (!topo->origin.catalogFile.empty()) {
      file = topo->origin.catalogFile;
      size_t slash = a.topology.rfind('/');
      if (file.front() != '/' && slash != std::string::npos) file = a.topology.substr(0, slash + 1) + file;
    }
    auto cat = origin::catalog::loadCatalogConfigFile(file);
    if (!cat) {
      std::fputs(config::formatErrors(cat.errors()).c_str(), stderr);
      return fail("--workload catalog needs the topology's catalog (" + file + "); or give --workload zipf");
    }
    sim::CatalogWorkloadSpec w;
    auto requests = parseCount(a.requests);
    if (!requests || *requests > UINT32_MAX - 2) return fail("--requests: expected a count such as 10M");
    w.requests = *requests;
    if (!a.objects.empty()) {
      auto objects = parseCount(a.objects);
      if (!objects) return fail("--objects: expected a count such as 10000");
      w.objects = *objects;
    }
    w.alpha = a.alpha >= 0 ? a.alpha : topo->load.zipfAlpha;
    w.rate = a.rate ? *a.rate : topo->load.rate;
    w.seed = a.seed;
    auto t = sim::catalogWorkload(*cat, w);
    if (!t) return fail(t.error().message);
    trace = std::move(*t);
    options.rate = w.rate;
  } else if (a.workload == "zipf") {
    sim::ZipfTraceSpec z;
    auto requests = parseCount(a.requests);
    auto objects = parseCount(a.objects.empty() ? "10000" : a.objects);
    auto sizes = parseSizeRange(a.objectSize);
    if (!requests || *requests > UINT32_MAX - 2) return fail("--requests: expected a count such as 10M");
    if (!objects || *objects > UINT32_MAX) return fail("--objects: expected a count such as 10000");
    if (!sizes) return fail("--object-size: expected SIZE or MIN..MAX, e.g. 1KiB..128KiB");
    z.requests = *requests;
    z.objects = *objects;
    z.alpha = a.alpha >= 0 ? a.alpha : topo->load.zipfAlpha;
    z.seed = a.seed;
    z.minSize = sizes->first;
    z.maxSize = sizes->second;
    sim::TraceFormat f;
    f.kind = sim::TraceKind::OracleGeneral;
    auto t = sim::parseTrace(sim::zipfTraceBytes(z), "synthetic zipf", f);
    if (!t) return fail(t.error().message);
    trace = std::move(*t);
  } else {
    return fail("--workload: expected catalog or zipf, not '" + a.workload + "'");
  }
  double loadS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "loaded %zu requests, %llu objects in %.2f s\n", trace.requests.size(),
               (unsigned long long)trace.objects(), loadS);
  if (trace.requests.empty()) return fail("no requests to replay");
  auto r = sim::replayTopology(*topo, trace, options);
  if (!r) return fail(r.error().message);
  std::printf("topology %s: %zu PoPs, %zu regions, router %s, latency model %s\n", a.topology.c_str(),
              topo->pops.size(), topo->regions.size(), geo::strategyName(topo->router.strategy),
              topo->latencyEnabled ? "on" : "off");
  std::fputs(sim::formatReplay(*r).c_str(), stdout);
  return 0;
}

Result<sim::TraceFormat> traceFormat(const SimArgs& a) {
  sim::TraceFormat f;
  auto kind = a.format.empty() ? sim::guessTraceKind(a.trace) : sim::parseTraceKind(a.format);
  if (!kind) return kind.error();
  f.kind = *kind;
  if (f.kind == sim::TraceKind::CdnLog) {
    f.timeCol = 1, f.idCol = 2, f.sizeCol = 3, f.ttlCol = 4;
  }
  if (a.csvTime) f.timeCol = a.csvTime;
  if (a.csvId) f.idCol = a.csvId;
  if (a.csvSize) f.sizeCol = a.csvSize;
  if (a.csvDelimiter.size() != 1 && a.csvDelimiter != "\\t") return Error{0, "--csv-delimiter must be one character"};
  f.delimiter = a.csvDelimiter == "\\t" ? '\t' : a.csvDelimiter[0];
  f.header = a.csvHeader;
  return f;
}

// "1KiB..128KiB" or "4KiB" -> (min, max) in bytes.
std::optional<std::pair<uint32_t, uint32_t>> parseSizeRange(const std::string& text) {
  size_t dots = text.find("..");
  auto lo = config::parseByteSize(text.substr(0, dots));
  auto hi = dots == std::string::npos ? lo : config::parseByteSize(text.substr(dots + 2));
  if (!lo || !hi || *lo == 0 || *hi < *lo || *hi > UINT32_MAX) return std::nullopt;
  return std::pair{uint32_t(*lo), uint32_t(*hi)};
}

int runSim(const SimArgs& a) {
  if (a.listPolicies) {
    listPolicies();
    return 0;
  }
  if (!a.topology.empty()) return runTopology(a);
  if (a.trace.empty()) return fail("--trace is required (or --topology, or: cdnlab sim gen zipf ...)");
  auto fmt = traceFormat(a);
  if (!fmt) return fail(fmt.error().message);
  const sim::TraceFormat& f = *fmt;

  sim::SizeMode mode;
  if (a.mode == "obj") mode = sim::SizeMode::Objects;
  else if (a.mode == "byte") mode = sim::SizeMode::Bytes;
  else return fail("--mode must be obj or byte");

  std::vector<std::string> specs = splitPolicies(a.policy);
  if (specs.empty()) return fail("--policy: no policy given");
  for (const auto& s : specs)
    if (auto ok = edge::cache::checkPolicySpec(s, /*online=*/false); !ok) return fail(ok.error().message);

  auto t0 = std::chrono::steady_clock::now();
  auto trace = sim::loadTrace(a.trace, f, a.limit);
  if (!trace) return fail(trace.error().message);
  double loadS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "loaded %zu requests, %llu objects in %.2f s\n", trace->requests.size(),
               (unsigned long long)trace->objects(), loadS);
  if (trace->requests.empty()) return fail(a.trace + ": no requests");

  std::vector<sim::SizeSpec> sizes;
  if (!a.mrc.empty()) {
    sizes = sim::logSweep(0.0005, 1.0, std::max(2, a.mrcPoints));
  } else {
    auto parsed = sim::parseSizeList(a.size);
    if (!parsed) return fail(parsed.error().message);
    sizes = *parsed;
  }
  std::vector<sim::SimJob> jobs;
  for (const auto& p : specs)
    for (const auto& s : sizes) {
      auto cap = sim::resolveSize(s, *trace, mode);
      if (!cap) {
        if (!a.mrc.empty()) continue;  // sweep points below one object
        return fail(cap.error().message);
      }
      jobs.push_back(sim::SimJob{p, *cap, mode, s.label});
    }

  std::atomic<uint64_t> done{0};
  const uint64_t total = uint64_t(jobs.size()) * trace->requests.size();
  std::atomic<bool> finished{false};
  std::thread bar;
  if (!a.noProgress && isatty(STDERR_FILENO) && total > 20'000'000) {
    bar = std::thread([&] {
      auto start = std::chrono::steady_clock::now();
      while (!finished.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        double frac = double(done.load()) / double(total);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        int w = int(frac * 40);
        std::fprintf(stderr, "\r[%s%s] %5.1f%% %6.1f Mreq/s", std::string(size_t(w), '#').c_str(),
                     std::string(size_t(40 - w), ' ').c_str(), frac * 100, s > 0 ? double(done.load()) / s / 1e6 : 0.0);
      }
      std::fprintf(stderr, "\r%60s\r", "");
    });
  }
  auto results = sim::runMany(*trace, jobs, a.threads, &done);
  finished = true;
  if (bar.joinable()) bar.join();
  std::vector<sim::SimResult> rows;
  for (auto& r : results) {
    if (!r) return fail(r.error().message);
    rows.push_back(*r);
  }
  std::fputs(sim::formatTable(*trace, rows).c_str(), stdout);
  if (!a.out.empty()) {
    std::string text = a.out.ends_with(".json") ? sim::formatJson(*trace, rows) : sim::formatCsv(rows);
    if (!writeFile(a.out, text)) return fail(a.out + ": cannot write");
  }
  if (!a.mrc.empty()) {
    std::string svg = a.mrc.ends_with(".svg") ? a.mrc : a.mrc + ".svg";
    std::string csv = svg.substr(0, svg.size() - 4) + ".csv";
    if (!writeFile(svg, sim::formatMrcSvg(*trace, rows)) || !writeFile(csv, sim::formatCsv(rows)))
      return fail(svg + ": cannot write");
    std::fprintf(stderr, "miss-ratio curve: %s (data: %s)\n", svg.c_str(), csv.c_str());
  }
  return 0;
}

int runGenZipf(const GenArgs& g) {
  sim::ZipfTraceSpec s;
  auto objects = parseCount(g.objects);
  auto requests = parseCount(g.requests);
  if (!objects || *objects > UINT32_MAX) return fail("--objects: expected a count such as 1M");
  if (!requests || *requests > UINT32_MAX - 2) return fail("--requests: expected a count such as 10M");
  s.objects = *objects;
  s.requests = *requests;
  s.alpha = g.alpha;
  s.seed = g.seed;
  size_t dots = g.size.find("..");
  auto lo = config::parseByteSize(g.size.substr(0, dots));
  auto hi = dots == std::string::npos ? lo : config::parseByteSize(g.size.substr(dots + 2));
  if (!lo || !hi || *lo == 0 || *hi < *lo || *hi > UINT32_MAX)
    return fail("--size: expected SIZE or MIN..MAX, e.g. 1KiB..128KiB");
  s.minSize = uint32_t(*lo);
  s.maxSize = uint32_t(*hi);
  if (g.out.empty()) return fail("gen zipf: --out FILE is required");
  auto n = sim::writeZipfTrace(s, g.out);
  if (!n) return fail(n.error().message);
  std::fprintf(stderr, "wrote %llu requests over %llu objects (Zipf alpha %.2f) to %s\n", (unsigned long long)*n,
               (unsigned long long)s.objects, s.alpha, g.out.c_str());
  return 0;
}

CDNLAB_COMMAND("sim", "Replay a cache trace through eviction policies (miss ratios, miss-ratio curves)", [](CLI::App& sub) {
  auto a = std::make_shared<SimArgs>();
  auto g = std::make_shared<GenArgs>();
  sub.add_option("--trace", a->trace, "trace file (zstd-compressed files are read transparently)");
  sub.add_option("--format", a->format, "oracleGeneral, vscsi, csv, txt or cdnlog (default: from the file name)");
  sub.add_option("--policy", a->policy, "policies, comma separated, with parameters: lru,s3fifo:small=0.2")
      ->capture_default_str();
  sub.add_option("--size", a->size, "cache sizes: fractions of the working set (0.01), bytes (64MiB), objects (10000obj)")
      ->capture_default_str();
  sub.add_option("--mode", a->mode, "obj: every object counts 1; byte: objects count their size")->capture_default_str();
  sub.add_option("--out", a->out, "write the results as CSV (or JSON when the name ends in .json)");
  sub.add_option("--mrc", a->mrc, "sweep sizes from 0.05% to 100% of the working set; write an SVG plot and its CSV");
  sub.add_option("--mrc-points", a->mrcPoints, "sizes in the --mrc sweep")->capture_default_str();
  sub.add_option("--threads", a->threads, "run (policy, size) pairs on this many threads")->capture_default_str();
  sub.add_option("--limit", a->limit, "replay only the first N requests");
  sub.add_option("--csv-time", a->csvTime, "CSV: time column (1-based; 0 = none)");
  sub.add_option("--csv-id", a->csvId, "CSV: object id column (1-based)");
  sub.add_option("--csv-size", a->csvSize, "CSV: size column (1-based; 0 = none, every request size 1)");
  sub.add_option("--csv-delimiter", a->csvDelimiter, "CSV: delimiter (one character, \\t for tab)");
  sub.add_flag("--csv-header", a->csvHeader, "CSV: skip the first line");
  sub.add_flag("--list-policies", a->listPolicies, "print the policy registry and exit");
  sub.add_flag("--no-progress", a->noProgress, "no progress bar");
  sub.add_option("--topology", a->topology,
                 "replay through a whole topology (PoPs, shield, origin) in virtual time: per-PoP hit "
                 "ratios, offload, latency per region");
  sub.add_option("--workload", a->workload,
                 "--topology without --trace: catalog (what `cdnlab load` requests: the topology's catalog, "
                 "its sizes and TTLs) or zipf (log-uniform --object-size, no TTLs)")
      ->capture_default_str();
  sub.add_option("--requests", a->requests, "--topology without --trace: synthetic requests")
      ->capture_default_str();
  sub.add_option("--objects", a->objects,
                 "--topology without --trace: distinct objects (default: the catalog's; zipf: 10000)");
  sub.add_option("--rate", a->rate,
                 "--topology: requests per second of virtual time, for TTLs (default: the topology's load.rate "
                 "for the catalog workload; a trace's own clock otherwise)");
  sub.add_option("--keep", a->keep, "--topology: how long a stale entry is kept for revalidation (the PoP's --keep)")
      ->capture_default_str();
  sub.add_option("--alpha", a->alpha, "--topology without --trace: Zipf exponent (default: the topology's load.zipf_alpha)");
  sub.add_option("--object-size", a->objectSize, "--workload zipf: object size or MIN..MAX")
      ->capture_default_str();
  sub.add_option("--seed", a->seed, "--topology: seed of the region draws and the synthetic workload")
      ->capture_default_str();
  sub.require_subcommand(0, 1);  // `sim` runs by itself; `sim gen zipf` is the generator
  CLI::App* gen = sub.add_subcommand("gen", "Generate a synthetic trace");
  CLI::App* zipf = gen->add_subcommand("zipf", "Zipf popularity, oracleGeneral format");
  gen->require_subcommand(1);
  zipf->add_option("--objects", g->objects, "distinct objects (1M = one million)")->capture_default_str();
  zipf->add_option("--alpha", g->alpha, "Zipf exponent (0 = uniform)")->capture_default_str();
  zipf->add_option("--requests", g->requests, "requests (10M = ten million)")->capture_default_str();
  zipf->add_option("--size", g->size, "object size or MIN..MAX (log-uniform per object)")->capture_default_str();
  zipf->add_option("--seed", g->seed, "random seed (same seed, same file)")->capture_default_str();
  zipf->add_option("--out", g->out, "output file (.zst: zstd-compressed)")->required();
  return std::function<int()>([a, g, gen, zipf] {
    if (gen->parsed()) return zipf->parsed() ? runGenZipf(*g) : fail("gen: say which generator (zipf)");
    return runSim(*a);
  });
});

}  // namespace
}  // namespace cdnlab::cli

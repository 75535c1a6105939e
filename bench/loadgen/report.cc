// Tables and JSON of a load run (see report.h).
#include "bench/loadgen/report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ctime>

namespace cdnlab::loadgen {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

double ms(uint64_t us) { return static_cast<double>(us) / 1000.0; }

std::string fmt(const char* f, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

// "-" for what was not measured.
std::string pct(std::optional<double> v) { return v ? fmt("%7.1f%%", 100 * *v) : fmt("%8s", "-"); }
std::string msCell(const Histogram& h, double p) {
  return h.count() ? fmt(" %9.2f", ms(h.percentile(p))) : fmt(" %9s", "-");
}

std::string row(const std::string& name, const Tally& t) {
  const Histogram& h = t.latencyUs;
  return fmt("  %-14s %9llu ", name.c_str(), static_cast<unsigned long long>(t.requests)) + pct(t.hitRatio()) + " " +
         pct(t.byteHitRatio()) + msCell(h, 50) + msCell(h, 90) + msCell(h, 99) + msCell(h, 99.9) +
         fmt(" %7llu\n", static_cast<unsigned long long>(t.errors));
}

std::string header(const char* what) {
  return fmt("  %-14s %9s %8s %8s %9s %9s %9s %9s %7s\n", what, "requests", "hit", "byte-hit", "p50 ms", "p90 ms",
             "p99 ms", "p99.9 ms", "errors");
}

// The outcome columns shown: the ones any request had.
std::vector<size_t> seenOutcomes(const Tally& total) {
  std::vector<size_t> out;
  for (size_t i = 0; i < kOutcomeCount; ++i)
    if (total.byOutcome[i]) out.push_back(i);
  return out;
}

std::string outcomeHeader(const char* what, const std::vector<size_t>& cols) {
  std::string s = fmt("  %-14s", what);
  for (size_t i : cols) s += fmt(" %11s", std::string(kOutcomeNames[i]).c_str());
  return s + "\n";
}

std::string outcomeRow(const std::string& name, const Tally& t, const std::vector<size_t>& cols) {
  std::string s = fmt("  %-14s", name.c_str());
  for (size_t i : cols) s += fmt(" %11llu", static_cast<unsigned long long>(t.byOutcome[i]));
  return s + "\n";
}

constexpr double kLatencyPercentiles[] = {10, 25, 50, 90, 99};

std::string latencyByOutcome(const std::string& name, const Tally& t) {
  std::string s;
  for (size_t i = 0; i < kOutcomeCount; ++i) {
    const Histogram& h = t.outcomeLatencyUs[i];
    if (!h.count()) continue;
    s += fmt("  %-14s %-11s %9llu %9.2f", name.c_str(), std::string(kOutcomeNames[i]).c_str(),
             static_cast<unsigned long long>(h.count()), ms(h.min()));
    for (double p : kLatencyPercentiles) s += msCell(h, p);
    s += "\n";
  }
  return s;
}

void writeLatency(JsonWriter& w, const Histogram& h) {
  w.StartObject();
  w.Key("min"); w.Double(ms(h.min()));
  for (double p : {1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9}) {
    std::string k = fmt("p%g", p);
    w.Key(k.c_str());
    w.Double(ms(h.percentile(p)));
  }
  w.Key("mean"); w.Double(h.mean() / 1000.0);
  w.Key("max"); w.Double(ms(h.max()));
  w.EndObject();
}

void writeOutcomes(JsonWriter& w, const std::array<uint64_t, kOutcomeCount>& by) {
  w.StartObject();
  for (size_t i = 0; i < kOutcomeCount; ++i) {
    w.Key(kOutcomeNames[i].data(), static_cast<rapidjson::SizeType>(kOutcomeNames[i].size()));
    w.Uint64(by[i]);
  }
  w.EndObject();
}

void writeTally(JsonWriter& w, const Tally& t, const std::vector<SecondPoint>* series = nullptr) {
  w.StartObject();
  w.Key("requests"); w.Uint64(t.requests);
  w.Key("hits"); w.Uint64(t.hits);
  w.Key("errors"); w.Uint64(t.errors);
  w.Key("bytes"); w.Uint64(t.bytes);
  w.Key("hit_bytes"); w.Uint64(t.hitBytes);
  if (auto r = t.hitRatio()) { w.Key("hit_ratio"); w.Double(*r); }
  if (auto r = t.byteHitRatio()) { w.Key("byte_hit_ratio"); w.Double(*r); }
  w.Key("outcomes"); writeOutcomes(w, t.byOutcome);
  if (t.latencyUs.count()) {
    w.Key("latency_ms");
    writeLatency(w, t.latencyUs);
    w.Key("latency_ms_by_outcome");
    w.StartObject();
    for (size_t i = 0; i < kOutcomeCount; ++i) {
      if (!t.outcomeLatencyUs[i].count()) continue;
      w.Key(kOutcomeNames[i].data(), static_cast<rapidjson::SizeType>(kOutcomeNames[i].size()));
      writeLatency(w, t.outcomeLatencyUs[i]);
    }
    w.EndObject();
  }
  if (series) {
    w.Key("series");
    w.StartArray();
    for (size_t i = 0; i < series->size(); ++i) {
      const SecondPoint& p = (*series)[i];
      w.StartObject();
      w.Key("second"); w.Uint64(i);
      w.Key("requests"); w.Uint64(p.requests);
      w.Key("hits"); w.Uint64(p.hits);
      w.Key("errors"); w.Uint64(p.errors);
      w.Key("bytes"); w.Uint64(p.bytes);
      w.Key("outcomes"); writeOutcomes(w, p.byOutcome);
      if (p.requests > p.errors) {
        w.Key("mean_ms"); w.Double(ms(p.latencySumUs) / static_cast<double>(p.requests - p.errors));
        w.Key("max_ms"); w.Double(ms(p.latencyMaxUs));
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void writeConfig(JsonWriter& w, const RunInfo& info) {
  const RunConfig& c = info.config;
  w.StartObject();
  if (c.requestedDurationS) { w.Key("duration_s"); w.Double(*c.requestedDurationS); }
  if (c.requests) { w.Key("requests"); w.Uint64(c.requests); }
  w.Key("warmup_s"); w.Double(info.warmupS);
  if (info.mode == "open") { w.Key("rate"); w.Double(info.rate); }
  w.Key("connections"); w.Int(info.connections);
  w.Key("threads"); w.Int(info.threads);
  w.Key("objects"); w.Uint64(c.objects);
  w.Key("latency_model"); w.Bool(info.latencyModel);
  if (!c.router.empty()) { w.Key("router"); w.String(c.router.c_str()); }
  if (!c.origin.empty()) { w.Key("origin"); w.String(c.origin.c_str()); }
  w.Key("regions");
  w.StartArray();
  for (const auto& r : c.regions) {
    w.StartObject();
    w.Key("name"); w.String(r.name.c_str());
    if (info.mode == "open") { w.Key("rate"); w.Double(r.rate); }
    w.Key("share"); w.Double(r.share);
    w.EndObject();
  }
  w.EndArray();
  w.Key("pops");
  w.StartArray();
  for (const auto& [id, addr] : c.pops) {
    w.StartObject();
    w.Key("id"); w.String(id.c_str());
    w.Key("address"); w.String(addr.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string utcTimestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string progressLine(double elapsedS, double totalS, uint64_t requests, double hitRatio, double p99Ms) {
  return fmt("  %.0fs/%.0fs  requests %llu  hit %.1f%%  p99 %.1fms", elapsedS, totalS,
             static_cast<unsigned long long>(requests), 100 * hitRatio, p99Ms);
}

std::string renderTables(const Results& r, const RunInfo& info) {
  std::string out;
  if (info.interrupted)
    out += r.total().requests ? "\ninterrupted: the tables show what was measured until then\n"
                              : "\ninterrupted before anything was measured (still warming up?)\n";
  out += fmt("\n%s loop, %.1fs measured after %.1fs warm-up, seed %llu, latency model %s\n", info.mode.c_str(),
             info.durationS, info.warmupS, static_cast<unsigned long long>(info.seed), info.latencyModel ? "on" : "off");
  out += "\nper PoP (hit = Hit or Stale; Revalidated, Miss, Collapsed are not hits)\n" + header("pop");
  for (const auto& p : r.pops()) out += row(p.name, p.tally);
  if (r.shield().requests) out += row("shield tier", r.shield());
  if (!r.regions().empty()) {
    out += "\nper client region\n" + header("region");
    for (const auto& g : r.regions()) out += row(g.name, g.tally);
  }
  out += "\n" + header("") + row("all", r.total());

  std::vector<size_t> cols = seenOutcomes(r.total());
  if (!cols.empty()) {
    out += "\nrequests by outcome (client-facing PoP; the shield tier row: the shield's outcome)\n" +
           outcomeHeader("", cols);
    for (const auto& p : r.pops()) out += outcomeRow(p.name, p.tally, cols);
    if (r.shield().requests) out += outcomeRow("shield tier", r.shield(), cols);
    out += outcomeRow("all", r.total(), cols);
  }
  if (r.total().latencyUs.count()) {
    out += fmt("\nlatency by outcome per client region (ms)\n  %-14s %-11s %9s %9s %9s %9s %9s %9s %9s\n", "region",
               "outcome", "requests", "min", "p10", "p25", "p50", "p90", "p99");
    for (const auto& g : r.regions()) out += latencyByOutcome(g.name, g.tally);
    if (r.shield().requests) out += latencyByOutcome("shield tier", r.shield());
  }

  out += fmt("\n  throughput %.1f requests/s over %.1fs measured",
             info.durationS > 0 ? static_cast<double>(r.total().requests) / info.durationS : 0.0, info.durationS);
  out += "\n";
  if (info.queueFull)
    out += fmt("  %llu arrivals dropped: the client's queue was full\n", static_cast<unsigned long long>(info.queueFull));
  if (info.notSent)
    out += fmt("  %llu arrivals never sent: no connection was free before the run ended\n",
               static_cast<unsigned long long>(info.notSent));
  if (!info.errorCauses.empty()) {
    out += "  errors:";
    bool first = true;
    for (const auto& [cause, n] : info.errorCauses) {
      out += fmt("%s %llu %s", first ? "" : ",", static_cast<unsigned long long>(n), cause.c_str());
      first = false;
    }
    out += "\n";
  }
  if (info.offload) {
    const Offload& o = *info.offload;
    out += fmt("  origin offload: requests %.1f%% (origin %.0f of %llu client requests), bytes %.1f%% (origin %.0f of %llu)\n",
               100 * o.requestOffload(), o.originRequests, static_cast<unsigned long long>(o.clientRequests),
               100 * o.byteOffload(), o.originBytes, static_cast<unsigned long long>(o.clientBytes));
  }
  return out;
}

std::string renderJson(const Results& r, const RunInfo& info) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("run");
  w.StartObject();
  if (!info.startedAt.empty()) { w.Key("started_at"); w.String(info.startedAt.c_str()); }
  w.Key("seed"); w.Uint64(info.seed);
  w.Key("mode"); w.String(info.mode.c_str());
  w.Key("target"); w.String(info.target.c_str());
  if (info.mode == "open") { w.Key("rate"); w.Double(info.rate); }
  w.Key("connections"); w.Int(info.connections);
  w.Key("threads"); w.Int(info.threads);
  w.Key("duration_s"); w.Double(info.durationS);
  w.Key("warmup_s"); w.Double(info.warmupS);
  w.Key("latency_model"); w.Bool(info.latencyModel);
  w.Key("interrupted"); w.Bool(info.interrupted);
  w.Key("dropped_queue_full"); w.Uint64(info.queueFull);
  w.Key("not_sent"); w.Uint64(info.notSent);
  w.Key("config"); writeConfig(w, info);
  w.EndObject();
  w.Key("errors");
  w.StartObject();
  for (const auto& [cause, n] : info.errorCauses) {
    w.Key(cause.c_str());
    w.Uint64(n);
  }
  w.EndObject();
  w.Key("total"); writeTally(w, r.total());
  w.Key("shield"); writeTally(w, r.shield());
  w.Key("pops");
  w.StartObject();
  for (const auto& p : r.pops()) {
    w.Key(p.name.c_str());
    writeTally(w, p.tally, &p.series);
  }
  w.EndObject();
  w.Key("regions");
  w.StartObject();
  for (const auto& g : r.regions()) {
    w.Key(g.name.c_str());
    writeTally(w, g.tally, &g.series);
  }
  w.EndObject();
  if (info.offload) {
    const Offload& o = *info.offload;
    w.Key("offload");
    w.StartObject();
    w.Key("origin_requests"); w.Double(o.originRequests);
    w.Key("origin_bytes"); w.Double(o.originBytes);
    w.Key("client_requests"); w.Uint64(o.clientRequests);
    w.Key("client_bytes"); w.Uint64(o.clientBytes);
    if (o.clientRequests) { w.Key("request_offload"); w.Double(o.requestOffload()); }
    if (o.clientBytes) { w.Key("byte_offload"); w.Double(o.byteOffload()); }
    w.EndObject();
  }
  if (!info.tiersJson.empty()) {
    w.Key("tiers");
    w.RawValue(info.tiersJson.c_str(), info.tiersJson.size(), rapidjson::kObjectType);
  }
  w.Key("series");
  w.StartArray();
  for (size_t i = 0; i < r.series().size(); ++i) {
    const SecondPoint& t = r.series()[i].counts;
    const Histogram& h = r.series()[i].latencyUs;
    w.StartObject();
    w.Key("second"); w.Uint64(i);
    w.Key("requests"); w.Uint64(t.requests);
    w.Key("hits"); w.Uint64(t.hits);
    w.Key("errors"); w.Uint64(t.errors);
    w.Key("outcomes"); writeOutcomes(w, t.byOutcome);
    if (t.requests) { w.Key("hit_ratio"); w.Double(static_cast<double>(t.hits) / static_cast<double>(t.requests)); }
    if (h.count()) {
      w.Key("p50_ms"); w.Double(ms(h.percentile(50)));
      w.Key("p99_ms"); w.Double(ms(h.percentile(99)));
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize()) + "\n";
}

}  // namespace cdnlab::loadgen

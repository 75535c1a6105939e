#include "bench/loadgen/report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

namespace cdnlab::loadgen {

namespace {

double ms(uint64_t us) { return static_cast<double>(us) / 1000.0; }

std::string fmt(const char* f, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

std::string row(const std::string& name, const Tally& t) {
  const Histogram& h = t.latencyUs;
  return fmt("  %-14s %9llu %7.1f%% %7.1f%% %9.2f %9.2f %9.2f %9.2f %7llu\n", name.c_str(),
             static_cast<unsigned long long>(t.requests), 100 * t.hitRatio(), 100 * t.byteHitRatio(),
             ms(h.percentile(50)), ms(h.percentile(90)), ms(h.percentile(99)), ms(h.percentile(99.9)),
             static_cast<unsigned long long>(t.errors));
}

std::string header(const char* what) {
  return fmt("  %-14s %9s %8s %8s %9s %9s %9s %9s %7s\n", what, "requests", "hit", "byte-hit", "p50 ms", "p90 ms",
             "p99 ms", "p99.9 ms", "errors");
}

void writeTally(rapidjson::Writer<rapidjson::StringBuffer>& w, const Tally& t) {
  const Histogram& h = t.latencyUs;
  w.StartObject();
  w.Key("requests"); w.Uint64(t.requests);
  w.Key("hits"); w.Uint64(t.hits);
  w.Key("errors"); w.Uint64(t.errors);
  w.Key("bytes"); w.Uint64(t.bytes);
  w.Key("hit_bytes"); w.Uint64(t.hitBytes);
  w.Key("hit_ratio"); w.Double(t.hitRatio());
  w.Key("byte_hit_ratio"); w.Double(t.byteHitRatio());
  w.Key("latency_ms");
  w.StartObject();
  w.Key("p50"); w.Double(ms(h.percentile(50)));
  w.Key("p90"); w.Double(ms(h.percentile(90)));
  w.Key("p99"); w.Double(ms(h.percentile(99)));
  w.Key("p99.9"); w.Double(ms(h.percentile(99.9)));
  w.Key("mean"); w.Double(h.mean() / 1000.0);
  w.Key("max"); w.Double(ms(h.max()));
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string progressLine(double elapsedS, double totalS, uint64_t requests, double hitRatio, double p99Ms) {
  return fmt("  %.0fs/%.0fs  requests %llu  hit %.1f%%  p99 %.1fms", elapsedS, totalS,
             static_cast<unsigned long long>(requests), 100 * hitRatio, p99Ms);
}

std::string renderTables(const Results& r, const RunInfo& info) {
  std::string out;
  out += fmt("\n%s loop, %.1fs measured after %.1fs warm-up, seed %llu, latency model %s\n", info.mode.c_str(),
             info.durationS, info.warmupS, static_cast<unsigned long long>(info.seed), info.latencyModel ? "on" : "off");
  out += "\nper PoP\n" + header("pop");
  for (const auto& p : r.pops()) out += row(p.name, p.tally);
  if (!r.regions().empty()) {
    out += "\nper client region\n" + header("region");
    for (const auto& g : r.regions()) out += row(g.name, g.tally);
  }
  out += "\n" + header("") + row("all", r.total());
  double secs = info.durationS > 0 ? info.durationS : 1;
  out += fmt("\n  throughput %.1f requests/s", static_cast<double>(r.total().requests) / secs);
  if (info.dropped) out += fmt(", %llu arrivals dropped (queue full)", static_cast<unsigned long long>(info.dropped));
  out += "\n";
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
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("run");
  w.StartObject();
  w.Key("seed"); w.Uint64(info.seed);
  w.Key("mode"); w.String(info.mode.c_str());
  w.Key("target"); w.String(info.target.c_str());
  w.Key("rate"); w.Double(info.rate);
  w.Key("connections"); w.Int(info.connections);
  w.Key("threads"); w.Int(info.threads);
  w.Key("duration_s"); w.Double(info.durationS);
  w.Key("warmup_s"); w.Double(info.warmupS);
  w.Key("latency_model"); w.Bool(info.latencyModel);
  w.Key("dropped"); w.Uint64(info.dropped);
  w.EndObject();
  w.Key("total"); writeTally(w, r.total());
  w.Key("pops");
  w.StartObject();
  for (const auto& p : r.pops()) {
    w.Key(p.name.c_str());
    writeTally(w, p.tally);
  }
  w.EndObject();
  w.Key("regions");
  w.StartObject();
  for (const auto& g : r.regions()) {
    w.Key(g.name.c_str());
    writeTally(w, g.tally);
  }
  w.EndObject();
  w.Key("offload");
  if (info.offload) {
    const Offload& o = *info.offload;
    w.StartObject();
    w.Key("origin_requests"); w.Double(o.originRequests);
    w.Key("origin_bytes"); w.Double(o.originBytes);
    w.Key("client_requests"); w.Uint64(o.clientRequests);
    w.Key("client_bytes"); w.Uint64(o.clientBytes);
    w.Key("request_offload"); w.Double(o.requestOffload());
    w.Key("byte_offload"); w.Double(o.byteOffload());
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("series");
  w.StartArray();
  for (size_t i = 0; i < r.series().size(); ++i) {
    const Tally& t = r.series()[i];
    w.StartObject();
    w.Key("second"); w.Uint64(i);
    w.Key("requests"); w.Uint64(t.requests);
    w.Key("hits"); w.Uint64(t.hits);
    w.Key("errors"); w.Uint64(t.errors);
    w.Key("hit_ratio"); w.Double(t.hitRatio());
    w.Key("p99_ms"); w.Double(ms(t.latencyUs.percentile(99)));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize()) + "\n";
}

}  // namespace cdnlab::loadgen

// Reading the load JSON back (see run_data.h). rapidjson's DOM, then one small reader per
// part of the document; every reader reports the JSON path of what it could not use.
#include "report/run_data.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace cdnlab::report {
namespace {

using Value = rapidjson::Value;

Error bad(const std::string& path, const std::string& what) { return Error{0, path + ": " + what}; }

std::optional<double> number(const Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  double v = it->value.GetDouble();
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::string text(const Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                       : std::string();
}

// {"min":..,"p1":..,..,"p99.9":..,"max":..} -> ascending (share, ms) points.
Percentiles readPercentiles(const Value& obj) {
  Percentiles p;
  if (auto v = number(obj, "min")) p.points.emplace_back(0.0, *v);
  for (auto& m : obj.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (key.size() < 2 || key[0] != 'p' || !m.value.IsNumber()) continue;
    char* end = nullptr;
    double pct = std::strtod(key.c_str() + 1, &end);
    if (*end != '\0' || !(pct > 0 && pct < 100)) continue;
    p.points.emplace_back(pct / 100.0, m.value.GetDouble());
  }
  if (auto v = number(obj, "max")) p.points.emplace_back(1.0, *v);
  std::sort(p.points.begin(), p.points.end());
  return p;
}

std::map<std::string, double> readCounts(const Value& obj) {
  std::map<std::string, double> out;
  for (auto& m : obj.GetObject())
    if (m.value.IsNumber()) out[std::string(m.name.GetString(), m.name.GetStringLength())] = m.value.GetDouble();
  return out;
}

Result<std::vector<SecondSample>> readSeries(const Value& arr, const std::string& path) {
  if (!arr.IsArray()) return bad(path, "not an array");
  std::vector<SecondSample> out;
  for (rapidjson::SizeType i = 0; i < arr.Size(); ++i) {
    const Value& s = arr[i];
    std::string at = path + "[" + std::to_string(i) + "]";
    if (!s.IsObject()) return bad(at, "not an object");
    SecondSample x;
    auto second = number(s, "second");
    if (!second) return bad(at, "no \"second\"");
    x.second = *second;
    x.requests = number(s, "requests").value_or(0);
    x.hits = number(s, "hits").value_or(0);
    x.errors = number(s, "errors").value_or(0);
    x.meanMs = number(s, "mean_ms");
    if (auto it = s.FindMember("outcomes"); it != s.MemberEnd() && it->value.IsObject()) x.outcomes = readCounts(it->value);
    out.push_back(std::move(x));
  }
  return out;
}

Result<Tally> readTally(const Value& obj, const std::string& name, const std::string& path) {
  if (!obj.IsObject()) return bad(path, "not an object");
  Tally t;
  t.name = name;
  t.requests = number(obj, "requests").value_or(0);
  t.hits = number(obj, "hits").value_or(0);
  t.errors = number(obj, "errors").value_or(0);
  t.hitRatio = number(obj, "hit_ratio");
  if (auto it = obj.FindMember("outcomes"); it != obj.MemberEnd() && it->value.IsObject()) t.outcomes = readCounts(it->value);
  if (auto it = obj.FindMember("latency_ms"); it != obj.MemberEnd() && it->value.IsObject())
    t.latency = readPercentiles(it->value);
  if (auto it = obj.FindMember("latency_ms_by_outcome"); it != obj.MemberEnd() && it->value.IsObject())
    for (auto& m : it->value.GetObject())
      if (m.value.IsObject())
        t.latencyByOutcome[std::string(m.name.GetString(), m.name.GetStringLength())] = readPercentiles(m.value);
  if (auto it = obj.FindMember("series"); it != obj.MemberEnd()) {
    auto s = readSeries(it->value, path + ".series");
    if (!s) return s.error();
    t.series = std::move(*s);
  }
  return t;
}

Result<std::vector<Tally>> readTallies(const Value& doc, const char* key) {
  std::vector<Tally> out;
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) return out;
  if (!it->value.IsObject()) return bad(key, "not an object");
  for (auto& m : it->value.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    auto t = readTally(m.value, name, std::string(key) + "." + name);
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

void flatten(const Value& v, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  if (v.IsObject()) {
    for (auto& m : v.GetObject())
      flatten(m.value, prefix.empty() ? m.name.GetString() : prefix + "." + m.name.GetString(), out);
  } else if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) flatten(v[i], prefix + "[" + std::to_string(i) + "]", out);
  } else if (v.IsString()) {
    out.emplace_back(prefix, std::string(v.GetString(), v.GetStringLength()));
  } else if (v.IsBool()) {
    out.emplace_back(prefix, v.GetBool() ? "true" : "false");
  } else if (v.IsNumber()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v.GetDouble());
    out.emplace_back(prefix, buf);
  }
}

// "tiers": {"lambda": {"invocations": 12, ..., "series": {"cold_starts": [[0, 1], [1, 0]]}}}
Result<std::vector<TierFigures>> readTiers(const Value& doc) {
  std::vector<TierFigures> out;
  auto it = doc.FindMember("tiers");
  if (it == doc.MemberEnd()) return out;
  if (!it->value.IsObject()) return bad("tiers", "not an object");
  for (auto& tier : it->value.GetObject()) {
    std::string path = std::string("tiers.") + tier.name.GetString();
    if (!tier.value.IsObject()) return bad(path, "not an object");
    TierFigures f;
    f.tier = tier.name.GetString();
    for (auto& m : tier.value.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (m.value.IsNumber() && std::isfinite(m.value.GetDouble())) {
        f.values.emplace_back(key, m.value.GetDouble());
      } else if (key == "series" && m.value.IsObject()) {
        for (auto& s : m.value.GetObject()) {
          std::string spath = path + ".series." + s.name.GetString();
          if (!s.value.IsArray()) return bad(spath, "not an array");
          auto& points = f.series[s.name.GetString()];
          for (rapidjson::SizeType i = 0; i < s.value.Size(); ++i) {
            const Value& p = s.value[i];
            if (!p.IsArray() || p.Size() != 2 || !p[0].IsNumber() || !p[1].IsNumber())
              return bad(spath + "[" + std::to_string(i) + "]", "not a [second, value] pair");
            points.emplace_back(p[0].GetDouble(), p[1].GetDouble());
          }
        }
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

std::optional<double> Percentiles::ms(double share) const {
  for (const auto& [s, v] : points)
    if (std::fabs(s - share) < 1e-9) return v;
  return std::nullopt;
}

const Tally* RunData::findPop(std::string_view name) const {
  for (const auto& p : pops)
    if (p.name == name) return &p;
  return nullptr;
}

Result<RunData> parseRunData(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(json.data(), json.size());
  if (doc.HasParseError())
    return Error{0, "not JSON: " + std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at offset " +
                        std::to_string(doc.GetErrorOffset())};
  if (!doc.IsObject()) return Error{0, "not a load result: the document is not an object"};
  auto run = doc.FindMember("run");
  auto total = doc.FindMember("total");
  if (run == doc.MemberEnd() || !run->value.IsObject() || total == doc.MemberEnd())
    return Error{0, "not a load result: no \"run\" or \"total\" (write one with `cdnlab load --json FILE`)"};

  RunData d;
  const Value& r = run->value;
  d.startedAt = text(r, "started_at");
  d.mode = text(r, "mode");
  d.target = text(r, "target");
  d.durationS = number(r, "duration_s").value_or(0);
  d.warmupS = number(r, "warmup_s").value_or(0);
  d.rate = number(r, "rate").value_or(0);
  d.seed = static_cast<unsigned long long>(number(r, "seed").value_or(0));
  if (auto it = r.FindMember("latency_model"); it != r.MemberEnd() && it->value.IsBool()) d.latencyModel = it->value.GetBool();
  if (auto it = r.FindMember("interrupted"); it != r.MemberEnd() && it->value.IsBool()) d.interrupted = it->value.GetBool();
  flatten(r, "", d.config);

  auto t = readTally(total->value, "all", "total");
  if (!t) return t.error();
  d.total = std::move(*t);
  if (auto it = doc.FindMember("series"); it != doc.MemberEnd()) {
    auto s = readSeries(it->value, "series");
    if (!s) return s.error();
    d.total.series = std::move(*s);
  }
  if (auto it = doc.FindMember("shield"); it != doc.MemberEnd()) {
    auto s = readTally(it->value, "shield tier", "shield");
    if (!s) return s.error();
    if (s->requests > 0) d.shield = std::move(*s);
  }
  auto pops = readTallies(doc, "pops");
  if (!pops) return pops.error();
  d.pops = std::move(*pops);
  auto regions = readTallies(doc, "regions");
  if (!regions) return regions.error();
  d.regions = std::move(*regions);
  if (auto it = doc.FindMember("offload"); it != doc.MemberEnd() && it->value.IsObject()) {
    d.requestOffload = number(it->value, "request_offload");
    d.byteOffload = number(it->value, "byte_offload");
  }
  auto tiers = readTiers(doc);
  if (!tiers) return tiers.error();
  d.tiers = std::move(*tiers);
  return d;
}

}  // namespace cdnlab::report

// Formatting of simulation results (no I/O: the CLI writes the strings).
#include "bench/sim/sim_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace cdnlab::sim {

namespace {

std::string fmt(const char* f, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

std::string jsonString(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (static_cast<unsigned char>(c) < 0x20) o += fmt("\\u%04x", c);
    else o += c;
  }
  return o + "\"";
}

const char* modeName(SizeMode m) { return m == SizeMode::Objects ? "obj" : "byte"; }

}  // namespace

std::string formatTable(const Trace& t, const std::vector<SimResult>& rows) {
  std::string o = fmt("trace %s: %llu requests, %llu objects, working set %llu bytes\n", t.source.c_str(),
                      (unsigned long long)t.requests.size(), (unsigned long long)t.objects(),
                      (unsigned long long)t.workingSetBytes());
  o += fmt("%-28s %-5s %10s %14s %12s %12s %9s %10s %9s %9s\n", "policy", "mode", "size", "capacity", "requests",
           "misses", "miss", "byte miss", "Mreq/s", "cpu Mreq/s");
  for (const auto& r : rows)
    o += fmt("%-28s %-5s %10s %14llu %12llu %12llu %9.4f %10.4f %9.2f %10.2f\n", r.job.policy.c_str(),
             modeName(r.job.mode), r.job.sizeLabel.c_str(), (unsigned long long)r.job.capacity,
             (unsigned long long)r.requests, (unsigned long long)r.misses, r.missRatio(), r.byteMissRatio(),
             r.seconds > 0 ? double(r.requests) / r.seconds / 1e6 : 0.0,
             r.cpuSeconds > 0 ? double(r.requests) / r.cpuSeconds / 1e6 : 0.0);
  return o;
}

std::string formatCsv(const std::vector<SimResult>& rows) {
  std::string o =
      "policy,mode,size,capacity,requests,misses,miss_ratio,bytes,miss_bytes,byte_miss_ratio,seconds,cpu_seconds\n";
  for (const auto& r : rows)
    o += fmt("%s,%s,%s,%llu,%llu,%llu,%.6f,%llu,%llu,%.6f,%.3f,%.3f\n", r.job.policy.c_str(), modeName(r.job.mode),
             r.job.sizeLabel.c_str(), (unsigned long long)r.job.capacity, (unsigned long long)r.requests,
             (unsigned long long)r.misses, r.missRatio(), (unsigned long long)r.bytes,
             (unsigned long long)r.missBytes, r.byteMissRatio(), r.seconds, r.cpuSeconds);
  return o;
}

std::string formatJson(const Trace& t, const std::vector<SimResult>& rows) {
  std::string o = "{\"trace\":" + jsonString(t.source) + fmt(",\"requests\":%llu,\"objects\":%llu,\"working_set_bytes\":%llu,\"results\":[",
                                                           (unsigned long long)t.requests.size(),
                                                           (unsigned long long)t.objects(),
                                                           (unsigned long long)t.workingSetBytes());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    o += i ? "," : "";
    o += "{\"policy\":" + jsonString(r.job.policy) + ",\"mode\":\"" + modeName(r.job.mode) +
         "\",\"size\":" + jsonString(r.job.sizeLabel) +
         fmt(",\"capacity\":%llu,\"requests\":%llu,\"misses\":%llu,\"miss_ratio\":%.6f,\"bytes\":%llu,"
             "\"miss_bytes\":%llu,\"byte_miss_ratio\":%.6f,\"seconds\":%.3f,\"cpu_seconds\":%.3f}",
             (unsigned long long)r.job.capacity, (unsigned long long)r.requests, (unsigned long long)r.misses,
             r.missRatio(), (unsigned long long)r.bytes, (unsigned long long)r.missBytes, r.byteMissRatio(),
             r.seconds, r.cpuSeconds);
  }
  return o + "]}\n";
}

std::string formatMrcSvg(const Trace& t, const std::vector<SimResult>& rows) {
  const double W = 800, H = 500, L = 70, R = 160, T = 40, B = 50;
  std::map<std::string, std::vector<const SimResult*>> curves;
  double xmin = 1e300, xmax = 0;
  for (const auto& r : rows) {
    curves[r.job.policy].push_back(&r);
    xmin = std::min(xmin, double(r.job.capacity));
    xmax = std::max(xmax, double(r.job.capacity));
  }
  if (xmax <= xmin) xmax = xmin * 10;
  const bool bytes = !rows.empty() && rows[0].job.mode == SizeMode::Bytes;
  auto X = [&](double c) { return L + (std::log(c) - std::log(xmin)) / (std::log(xmax) - std::log(xmin)) * (W - L - R); };
  auto Y = [&](double m) { return T + m * (H - T - B); };  // miss ratio 0 at the top
  std::string o = fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H);
  o += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o += "<text x=\"" + fmt("%.0f", L) + "\" y=\"20\" font-size=\"14\">Miss-ratio curve: " + t.source + "</text>\n";
  o += fmt("<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n", L, H - B, W - R, H - B);
  o += fmt("<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n", L, T, L, H - B);
  for (int i = 0; i <= 10; i += 2) {
    double m = i / 10.0;
    o += fmt("<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n", L - 6, Y(1 - m) + 4, 1 - m);
    o += fmt("<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/>\n", L, Y(1 - m), W - R, Y(1 - m));
  }
  for (double d = std::pow(10, std::floor(std::log10(xmin))); d <= xmax * 1.0001; d *= 10)
    if (d >= xmin * 0.9999)
      o += fmt("<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.3g</text>\n", X(d), H - B + 16, d);
  o += fmt("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">cache size (%s, log scale)</text>\n", (L + W - R) / 2,
           H - 12, bytes ? "bytes" : "objects");
  o += fmt("<text x=\"16\" y=\"%.0f\" transform=\"rotate(-90 16 %.0f)\" text-anchor=\"middle\">%s</text>\n", H / 2, H / 2,
           bytes ? "byte miss ratio" : "miss ratio");
  static const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                                  "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aa0044"};
  int ci = 0, li = 0;
  for (auto& [name, pts] : curves) {
    std::sort(pts.begin(), pts.end(), [](auto* a, auto* b) { return a->job.capacity < b->job.capacity; });
    const char* color = name.starts_with("belady") ? "#000000" : kColors[ci++ % 10];
    std::string d;
    for (auto* p : pts) {
      double m = bytes ? p->byteMissRatio() : p->missRatio();
      d += fmt("%s%.1f,%.1f ", d.empty() ? "" : "", X(double(p->job.capacity)), Y(m));
    }
    o += fmt("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>\n", color,
             name.starts_with("belady") ? " stroke-dasharray=\"6 4\"" : "", d.c_str());
    double ly = T + 18.0 * li++;
    o += fmt("<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>\n", W - R + 10, ly,
             W - R + 30, ly, color);
    o += fmt("<text x=\"%.0f\" y=\"%.0f\">%s</text>\n", W - R + 36, ly + 4, name.c_str());
  }
  return o + "</svg>\n";
}

}  // namespace cdnlab::sim

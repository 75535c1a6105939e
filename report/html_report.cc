// Arranging the report page (see html_report.h): figures first, then the plots in the order
// a reader asks questions (where is everything, how well does the cache do, what does a miss
// cost, who pays for it), then the tables and the run's configuration.
#include "report/html_report.h"

#include <cstdio>

#include "report/page_style.h"
#include "report/plots.h"
#include "report/svg.h"
#include "report/world_map.h"

namespace cdnlab::report {
namespace {

std::string pct(std::optional<double> v) {
  if (!v) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f %%", 100 * *v);
  return b;
}

std::string ms(std::optional<double> v) {
  if (!v) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f ms", *v);
  return b;
}

std::string figure(const std::string& key, const std::string& value, const std::string& id) {
  return "<div class=\"figure\" data-figure=\"" + escapeXml(id) + "\"><div class=\"v\">" + escapeXml(value) +
         "</div><div class=\"k\">" + escapeXml(key) + "</div></div>";
}

std::optional<double> p50(const Tally& t, const char* outcome) {
  auto it = t.latencyByOutcome.find(outcome);
  if (it == t.latencyByOutcome.end()) return std::nullopt;
  return it->second.ms(0.5);
}

std::string tallyTable(const std::string& id, const std::string& first, const std::vector<const Tally*>& rows) {
  std::string o = "<table id=\"table-" + id + "\"><tr><th>" + escapeXml(first) +
                  "</th><th>requests</th><th>hit ratio</th><th>errors</th><th>p50</th><th>p99</th><th>hit p50</th>"
                  "<th>miss p50</th></tr>\n";
  for (const Tally* t : rows) {
    std::optional<double> q50, q99;
    if (t->latency) q50 = t->latency->ms(0.5), q99 = t->latency->ms(0.99);
    o += "<tr><td>" + escapeXml(t->name) + "</td><td>" + shortNumber(t->requests) + "</td><td>" + pct(t->hitRatio) +
         "</td><td>" + shortNumber(t->errors) + "</td><td>" + ms(q50) + "</td><td>" + ms(q99) + "</td><td>" +
         ms(p50(*t, "Hit")) + "</td><td>" + ms(p50(*t, "Miss")) + "</td></tr>\n";
  }
  return o + "</table>\n";
}

}  // namespace

std::string renderHtmlReport(const RunData& run, const geo::Topology* topology) {
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>cdnlab run report</title>\n<style>";
  o += kPageCss;
  o += "</style></head>\n<body>\n<h1>cdnlab run report</h1>\n<p class=\"sub\">";
  o += escapeXml(run.mode) + " loop, " + shortNumber(run.durationS) + " s measured after " + shortNumber(run.warmupS) +
       " s warm-up";
  if (!run.startedAt.empty()) o += ", started " + escapeXml(run.startedAt);
  if (!run.target.empty()) o += ", target " + escapeXml(run.target);
  if (run.interrupted) o += " - <strong>interrupted</strong>: what was measured until Ctrl-C";
  o += "</p>\n<div class=\"figures\">";
  o += figure("requests", shortNumber(run.total.requests), "requests");
  o += figure("edge hit ratio", pct(run.total.hitRatio), "hit-ratio");
  if (run.shield) o += figure("shield hit ratio", pct(run.shield->hitRatio), "shield-hit-ratio");
  o += figure("origin offload (requests)", pct(run.requestOffload), "offload");
  o += figure("hit p50", ms(p50(run.total, "Hit")), "hit-p50");
  o += figure("miss p50", ms(p50(run.total, "Miss")), "miss-p50");
  if (run.total.latency) o += figure("p99", ms(run.total.latency->ms(0.99)), "p99");
  o += figure("errors", shortNumber(run.total.errors), "errors");
  o += "</div>\n";

  o += "<h2>Topology</h2>\n";
  if (topology) {
    o += renderWorldMap(*topology, &run);
  } else {
    o += "<p class=\"nodata\">The run's topology file could not be read, so there is no map (pass it with --topology).</p>\n";
  }
  o += "<h2>Cache</h2>\n<p class=\"explain\">How often each PoP answered from its cache, second by second. A cold "
       "cache starts low and climbs as popular objects arrive; the dashed line is all PoPs together.</p>\n";
  o += renderLineChart(hitRatioOverTime(run));
  o += "<h2>Latency</h2>\n<p class=\"explain\">For each client region, the share of requests answered within a given "
       "time. Hits are answered by the nearby PoP; the dashed miss curve of the same colour sits to the right by "
       "what the trips upstream cost.</p>\n";
  o += renderLineChart(latencyCdf(run));
  o += renderStackedBars(tierBreakdown(run, topology));
  o += "<h2>Origin offload</h2>\n<p class=\"explain\">What the CDN spares the origin: the share of client requests "
       "answered without it. The edge's share per second is drawn; the reference line is the offload counted by the "
       "origin itself (the shield tier answers part of the edge's misses).</p>\n";
  o += renderLineChart(offloadOverTime(run));
  o += "<h2>Functions</h2>\n";
  LineChart cold = coldStartsOverTime(run);
  o += renderLineChart(cold);
  // Runs that scraped the Lambda service only at the start and the end have its totals.
  for (const auto& t : run.tiers)
    if (t.tier == "lambda" && cold.series.empty())
      for (const auto& [k, v] : t.values)
        if (k == "cold_starts" || k == "invocations")
          o += "<p class=\"explain\" data-lambda=\"" + escapeXml(k) + "\">Lambda " + escapeXml(k == "cold_starts" ? "cold starts" : "invocations") +
               " during the run: " + shortNumber(v) + "</p>\n";

  o += "<h2>Tables</h2>\n";
  std::vector<const Tally*> pops;
  for (const auto& p : run.pops) pops.push_back(&p);
  if (run.shield) pops.push_back(&*run.shield);
  pops.push_back(&run.total);
  o += tallyTable("pops", "PoP", pops);
  std::vector<const Tally*> regions;
  for (const auto& r : run.regions) regions.push_back(&r);
  o += tallyTable("regions", "client region", regions);
  for (const auto& t : run.tiers) {
    if (t.values.empty()) continue;
    o += "<table class=\"tier\" data-tier=\"" + escapeXml(t.tier) + "\"><tr><th>" + escapeXml(t.tier) +
         "</th><th>value</th></tr>\n";
    for (const auto& [k, v] : t.values) o += "<tr><td>" + escapeXml(k) + "</td><td>" + shortNumber(v) + "</td></tr>\n";
    o += "</table>\n";
  }
  o += "<h2>Configuration</h2>\n<table id=\"table-config\"><tr><th>setting</th><th>value</th></tr>\n";
  for (const auto& [k, v] : run.config) o += "<tr><td>" + escapeXml(k) + "</td><td>" + escapeXml(v) + "</td></tr>\n";
  o += "</table>\n</body></html>\n";
  return o;
}

}  // namespace cdnlab::report

// See report_writer.h.
#include "cli/report_writer.h"

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

#include "bench/run/default_topology.h"
#include "geo/topology.h"
#include "report/html_report.h"
#include "report/run_data.h"

namespace cdnlab::cli {
namespace {

// A topology only fits a run when it has every PoP the run measured (a map of other PoPs would
// mislead more than no map).
bool fits(const geo::Topology& t, const report::RunData& run) {
  for (const auto& p : run.pops)
    if (!t.findPop(p.name)) return false;
  return true;
}

}  // namespace

int writeRunReport(const ReportRequest& req) {
  std::ifstream in(req.jsonFile, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cdnlab report: cannot read %s\n", req.jsonFile.c_str());
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto run = report::parseRunData(text.str());
  if (!run) {
    std::fprintf(stderr, "cdnlab report: %s: %s\n", req.jsonFile.c_str(), run.error().message.c_str());
    return 1;
  }

  std::optional<geo::Topology> topo;
  if (!req.topologyFile.empty()) {
    auto t = geo::loadTopologyFile(req.topologyFile);
    if (!t) {
      std::fputs(config::formatErrors(t.errors()).c_str(), stderr);
      return 2;
    }
    topo = std::move(*t);
  } else {
    // The run's own topology when its file is still there, else the embedded default; either
    // only when it matches the PoPs the run measured.
    if (!run->target.empty() && std::ifstream(run->target))
      if (auto t = geo::loadTopologyFile(run->target); t && fits(*t, *run)) topo = std::move(*t);
    if (!topo)
      if (auto t = geo::loadTopologyString(bench::run::defaultTopologyYaml(), bench::run::kDefaultTopologyName); t && fits(*t, *run))
        topo = std::move(*t);
  }

  std::string html = report::renderHtmlReport(*run, topo ? &*topo : nullptr);
  std::ofstream out(req.outFile, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(html.data(), static_cast<std::streamsize>(html.size())) || !out.flush()) {
    std::fprintf(stderr, "cdnlab report: cannot write %s\n", req.outFile.c_str());
    return 1;
  }
  std::printf("report: %s (open it in a browser; it needs no network)\n", req.outFile.c_str());
  return 0;
}

}  // namespace cdnlab::cli

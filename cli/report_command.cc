// `cdnlab report RESULTS.json [-o report.html] [--topology topo.yaml]`: the HTML report of a
// load run (what `cdnlab load --json` or `cdnlab demo --json` wrote). Logic: cli/report_writer.*
// and report/.
#include <memory>

#include "cli/command.h"
#include "cli/report_writer.h"

namespace cdnlab::cli {

CDNLAB_COMMAND("report", "Write the HTML report (plots, map, tables) of a load run's JSON", [](CLI::App& sub) {
  auto r = std::make_shared<ReportRequest>();
  r->outFile = "report.html";
  sub.add_option("results", r->jsonFile, "The run's JSON (cdnlab load --json FILE)")->required();
  sub.add_option("-o,--output", r->outFile, "Where to write the page")->capture_default_str();
  sub.add_option("--topology", r->topologyFile,
                 "The topology the run used (default: the run's own, else the embedded default when it matches)");
  return std::function<int()>([r] { return writeRunReport(*r); });
});

}  // namespace cdnlab::cli

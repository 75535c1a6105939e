// `cdnlab demo [topo.yaml]`: up + `cdnlab load` for --duration + its table + down, always
// stopping everything (also on Ctrl-C or failure), then the HTML report of the run (--report).
// Logic: bench/run/up.h and cli/report_writer.h.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "bench/run/up.h"
#include "cli/command.h"
#include "cli/report_writer.h"
#include "cli/runtime_option.h"

namespace cdnlab::cli {

CDNLAB_COMMAND("demo", "Start a topology, drive load at it for a while, print the table, stop it", [](CLI::App& sub) {
  auto o = std::make_shared<bench::run::DemoOptions>();
  auto noLatency = std::make_shared<bool>(false);
  sub.add_option("topology", o->topologyFile, "Topology YAML (default: embedded shop, configs/shop.yaml)");
  sub.add_option("--duration", o->duration, "How long the load runs")->capture_default_str();
  sub.add_flag("--no-latency", *noLatency, "Turn the distance latency model off");
  sub.add_flag("--access-logs", o->accessLogs, "Every PoP writes a CloudFront-format access log in the run directory");
  addRuntimeOption(sub, o->runtime);
  sub.add_option("--load-arg", o->loadArgs, "Extra flag passed through to `cdnlab load` (repeatable)");
  auto json = std::make_shared<std::string>();
  sub.add_option("--json", *json, "Write the load's results as JSON to this file (also on Ctrl-C)");
  auto report = std::make_shared<std::string>("cdnlab-report.html");
  sub.add_option("--report", *report, "Write the run's HTML report here (empty: none)")->capture_default_str();
  return std::function<int()>([o, noLatency, json, report] {
    o->latency = !*noLatency;
    // The report is drawn from the load's JSON: without --json it goes to a temporary file.
    std::string jsonFile = *json;
    bool temporary = jsonFile.empty() && !report->empty();
    if (temporary)
      jsonFile = (std::filesystem::temp_directory_path() / ("cdnlab-demo-" + std::to_string(::getpid()) + ".json")).string();
    if (!jsonFile.empty()) {
      o->loadArgs.push_back("--json");
      o->loadArgs.push_back(jsonFile);
    }
    int rc = bench::run::runDemo(*o);
    // Also after Ctrl-C: the load writes what it measured, and the report shows it.
    if (!report->empty() && std::filesystem::exists(jsonFile)) {
      int reportRc = writeRunReport({jsonFile, *report, o->topologyFile});
      if (rc == 0) rc = reportRc;
    }
    if (temporary) {
      std::error_code ignored;
      std::filesystem::remove(jsonFile, ignored);
    }
    return rc;
  });
});

}  // namespace cdnlab::cli

// `cdnlab demo [topo.yaml]`: up + `cdnlab load` for --duration + its table + down, always
// stopping everything (also on Ctrl-C or failure). Logic: bench/run/up.h.
#include <map>
#include <memory>
#include <string>

#include "bench/run/up.h"
#include "cli/command.h"

namespace cdnlab::cli {
namespace {
std::map<std::string, bench::run::RuntimeChoice> runtimeChoices() {
  return {{"auto", bench::run::RuntimeChoice::Auto},
          {"as-written", bench::run::RuntimeChoice::AsWritten},
          {"native", bench::run::RuntimeChoice::Native}};
}
}  // namespace

CDNLAB_COMMAND("demo", "Start a topology, drive load at it for a while, print the table, stop it", [](CLI::App& sub) {
  auto o = std::make_shared<bench::run::DemoOptions>();
  auto noLatency = std::make_shared<bool>(false);
  sub.add_option("topology", o->topologyFile, "Topology YAML (default: embedded configs/default.yaml)");
  sub.add_option("--duration", o->duration, "How long the load runs")->capture_default_str();
  sub.add_flag("--no-latency", *noLatency, "Turn the distance latency model off");
  sub.add_flag("--access-logs", o->accessLogs, "Every PoP writes a CloudFront-format access log in the run directory");
  sub.add_option("--runtime", o->runtime,
                 "Functions: auto (native where the runtime's interpreter is missing), as-written, native")
      ->transform(CLI::CheckedTransformer(runtimeChoices()));
  sub.add_option("--load-arg", o->loadArgs, "Extra flag passed through to `cdnlab load` (repeatable)");
  auto json = std::make_shared<std::string>();
  sub.add_option("--json", *json, "Write the load's results as JSON to this file (also on Ctrl-C)");
  return std::function<int()>([o, noLatency, json] {
    o->latency = !*noLatency;
    if (!json->empty()) {
      o->loadArgs.push_back("--json");
      o->loadArgs.push_back(*json);
    }
    return bench::run::runDemo(*o);
  });
});

}  // namespace cdnlab::cli

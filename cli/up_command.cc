// `cdnlab up [topo.yaml] [--detach] [--wait] [--no-latency]`: start a whole topology (origin, shield and
// edge PoPs, router), each as its own process on its own loopback address. Logic: bench/run/up.h.
#include <memory>
#include <string>

#include "bench/run/reload.h"
#include "bench/run/up.h"
#include "cli/command.h"
#include "cli/runtime_option.h"

namespace cdnlab::cli {

CDNLAB_COMMAND("up", "Start a topology (default: the embedded shop, configs/shop.yaml), one process per component",
               [](CLI::App& sub) {
                 auto o = std::make_shared<bench::run::UpOptions>();
                 auto noLatency = std::make_shared<bool>(false);
                 auto readyMs = std::make_shared<int>(10000);
                 auto reload = std::make_shared<bool>(false);
                 sub.add_option("topology", o->topologyFile, "Topology YAML (default: embedded shop, configs/shop.yaml)");
                 sub.add_flag("--detach", o->detach, "Start, print the table, return (`cdnlab down` stops it)");
                 sub.add_flag("--no-latency", *noLatency, "Turn the distance latency model off (raw speed runs)");
                 sub.add_flag("--wait", o->waitProvisioned,
                              "Return (or serve) once the functions' provisioned concurrency is READY");
                 sub.add_flag("--access-logs", o->accessLogs,
                              "Every PoP writes a CloudFront-format access log to <run dir>/<id>.access.log");
                 sub.add_flag("--reload", *reload,
                              "Apply the topology's changed edge_functions to its running PoPs (no restart)");
                 addRuntimeOption(sub, o->runtime)->capture_default_str();
                 sub.add_option("--ready-timeout-ms", *readyMs, "How long each start wave may take to be ready")
                     ->check(CLI::Range(100, 600000))
                     ->capture_default_str();
                 return std::function<int()>([o, noLatency, readyMs, reload] {
                   if (*reload) return bench::run::runReload(o->topologyFile);
                   o->latency = !*noLatency;
                   o->readyDeadline = std::chrono::milliseconds(*readyMs);
                   return bench::run::runUp(*o);
                 });
               });

}  // namespace cdnlab::cli

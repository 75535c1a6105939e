// `cdnlab down [topo.yaml]`: stop what `cdnlab up` started for that topology (by its state file;
// only PIDs that are still those cdnlab components). Logic: bench/run/up.h.
#include <memory>
#include <string>

#include "bench/run/up.h"
#include "cli/command.h"

namespace cdnlab::cli {

CDNLAB_COMMAND("down", "Stop a topology started with `cdnlab up --detach`", [](CLI::App& sub) {
  auto topology = std::make_shared<std::string>();
  sub.add_option("topology", *topology, "Topology YAML given to `up` (default: the embedded default)");
  return std::function<int()>([topology] { return bench::run::runDown(*topology); });
});

}  // namespace cdnlab::cli

// The one thin main: builds the CLI from the registered subcommands and runs the chosen one.
#include "cli/command.h"

#include <cstdio>
#include <map>

namespace cdnlab::cli {
std::vector<Command>& commandRegistry() {
  static std::vector<Command> registry;
  return registry;
}
}  // namespace cdnlab::cli

int main(int argc, char** argv) {
  CLI::App app{"cdnlab: a CDN laboratory (PoPs, edge functions, API gateway, DynamoDB-compatible store)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("cdnlab 0.1.0"));
  std::map<std::string, std::function<int()>> runners;
  for (auto& cmd : cdnlab::cli::commandRegistry()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.help);
    runners[cmd.name] = cmd.setup(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help / --version exit 0; every usage error exits 2 (docs/config.md), whatever CLI11's
    // own code for it.
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  for (auto* sub : app.get_subcommands()) return runners[sub->get_name()]();
  return 2;
}

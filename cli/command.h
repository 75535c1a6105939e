// The `cdnlab` binary's subcommands. Each subcommand lives in its own cli/<name>_command.cc and
// registers itself with CDNLAB_COMMAND, so adding one touches no other file. A subcommand only
// parses its flags and calls into the libraries; all logic lives there.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cdnlab::cli {

// setup() adds the subcommand's options to `sub` and returns the function that runs it
// (called after parsing); that function returns the process exit code.
struct Command {
  std::string name;
  std::string help;
  std::function<std::function<int()>(CLI::App& sub)> setup;
};

std::vector<Command>& commandRegistry();

struct CommandRegistrar {
  explicit CommandRegistrar(Command c) { commandRegistry().push_back(std::move(c)); }
};

}  // namespace cdnlab::cli

#define CDNLAB_COMMAND_CAT2(a, b) a##b
#define CDNLAB_COMMAND_CAT(a, b) CDNLAB_COMMAND_CAT2(a, b)
#define CDNLAB_COMMAND(name, help, setup) \
  static ::cdnlab::cli::CommandRegistrar CDNLAB_COMMAND_CAT(cdnlabCommand_, __LINE__){{name, help, setup}}

// The --runtime option that `cdnlab up` and `cdnlab demo` share: how the topology's functions run.
#pragma once

#include <map>
#include <string>

#include "bench/run/up.h"
#include "cli/command.h"

namespace cdnlab::cli {

inline CLI::Option* addRuntimeOption(CLI::App& sub, bench::run::RuntimeChoice& runtime) {
  const std::map<std::string, bench::run::RuntimeChoice> choices = {{"auto", bench::run::RuntimeChoice::Auto},
                                                                    {"as-written", bench::run::RuntimeChoice::AsWritten},
                                                                    {"native", bench::run::RuntimeChoice::Native}};
  return sub.add_option("--runtime", runtime, "Functions: auto (native where node or its AWS SDK is missing), as-written, native")
      ->transform(CLI::CheckedTransformer(choices));
}

}  // namespace cdnlab::cli

// Where a PoP's edge-function associations come from: the `--edge-function` flags (fixed for the
// process's life), the `--edge-functions FILE` list and each cache behavior's `functions:` in the
// `--behaviors FILE`. At start-up the PoP uses what it parsed; on SIGHUP it reads both files again
// (function_runner.h: reload), so a user changes a running PoP's functions without a restart.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/config/error.h"
#include "common/result.h"
#include "edge/pop/config.h"
#include "edge/pop/function_config.h"

namespace cdnlab::edge::pop {

// An `--edge-functions` file: the PoP-wide associations, in order (the first whose path matches
// runs), in the shape of a topology PoP's `edge_functions:` list:
//   edge_functions:
//     - {trigger: viewer-request, function: builtin:normalize-query, path: /obj/*}
// Errors name the file, line, column and field.
config::Parsed<std::vector<EdgeFunctionAssociation>> loadEdgeFunctionsFile(const std::string& path);
config::Parsed<std::vector<EdgeFunctionAssociation>> loadEdgeFunctionsString(std::string_view text, std::string name);

struct AssociationSources {
  std::vector<EdgeFunctionAssociation> popWide;                    // flags, then the file's
  std::vector<std::vector<EdgeFunctionAssociation>> byBehavior;    // per cache behavior
  std::vector<std::string> behaviorNames;
};

// The associations as `config` was started with (`reread` false), or with config.edgeFunctionsFile
// and config.behaviorsFile read again (`reread` true). A behaviors file read again must keep the
// running behaviors' number and path patterns (only their functions are taken: the rest of a
// behavior needs a restart); any problem is an error naming the file and field.
Result<AssociationSources> associationSources(const PopConfig& config, bool reread);

}  // namespace cdnlab::edge::pop

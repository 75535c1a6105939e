// `cdnlab up --reload [topology]`: applies a running topology's changed `edge_functions:` to its
// PoPs without a restart. The topology file is loaded and checked again, each running PoP's
// edge-functions file (edge_functions_file.h) is rewritten, and the PoP is sent SIGHUP; its
// answer (`reloaded edge functions: N associations`, or why the old ones stay) is read back from
// its log and printed. A PoP that refuses the new associations keeps serving the old ones, and
// its file is put back to what it runs.
#pragma once

#include <chrono>
#include <string>

namespace cdnlab::bench::run {

// Exit codes: 0 every PoP reloaded, 1 nothing running or a PoP refused / did not answer, 2 bad
// topology (errors with file:line: field).
int runReload(const std::string& topologyFile, std::chrono::milliseconds answerTimeout = std::chrono::seconds(10));

}  // namespace cdnlab::bench::run

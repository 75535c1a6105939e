// Output of `cdnlab sim`: the terminal table, CSV / JSON files, and the miss-ratio curve as an
// SVG plot (one line per policy, log-scale cache size) that opens in any browser.
#pragma once

#include <string>
#include <vector>

#include "bench/sim/simulator.h"
#include "bench/sim/trace.h"

namespace cdnlab::sim {

std::string formatTable(const Trace& t, const std::vector<SimResult>& rows);
std::string formatCsv(const std::vector<SimResult>& rows);
std::string formatJson(const Trace& t, const std::vector<SimResult>& rows);
// x: cache size (log scale), y: miss ratio (or byte miss ratio in byte mode).
std::string formatMrcSvg(const Trace& t, const std::vector<SimResult>& rows);

}  // namespace cdnlab::sim

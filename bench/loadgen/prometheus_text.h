// Reading counters out of a Prometheus text exposition (the origin's and the PoPs' /metrics):
// the sum of every sample of one metric name over all its label sets. Used for origin offload
// (scraped before and after a run). Untrusted text: malformed lines are skipped, never fatal.
#pragma once

#include <optional>
#include <string_view>

namespace cdnlab::loadgen {

// nullopt when no sample of that name is present.
std::optional<double> metricSum(std::string_view text, std::string_view name);

}  // namespace cdnlab::loadgen

// Reading counters out of a Prometheus text exposition (the origin's and the PoPs' /metrics):
// the sum of every sample of one metric name over all its label sets. Used for origin offload
// (scraped before and after a run). Untrusted text: malformed lines are skipped, never fatal.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cdnlab::loadgen {

// nullopt when no sample of that name is present.
std::optional<double> metricSum(std::string_view text, std::string_view name);

// Every sample of `name`: its label text (what is between the braces, "" without labels) and value.
std::vector<std::pair<std::string, double>> metricSamples(std::string_view text, std::string_view name);
// The value of label `key` in a label text (`api="x",le="0.5"`), nullopt when absent.
std::optional<std::string> labelValue(std::string_view labels, std::string_view key);
// A histogram's cumulative buckets (`<name>_bucket`, summed over every other label): le -> count;
// +Inf is the largest double.
std::map<double, double> histogramBuckets(std::string_view text, std::string_view name);
// The q-quantile (0..1) of the observations between two scrapes of the same histogram (bucket
// counts after minus before), interpolated linearly inside its bucket as Prometheus's
// histogram_quantile does; nullopt when nothing was observed between them.
std::optional<double> quantileBetween(const std::map<double, double>& before, const std::map<double, double>& after,
                                      double q);

}  // namespace cdnlab::loadgen

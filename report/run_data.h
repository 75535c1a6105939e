// What one `cdnlab load` run measured, read back from its JSON (`--json`, also what `cdnlab
// demo` writes): the input of the HTML report. Pure; only the fields the report draws are
// kept. Anything a run did not measure stays empty (std::optional / empty vectors), so the
// report can say "not measured" instead of drawing a zero.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdnlab::report {

// One latency distribution as the load JSON keeps it: a few percentiles, in ms.
struct Percentiles {
  // (share of requests at or below, latency ms), ascending: (0, min), (0.01, p1) ... (1, max).
  std::vector<std::pair<double, double>> points;
  std::optional<double> ms(double share) const;  // the point at exactly `share`, if kept
};

// One second of a time series.
struct SecondSample {
  double second = 0;
  double requests = 0;
  double hits = 0;
  double errors = 0;
  std::optional<double> meanMs;
  std::map<std::string, double> outcomes;  // "Hit" -> n, "Miss" -> n, ...
};

// A PoP, a client region, the shield tier or the whole run.
struct Tally {
  std::string name;
  double requests = 0;
  double hits = 0;
  double errors = 0;
  std::optional<double> hitRatio;
  std::map<std::string, double> outcomes;
  std::optional<Percentiles> latency;
  std::map<std::string, Percentiles> latencyByOutcome;  // "Hit", "Miss", ...
  std::vector<SecondSample> series;
};

// Numbers from the other tiers (gateway, Lambda, store) when the run scraped them: a name ->
// value table per tier, and optional per-second series (e.g. Lambda cold starts).
struct TierFigures {
  std::string tier;  // "gateway", "lambda", "store", ...
  std::vector<std::pair<std::string, double>> values;
  std::map<std::string, std::vector<std::pair<double, double>>> series;  // name -> (second, value)
};

struct RunData {
  std::string startedAt;
  std::string mode;
  std::string target;
  double durationS = 0;
  double warmupS = 0;
  double rate = 0;
  unsigned long long seed = 0;
  bool latencyModel = false;
  bool interrupted = false;
  std::vector<std::pair<std::string, std::string>> config;  // flattened run.config, for the table

  Tally total;
  std::optional<Tally> shield;
  std::vector<Tally> pops;
  std::vector<Tally> regions;
  std::optional<double> requestOffload;
  std::optional<double> byteOffload;
  std::vector<TierFigures> tiers;

  const Tally* findPop(std::string_view name) const;
};

// Parses a load JSON document. Errors name what is wrong ("pops.berlin.series[3]: not an
// object") so a hand-edited or truncated file gets a clear message.
Result<RunData> parseRunData(std::string_view json);

}  // namespace cdnlab::report

// What a load run measured: per PoP, per client region, for the shield tier and overall, split
// by the PoP's outcome, plus per-second time series (overall, per PoP, per region). Each worker
// thread fills its own Results (no locks on the hot path); merge() adds them at the end
// (Histogram merge is exact: same buckets). Pure code.
//
// Outcomes come from the chained X-Cache header ("Miss, Hit" = shield missed, edge hit: the
// last element is the client-facing PoP's, the one before it the shield's). Only Hit and Stale
// count as hits: the body came out of the PoP's cache without waiting for upstream.
// Revalidated is counted apart and is not a hit (it costs a round trip to upstream), nor are
// Miss, Pass, Collapsed (waited for another request's fill), Synth, or a failed request.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/histogram.h"

namespace cdnlab::loadgen {

// Error: connection failure, timeout, malformed response or a status >= 500. Other: an
// answer without a recognisable X-Cache (not a cdnlab PoP, or Pass/Synth).
enum class Outcome { Hit, Miss, Revalidated, Stale, Collapsed, Pass, Other, Error };
inline constexpr size_t kOutcomeCount = 8;  // Tally::outcomeLatencyUs lists one Histogram each
inline constexpr std::array<std::string_view, kOutcomeCount> kOutcomeNames = {
    "Hit", "Miss", "Revalidated", "Stale", "Collapsed", "Pass", "Other", "Error"};
inline std::string_view outcomeName(Outcome o) { return kOutcomeNames[static_cast<size_t>(o)]; }

// An X-Cache element ("Hit", "Revalidated", ...) as an Outcome; anything else is Other.
Outcome parseOutcome(std::string_view element);
// True for the outcomes that mean "served from the PoP's cache" (see above).
bool isCacheHit(Outcome o);
// True when the client-facing PoP asked its upstream for this request (Miss, Pass,
// Revalidated): only then does the X-Cache element before its own describe this request. On a
// Hit it is the upstream's verdict from when the entry was filled, carried in the stored headers.
bool wentUpstream(Outcome o);
bool isCacheHit(std::string_view outcome);
// The client-facing element of a chained teaching header ("Hit, Miss" -> "Miss").
std::string_view lastElement(std::string_view chained);
// The element before the last ("Hit, Miss" -> "Hit": the shield's); empty when there is none.
std::string_view upstreamElement(std::string_view chained);

// One finished request.
struct Sample {
  Outcome outcome = Outcome::Miss;  // the client-facing PoP's
  std::optional<Outcome> shield;   // the tier behind it (counted only when wentUpstream(outcome))
  uint64_t bodyBytes = 0;
  uint64_t latencyUs = 0;  // from the intended send time to the last response byte
  bool error() const { return outcome == Outcome::Error; }
  bool hit() const { return isCacheHit(outcome); }
};

// Counts of a set of requests, by outcome; latency overall and per outcome.
struct Tally {
  uint64_t requests = 0;
  uint64_t hits = 0;
  uint64_t errors = 0;
  uint64_t bytes = 0;
  uint64_t hitBytes = 0;
  std::array<uint64_t, kOutcomeCount> byOutcome{};
  Histogram latencyUs = Histogram();  // explicit ctor: spelled out so Tally{} works
  std::array<Histogram, kOutcomeCount> outcomeLatencyUs = {Histogram(), Histogram(), Histogram(), Histogram(),
                                                          Histogram(), Histogram(), Histogram(), Histogram()};

  void add(const Sample& s) { add(s, s.outcome); }
  // Counts s under `as` (the shield row counts the shield's outcome, not the edge's).
  void add(const Sample& s, Outcome as);
  void merge(const Tally& o);
  uint64_t count(Outcome o) const { return byOutcome[static_cast<size_t>(o)]; }
  const Histogram& latency(Outcome o) const { return outcomeLatencyUs[static_cast<size_t>(o)]; }
  // Absent when nothing was measured (no requests / no bytes): never a made-up 0.
  std::optional<double> hitRatio() const;
  std::optional<double> byteHitRatio() const;
};

// One second of a time series: counts only (a histogram per second per PoP would cost more
// memory than the run is worth); latency as sum and max, so the mean is exact.
struct SecondPoint {
  uint64_t requests = 0;
  uint64_t hits = 0;
  uint64_t errors = 0;
  uint64_t bytes = 0;
  std::array<uint64_t, kOutcomeCount> byOutcome{};
  uint64_t latencySumUs = 0;  // over the non-error requests
  uint64_t latencyMaxUs = 0;
  void add(const Sample& s);
  void merge(const SecondPoint& o);
};

struct NamedTally {
  std::string name;
  Tally tally;
  std::vector<SecondPoint> series;  // index = second of the measurement
};

class Results {
 public:
  // Region names are known up front (index = region index); PoPs appear as responses name them.
  explicit Results(std::vector<std::string> regions = {});

  // Records a finished request. pop: the X-Served-By PoP (empty when none answered);
  // second: whole seconds since the measurement started (for the time series).
  void record(size_t region, std::string_view pop, size_t second, const Sample& s);
  void merge(const Results& o);

  const Tally& total() const { return total_; }
  // Requests that reached the shield tier, counted by the shield's outcome.
  const Tally& shield() const { return shield_; }
  const std::vector<NamedTally>& regions() const { return regions_; }
  const std::vector<NamedTally>& pops() const { return pops_; }
  // The overall series keeps a histogram per second (p99 per second).
  struct Second {
    SecondPoint counts;
    Histogram latencyUs = Histogram(kSeriesMaxUs);
  };
  static constexpr uint64_t kSeriesMaxUs = uint64_t{1} << 26;  // ~67 s: longer is clamped
  const std::vector<Second>& series() const { return series_; }
  // Found or added; PoPs are few (a linear scan beats hashing here).
  NamedTally& pop(std::string_view pop);

 private:
  Tally total_;
  Tally shield_;
  std::vector<NamedTally> regions_;
  std::vector<NamedTally> pops_;
  std::vector<Second> series_;
};

}  // namespace cdnlab::loadgen

// What a load run measured: per PoP, per client region and overall, plus a per-second time
// series. Each worker thread fills its own Results (no locks on the hot path); merge() adds
// them at the end (Histogram merge is exact: same buckets). Pure code.
//
// Hits: a response counts as served from cache when the client-facing PoP's outcome (the last
// element of the chained X-Cache header, e.g. "Miss, Hit" = shield missed, edge hit) is Hit,
// Stale or Revalidated: the body came out of that PoP's cache (a revalidation costs an upstream
// round trip but no body transfer). Miss, Pass, Collapsed (waited for another request's fill),
// Synth and Error are not. Byte hit ratio weighs the same split by body bytes received.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/histogram.h"

namespace cdnlab::loadgen {

// True for the X-Cache outcomes that mean "served from the PoP's cache" (see above).
bool isCacheHit(std::string_view outcome);
// The client-facing element of a chained teaching header ("Hit, Miss" -> "Miss").
std::string_view lastElement(std::string_view chained);

// One finished request.
struct Sample {
  bool error = false;   // connection failure, timeout or a status >= 500
  bool hit = false;
  uint64_t bodyBytes = 0;
  uint64_t latencyUs = 0;  // from the intended send time to the last response byte
};

struct Tally {
  uint64_t requests = 0;
  uint64_t hits = 0;
  uint64_t errors = 0;
  uint64_t bytes = 0;
  uint64_t hitBytes = 0;
  Histogram latencyUs = Histogram();  // explicit ctor: spelled out so Tally{} works

  void add(const Sample& s);
  void merge(const Tally& o);
  double hitRatio() const { return requests ? static_cast<double>(hits) / static_cast<double>(requests) : 0.0; }
  double byteHitRatio() const { return bytes ? static_cast<double>(hitBytes) / static_cast<double>(bytes) : 0.0; }
};

struct NamedTally {
  std::string name;
  Tally tally;
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
  const std::vector<NamedTally>& regions() const { return regions_; }
  const std::vector<NamedTally>& pops() const { return pops_; }
  // One Tally per second of the measurement (index = second).
  const std::vector<Tally>& series() const { return series_; }
  // Found or added; PoPs are few (a linear scan beats hashing here).
  Tally& popTally(std::string_view pop);

 private:
  Tally total_;
  std::vector<NamedTally> regions_;
  std::vector<NamedTally> pops_;
  std::vector<Tally> series_;
};

}  // namespace cdnlab::loadgen

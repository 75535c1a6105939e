// Cache sizes as `cdnlab sim --size` takes them: a fraction of the working set ("0.01": of its
// distinct objects in object mode, of its bytes in byte mode), bytes ("64MiB"), or objects
// ("10000obj"). Fractions round down, as libCacheSim's cachesim does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bench/sim/simulator.h"
#include "bench/sim/trace.h"
#include "common/result.h"

namespace cdnlab::sim {

struct SizeSpec {
  std::string label;
  double fraction = 0;  // > 0: fraction of the working set
  uint64_t absolute = 0;
  bool objects = false;  // absolute is a number of objects ("obj" suffix)
};

Result<SizeSpec> parseSizeSpec(std::string_view text);
// "0.001,0.01,64MiB" -> specs.
Result<std::vector<SizeSpec>> parseSizeList(std::string_view text);
// The capacity in the mode's unit; an object count in byte mode (or bytes in object mode) is
// an error.
Result<uint64_t> resolveSize(const SizeSpec& s, const Trace& t, SizeMode mode);
// n fractions spread logarithmically over [lo, hi] (miss-ratio curves).
std::vector<SizeSpec> logSweep(double lo, double hi, int n);

}  // namespace cdnlab::sim

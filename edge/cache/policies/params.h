// ParamReader: reads a policy's parameters from its PolicySpec with defaults, range checks and
// an error for every unknown or malformed parameter (so `s3fifo:smal=0.1` fails loudly).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "edge/cache/policy.h"

namespace cdnlab::edge::cache {

class ParamReader {
 public:
  explicit ParamReader(const PolicyConfig& c) : config_(c) {}
  // A fraction in [lo, hi] (e.g. S3-FIFO's small queue share of the capacity).
  double fraction(std::string_view key, double def, double lo = 0.0, double hi = 1.0);
  int64_t integer(std::string_view key, int64_t def, int64_t lo, int64_t hi);
  // The first problem found (unknown key, bad number), or ok.
  Result<bool> finish() const;
  uint64_t capacity() const { return config_.capacity; }

 private:
  const PolicyConfig& config_;
  std::set<std::string, std::less<>> read_;
  std::string error_;
};

}  // namespace cdnlab::edge::cache

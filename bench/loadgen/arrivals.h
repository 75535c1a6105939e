// Open-loop arrivals: when the next request of a region is *meant* to be sent. A Poisson
// process (exponential gaps with mean 1/rate), as real independent clients produce; latency is
// later measured from these intended times, not from when a connection got free (no
// coordinated omission, as wrk2 does). Pure: time is a number of nanoseconds given in.
#pragma once

#include <cmath>
#include <cstdint>

#include "bench/loadgen/rng.h"

namespace cdnlab::loadgen {

class PoissonArrivals {
 public:
  // ratePerSec > 0; the first arrival comes one gap after startNs.
  PoissonArrivals(double ratePerSec, uint64_t seed, int64_t startNs)
      : meanGapNs_(1e9 / ratePerSec), rng_(seed), nextNs_(static_cast<double>(startNs)) {
    advance();
  }

  // Intended send time of the next request (ns, same clock as startNs), without consuming it.
  int64_t peek() const { return static_cast<int64_t>(nextNs_); }
  // Consumes and returns it.
  int64_t take() {
    int64_t t = peek();
    advance();
    return t;
  }
  double meanGapNs() const { return meanGapNs_; }

 private:
  // Exponential gap by inversion: -ln(U) x mean, U in (0, 1]. Kept as a double so rounding
  // does not bias the mean at high rates.
  void advance() { nextNs_ += -std::log(rng_.uniformOpen()) * meanGapNs_; }

  double meanGapNs_;
  Rng rng_;
  double nextNs_;
};

}  // namespace cdnlab::loadgen

// Histogram: log-linear latency histogram in the spirit of HdrHistogram. Values below 128 are
// exact; above, each power of two is split into 128 linear buckets, so a reported value is
// within 1/256 (~0.4%) of the recorded one. Values are unitless integers: callers pick
// microseconds or nanoseconds and say so. record() never allocates; merge() adds counts, so
// per-thread histograms are merged at the end (a Histogram itself is not thread-safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cdnlab {

class Histogram {
 public:
  // Values above maxValue are clamped to it (and counted). Default 2^40 (~18 min in ns).
  explicit Histogram(uint64_t maxValue = uint64_t{1} << 40);

  void record(uint64_t value) { recordN(value, 1); }
  void recordN(uint64_t value, uint64_t n);
  // Adds other's counts; both must have the same maxValue.
  void merge(const Histogram& other);
  void reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // p in [0, 100]: the smallest recorded value v such that at least p% of values are <= v
  // (reported as its bucket's midpoint, clamped to [min, max]). 0 when empty.
  uint64_t percentile(double p) const;

  // Buckets, for export (e.g. Prometheus or JSON): calls fn(lowInclusive, highInclusive, count)
  // for each non-empty bucket in increasing order.
  template <typename Fn>
  void forEachBucket(Fn&& fn) const {
    for (size_t i = 0; i < counts_.size(); ++i)
      if (counts_[i]) fn(bucketLow(i), bucketHigh(i), counts_[i]);
  }

  static size_t bucketIndex(uint64_t value);
  static uint64_t bucketLow(size_t index);
  static uint64_t bucketHigh(size_t index);

 private:
  static constexpr int kSubBits = 7;  // 128 linear sub-buckets per power of two
  uint64_t maxValue_;
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace cdnlab

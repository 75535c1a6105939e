// Log-linear histogram (see histogram.h for the bucket layout and error bound).
#include "common/histogram.h"

#include <algorithm>
#include <bit>

namespace cdnlab {
namespace {
constexpr int kSub = 7;
constexpr uint64_t kSubCount = uint64_t{1} << kSub;  // 128
}  // namespace

size_t Histogram::bucketIndex(uint64_t v) {
  if (v < kSubCount) return static_cast<size_t>(v);
  int msb = 63 - std::countl_zero(v);  // >= kSub
  int shift = msb - kSub;
  uint64_t sub = (v >> shift) - kSubCount;  // [0, 128)
  return static_cast<size_t>(kSubCount + static_cast<uint64_t>(shift) * kSubCount + sub);
}

uint64_t Histogram::bucketLow(size_t i) {
  if (i < kSubCount) return i;
  uint64_t shift = (i - kSubCount) / kSubCount;
  uint64_t sub = (i - kSubCount) % kSubCount;
  return (kSubCount + sub) << shift;
}

uint64_t Histogram::bucketHigh(size_t i) {
  if (i < kSubCount) return i;
  uint64_t shift = (i - kSubCount) / kSubCount;
  return bucketLow(i) + (uint64_t{1} << shift) - 1;
}

Histogram::Histogram(uint64_t maxValue) : maxValue_(std::max<uint64_t>(maxValue, kSubCount)) {
  counts_.assign(bucketIndex(maxValue_) + 1, 0);
}

void Histogram::recordN(uint64_t value, uint64_t n) {
  if (n == 0) return;
  value = std::min(value, maxValue_);
  counts_[bucketIndex(value)] += n;
  count_ += n;
  sum_ += value * n;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::merge(const Histogram& other) {
  size_t n = std::min(counts_.size(), other.counts_.size());
  for (size_t i = 0; i < n; ++i) counts_[i] += other.counts_[i];
  // A larger other: clamp its excess buckets into our last one.
  for (size_t i = n; i < other.counts_.size(); ++i) counts_.back() += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, std::min(other.max_, maxValue_));
}

void Histogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = sum_ = max_ = 0;
  min_ = UINT64_MAX;
}

uint64_t Histogram::percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  // Rank of the value we want (1-based); p=0 -> the minimum.
  uint64_t rank = static_cast<uint64_t>(p / 100.0 * static_cast<double>(count_) + 0.5);
  if (rank < 1) rank = 1;
  if (rank > count_) rank = count_;
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      uint64_t lo = bucketLow(i), hi = bucketHigh(i);
      uint64_t mid = lo + (hi - lo) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace cdnlab

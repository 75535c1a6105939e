// W-TinyLFU's frequency sketch: libCacheSim's sizing, every counter of a key incremented, and
// the lazily aged sparse layout giving the same estimates as the dense one.
#include "edge/cache/policies/frequency_sketch.h"

#include <gtest/gtest.h>

#include <random>

namespace cdnlab::edge::cache {
namespace {

TEST(FrequencySketch, SizedAsLibCacheSim) {
  FrequencySketch s(1000, 0.001);
  EXPECT_EQ(s.hashes(), 10u);                // ceil(ln 2 x 14.3775)
  EXPECT_EQ(s.counters(), 14378u);           // ceil(14.3775 x 1000)
  EXPECT_EQ(FrequencySketch(0, 0.001).counters(), 20u);  // fewer than the hashes: 2 x hashes
  // A C int: 2^31 bytes wraps negative, so 20 counters; 2^32 + 1000 wraps to 1000.
  EXPECT_EQ(FrequencySketch(uint64_t(1) << 31, 0.001).counters(), 20u);
  EXPECT_EQ(FrequencySketch((uint64_t(1) << 32) + 1000, 0.001).counters(), 14378u);
}

TEST(FrequencySketch, CountsEveryAddAndHalvesOnDecay) {
  FrequencySketch s(20, 0.001);  // few counters: keys collide
  for (int i = 0; i < 5; ++i) s.add(7);
  EXPECT_EQ(s.estimate(7), 5u);
  // Every counter of a key is incremented (not only the smallest), so a colliding key's
  // estimate is at least its own count.
  for (int i = 0; i < 3; ++i) s.add(8);
  EXPECT_GE(s.estimate(8), 3u);
  EXPECT_GE(s.estimate(7), 5u);
  s.decay();
  EXPECT_GE(s.estimate(7), 2u);
  EXPECT_LE(s.estimate(7), 4u);
}

TEST(FrequencySketch, SparseAgesLikeDense) {
  FrequencySketch dense(5000, 0.001), sparse(5000, 0.001, /*denseLimit=*/0);
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200000; ++i) {
    uint64_t key = rng() % 20000;
    if (rng() % 3 == 0) {
      ASSERT_EQ(dense.estimate(key), sparse.estimate(key)) << "op " << i;
    } else {
      dense.add(key);
      sparse.add(key);
    }
    if (i % 9000 == 8999) {
      dense.decay();
      sparse.decay();
    }
  }
}

}  // namespace
}  // namespace cdnlab::edge::cache

// Byte mode against libCacheSim's own published figures: the miss counts and miss bytes its test
// suite (test/test_evictionAlgo.c, `test_data_truth`) asserts for each algorithm on the same
// CloudPhysics sample (cloudPhysicsIO.oracleGeneral.bin), byte mode, caches of 128 MiB to
// 1 GiB in steps of 128 MiB, default parameters except SLRU, which that suite runs with five
// segments. Figures copied from libCacheSim's suite; a difference here is a difference in the
// algorithm, the reader or the counting.
#include <gtest/gtest.h>

#include <array>
#include <initializer_list>
#include <string>
#include <utility>

#include "tests/sim/sim_test_util.h"

namespace cdnlab::sim {
namespace {

struct Figures {
  const char* policy;
  std::array<uint64_t, 8> misses;
  std::array<uint64_t, 8> missBytes;
};

const Figures kLibCacheSim[] = {
    {"lru",
     {93374, 89783, 83572, 81722, 72494, 72104, 71972, 71704},
     {4214303232, 4061242368, 3778040320, 3660569600, 3100927488, 3078128640, 3075403776, 3061662720}},
    {"fifo",
     {93403, 89386, 84387, 84025, 72498, 72228, 72182, 72140},
     {4213112832, 4052646400, 3829170176, 3807412736, 3093146112, 3079525888, 3079210496, 3077547520}},
    {"clock",
     {93313, 89775, 83411, 81328, 74815, 72283, 71927, 64456},
     {4213887488, 4064512000, 3762650624, 3644467200, 3256760832, 3091688448, 3074241024, 2697378816}},
    {"sieve",
     {91699, 86720, 78578, 76707, 69945, 66221, 64445, 64376},
     {4158632960, 3917211648, 3536227840, 3455379968, 3035580416, 2801699328, 2699456000, 2696345600}},
    {"lfu",
     {91699, 86720, 78578, 76707, 69945, 66221, 64445, 64376},
     {4158632960, 3917211648, 3536227840, 3455379968, 3035580416, 2801699328, 2699456000, 2696345600}},
    {"slru:segments=5",
     {89624, 86725, 82781, 80203, 75388, 65645, 59035, 56063},
     {4123085312, 3915534848, 3690704896, 3493027840, 3174708736, 2661464064, 2507604992, 2439981056}},
    {"arc",
     {90252, 85861, 78168, 74297, 67381, 65685, 64439, 64772},
     {4068098560, 3821026816, 3525644800, 3296890368, 2868538880, 2771180032, 2699484672, 2712971264}},
    {"s3fifo",
     {90117, 80915, 75060, 72191, 69815, 65542, 60799, 56045},
     {4058576896, 3573827584, 3244417024, 3061737984, 2898109952, 2628363776, 2425027072, 2327934464}},
    {"lirs",
     {89819, 79237, 73143, 70363, 68405, 64494, 58640, 53924},
     {4060558336, 3525952512, 3199406080, 3011810816, 2848310272, 2580918784, 2361375744, 2288325120}},
    {"gdsf",
     {89070, 84750, 74850, 70490, 67923, 64180, 61027, 58721},
     {4210726912, 4057058816, 3719176192, 3436855296, 3271648256, 3029728768, 2828456448, 2677800448}},
    {"belady",
     {79256, 70724, 65481, 61594, 59645, 57599, 50873, 48974},
     {3472532480, 2995165696, 2726689792, 2537648128, 2403427840, 2269212672, 2134992896, 2029769728}},
};

TEST(LibCacheSimFigures, ByteModeMissesAndMissBytes) {
  auto trace = loadTrace(testing::dataPath("cloudPhysicsIO.oracleGeneral.bin.zst"), TraceFormat{});
  ASSERT_TRUE(trace.ok()) << trace.error().message;
  for (const Figures& f : kLibCacheSim) {
    for (size_t i = 0; i < 8; ++i) {
      const uint64_t capacity = uint64_t(i + 1) * (128ull << 20);
      auto r = simulate(*trace, SimJob{f.policy, capacity, SizeMode::Bytes, ""});
      ASSERT_TRUE(r.ok()) << f.policy;
      EXPECT_EQ(r->requests, 113872u);
      EXPECT_EQ(r->bytes, 4368040448u);
      EXPECT_EQ(r->misses, f.misses[i]) << f.policy << " at " << (i + 1) * 128 << " MiB";
      EXPECT_EQ(r->missBytes, f.missBytes[i]) << f.policy << " at " << (i + 1) * 128 << " MiB";
    }
  }
}

// One policy's misses (and, in byte mode, miss bytes) at each capacity, on the CloudPhysics
// sample, as libCacheSim's sources built and run as cachesim does gave them.
struct Figure {
  SizeMode mode;
  uint64_t capacity, misses, missBytes;
};
void expectFigures(const std::string& policy, std::initializer_list<Figure> figures) {
  auto trace = loadTrace(testing::dataPath("cloudPhysicsIO.oracleGeneral.bin.zst"), TraceFormat{});
  ASSERT_TRUE(trace.ok()) << trace.error().message;
  for (const Figure& f : figures) {
    auto r = simulate(*trace, SimJob{policy, f.capacity, f.mode, ""});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->misses, f.misses) << policy << " at " << f.capacity;
    if (f.mode == SizeMode::Bytes) {
      EXPECT_EQ(r->missBytes, f.missBytes) << policy << " at " << f.capacity;
    }
  }
}

// belady-size draws its victims at random, as libCacheSim's BeladySize.c: the same hash table,
// generator and seed give the same draws. Figures of libCacheSim's sources built and run as
// `cachesim cloudPhysicsIO.oracleGeneral.bin oracleGeneral beladySize SIZE [--ignore-obj-size 1]`,
// one size per run, so that the generator's seed is glibc's first rand() (bench/RESULTS.md,
// "libCacheSim side by side").
TEST(LibCacheSimFigures, BeladySizeDrawsAsLibCacheSim) {
  expectFigures("belady-size", {
      {SizeMode::Objects, 48, 96554, 0},           {SizeMode::Objects, 489, 90346, 0},
      {SizeMode::Objects, 4897, 71722, 0},         {SizeMode::Bytes, 2029769, 92889, 4266741760},
      {SizeMode::Bytes, 20297697, 88213, 4117573120}, {SizeMode::Bytes, 202976972, 68510, 3246306816},
  });
}

// W-TinyLFU against libCacheSim's sources built and run as cachesim does (default parameters,
// bench/sim_vs_libcachesim.py): its eviction round goes on until an object leaves the window,
// and in byte mode main may evict more than one object to take a promoted window object.
TEST(LibCacheSimFigures, WTinyLfuAsLibCacheSim) {
  expectFigures("wtinylfu", {
      {SizeMode::Objects, 100, 98829, 0},           {SizeMode::Objects, 489, 96480, 0},
      {SizeMode::Objects, 4897, 88374, 0},          {SizeMode::Bytes, 1048576, 96229, 4310037504},
      {SizeMode::Bytes, 2029769, 95157, 4298894848}, {SizeMode::Bytes, 20297697, 94076, 4264131584},
  });
}

// The text encoding: cachesim reads each line as a string and numbers it (a GLib quark, from 1 in
// order of first appearance), so W-TinyLFU's sketch hashes 1, 2, 3, ... where the other
// encodings give it the LBN, and its figures differ from oracleGeneral's above (`cachesim
// cloudPhysicsIO.txt txt wTinyLFU SIZE --ignore-obj-size 1`; with the LBN as id, as `-t
// obj-id-is-num=1` asks, they are those above).
TEST(LibCacheSimFigures, WTinyLfuOnTextTraceAsLibCacheSim) {
  auto trace = loadTrace(testing::dataPath("cloudPhysicsIO.txt.zst"), TraceFormat{TraceKind::Txt});
  ASSERT_TRUE(trace.ok()) << trace.error().message;
  for (auto [capacity, misses] : {std::pair<uint64_t, uint64_t>{100, 98525}, {489, 96591}, {4897, 88662}}) {
    auto r = simulate(*trace, SimJob{"wtinylfu", capacity, SizeMode::Objects, ""});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->misses, misses) << "wtinylfu at " << capacity;
  }
}

}  // namespace
}  // namespace cdnlab::sim

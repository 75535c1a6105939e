// libCacheSim's own miss counts (tests/data/cloudphysics/calibration.csv) reproduced exactly:
// the reader, the admission of objects larger than the cache and the hit/miss counting.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "bench/sim/cache_size.h"
#include "tests/sim/sim_test_util.h"

namespace cdnlab::sim {
namespace {

TEST(Calibration, LibCacheSimLruAndFifoMissCounts) {
  auto trace = loadTrace(testing::dataPath("cloudPhysicsIO.oracleGeneral.bin.zst"), TraceFormat{});
  ASSERT_TRUE(trace.ok()) << trace.error().message;
  std::ifstream in(testing::dataPath("calibration.csv"));
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);  // header
  int rows = 0;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string file, mode, policy, cap, nreq, nmiss;
    std::getline(ss, file, ',');
    std::getline(ss, mode, ',');
    std::getline(ss, policy, ',');
    std::getline(ss, cap, ',');
    std::getline(ss, nreq, ',');
    std::getline(ss, nmiss, ',');
    auto r = simulate(*trace, SimJob{policy, std::stoull(cap), SizeMode::Objects, cap});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->requests, std::stoull(nreq)) << line;
    EXPECT_EQ(r->misses, std::stoull(nmiss)) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 16);
}

// Independent golden counts (a std::list reference and a Python OrderedDict simulation) at a
// size outside the calibration table.
TEST(Calibration, IndependentReferenceAtOneThousandObjects) {
  auto trace = loadTrace(testing::dataPath("cloudPhysicsIO.txt.zst"), TraceFormat{TraceKind::Txt});
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(testing::misses(*trace, "lru", 1000), 94823u);
  EXPECT_EQ(testing::misses(*trace, "fifo", 1000), 95520u);
}

// The calibration sizes are floor(fraction x distinct objects): the --size fractions give them.
TEST(Calibration, FractionsRoundDownLikeCachesim) {
  auto trace = loadTrace(testing::dataPath("cloudPhysicsIO.txt.zst"), TraceFormat{TraceKind::Txt});
  ASSERT_TRUE(trace.ok());
  auto sizes = parseSizeList("0.001,0.003,0.01,0.03,0.1,0.2,0.4,0.8");
  ASSERT_TRUE(sizes.ok());
  std::vector<uint64_t> want = {48, 146, 489, 1469, 4897, 9794, 19589, 39179};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(*resolveSize((*sizes)[i], *trace, SizeMode::Objects), want[i]);
  EXPECT_EQ(*resolveSize(*parseSizeSpec("64KiB"), *trace, SizeMode::Bytes), 65536u);
  EXPECT_EQ(*resolveSize(*parseSizeSpec("100obj"), *trace, SizeMode::Objects), 100u);
  EXPECT_FALSE(resolveSize(*parseSizeSpec("100obj"), *trace, SizeMode::Bytes).ok());
  EXPECT_FALSE(parseSizeSpec("1.5").ok());
  EXPECT_FALSE(parseSizeSpec("lots").ok());
}

}  // namespace
}  // namespace cdnlab::sim

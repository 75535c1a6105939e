// Buffer, clocks and hashing.
#include <gtest/gtest.h>

#include "common/buffer.h"
#include "common/clock.h"
#include "common/hash.h"

namespace cdnlab {
namespace {

TEST(Buffer, CopiesShareBytes) {
  Buffer a(std::string("hello world"));
  Buffer b = a;
  EXPECT_EQ(a.data(), b.data());
  EXPECT_TRUE(a.sharesWith(b));
  EXPECT_EQ(a.useCount(), 2);
  Buffer s = a.slice(6, 100);
  EXPECT_EQ(s.view(), "world");
  EXPECT_EQ(s.data(), a.data() + 6);
  EXPECT_EQ(a.slice(20, 1).size(), 0u);
  Buffer empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.view(), "");
}

TEST(Clock, FakeClockAdvancesBoth) {
  FakeClock c;
  int64_t ns = c.nowNs();
  time_t wall = c.wallSeconds();
  c.advanceMs(1500);
  EXPECT_EQ(c.nowNs() - ns, 1500000000);
  EXPECT_EQ(c.wallSeconds() - wall, 1);
  c.advanceMs(500);
  EXPECT_EQ(c.wallSeconds() - wall, 2);
  c.setWall(100);
  EXPECT_EQ(c.wallSeconds(), 100);
}

TEST(Clock, SystemClockIsMonotonic) {
  SystemClock& c = SystemClock::instance();
  int64_t a = c.nowNs();
  int64_t b = c.nowNs();
  EXPECT_LE(a, b);
  EXPECT_GT(c.wallSeconds(), 1600000000);
}

TEST(Hash, StableAndPartSeparated) {
  EXPECT_EQ(hash64("abc"), hash64("abc"));
  EXPECT_NE(hash64("abc"), hash64("abd"));
  EXPECT_NE(hash64("abc", 1), hash64("abc"));
  EXPECT_EQ(Hasher().update("ab").update("c").digest(), hash64("abc"));
  EXPECT_NE(Hasher().addPart("ab").addPart("c").digest(), Hasher().addPart("a").addPart("bc").digest());
  EXPECT_NE(hashCombine(1, 2), hashCombine(2, 1));
}

}  // namespace
}  // namespace cdnlab

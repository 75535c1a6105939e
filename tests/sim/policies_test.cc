// Every policy on small hand-worked traces (the expected misses are worked out in the comments,
// following the pseudocode at the top of each policy file), and Belady as a floor for all.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "edge/cache/policy.h"
#include "tests/sim/sim_test_util.h"

namespace cdnlab::sim {
namespace {

using testing::letters;
using testing::misses;

// One hand-worked case: the requests (one letter per object, unit sizes), the policy with its
// parameters, the cache size in objects, the misses worked out by hand, and how.
struct HandWorkedCase {
  const char* requests;
  const char* policy;
  uint64_t capacity;
  uint64_t misses;
  const char* why;
};

const HandWorkedCase kHandWorked[] = {
    {"abcadab", "lru", 3, 5, "a b c a d a b: LRU evicts b for d, c for b"},
    {"abcadab", "fifo", 3, 6, "FIFO evicts a for d, b for a, c for b"},
    {"abcadab", "clock", 3, 5,
     "a b c | a hit (bit a) | d: tail a has its bit -> cleared, to the head; tail b evicted | a hit "
     "| b: tail c (no bit) evicted -> misses a b c d b"},
    {"abcadab", "sieve", 3, 5,
     "queue head..tail = c b a. a hit (visited). d: hand at tail a: visited -> cleared, hand to b: "
     "evicted, hand -> c. [d c a]. a hit. b: hand c unvisited -> evicted"},
    {"abacb", "sieve", 2, 4,
     "a hit marks a; c: hand a visited -> clear, wraps to b: evicted; hand -> a (newer of b). b: "
     "hand a unvisited -> evicted. misses a b c b"},
    {"aabcab", "lfu", 2, 4, "c evicts b (count 1, a has 2); b evicts c (count 1) -> misses a b c b"},
    {"aabcab", "lru", 2, 5, "LRU evicts a for c, b for a, c for b"},
    {"abacdeabec", "slru", 4, 7,
     "4 segments of 1. a -> s0; b -> s1 (s0 full); a hit: s0 -> s1, s1 over -> b cooled to s0. c "
     "-> s2, d -> s3. e: victim = tail of the lowest non-empty segment = b; e -> s0. a hit: s1 -> "
     "s2, s2 over -> c cooled to s1. b: evict e (s0), b -> s0. e: evict b, e -> s0. c hit (s1 -> "
     "s2, a cooled to s1). misses a b c d e b e"},
    {"abcdeaeab", "2q", 4, 7,
     "A1in share 1, A1out 2, Am 3. a b c d fill A1in. e: A1in over its share -> a to the ghost, "
     "evicted. a: ghost hit; b evicted (to the ghost); a enters Am. e hit (A1in). a hit (Am). b: "
     "ghost hit; c evicted; b enters Am. misses a b c d e a b"},
    {"abcdaeba", "arc", 4, 6,
     "a b c d in T1. a hit -> T2. e: |T1|+|B1|+1 = 4, not > 4: REPLACE, |T1| = 3 > p = 0 -> b to "
     "B1. b: B1 hit, p = 1, REPLACE: |T1| = 3 > 1 -> c to B1; b into T2. a hit. misses a b c d e b"},
    {"abcdeacfc", "s3fifo:small=0.5", 4, 7,
     "small 2, main 2, ghost 3. a b -> small; c d -> main (small full, nothing evicted yet). e: "
     "main not over, small tail a (freq 0) -> ghost, evicted; e -> small. a: ghost hit; small tail "
     "b -> ghost, evicted; a -> main (3 > 2). c hit. f: main over: tail c has freq 1 -> freq 0, "
     "reinserted; tail d evicted; f -> small. c hit. misses a b c d e a f"},
    {"abababab", "s3fifo", 10, 8,
     "libCacheSim's quirk: with the default 10 % of a 10-object cache the small queue holds 1, and "
     "an object the size of the small queue is never kept: every request misses"},
    {"abababab", "s3fifo", 20, 2, "small queue of 2: a and b are kept"},
    {"abcdefghijkafbgcxyzwdf", "wtinylfu:window=0.5", 10, 18,
     "window 5, main SLRU 5 (segments 1 and 4). a..j fill the window (no eviction yet). k: window "
     "tails a..e move into main while it has room (a -> segment 0, b..e -> segment 1); f (count 1) "
     "loses to main's victim a (count 2: insert + move) and is evicted. a hit: promoted, b cooled "
     "to segment 0. f: g (1) loses to b (2). b hit: c cooled. g: h loses to c. c hit: d cooled. x "
     "y z: i, j, k (1 each) lose to d (2). w: f has 3 (insert, eviction, insert) > d's 2: d is "
     "evicted and f enters main. d: g (3) loses to f (4). f hit. misses: a..k (11), f, g, x, y, z, "
     "w, d"},
    {"aaaa", "wtinylfu", 50, 4, "the default 1 % window of a cache under 100 objects is empty: nothing is admitted"},
    {"nidhdefkbbgmglfmkmjdelbjjbacn", "wtinylfu:window=0.5", 11, 16,
     "window 5, main 6 (segments 1 and 4). libCacheSim's WTinyLFU_evict goes on after a window "
     "object wins main's victim's place: it compares the next window tail too, until one leaves "
     "the window, so a miss can evict two objects. Its count for these ids (the sketch hashes "
     "them); stopping as soon as the newcomer fits gives 15"},
    {"aabcba", "gdsf", 2, 4,
     "unit sizes: priority = L + 1e6 x frequency, ties to the older request; a newcomer is "
     "inserted first and competes for its place (libCacheSim's GDSF_get). a = 1e6, hit: 2e6 (t1). "
     "b = 1e6 (t2). c = 1e6 (t3): b is lower (older), evicted, L = 1e6. b = 2e6 (t4): c (1e6) is "
     "lowest, evicted. a hits. Misses a b c b"},
    {"aabba", "gdsf", 1, 4,
     "a = 2e6 after its hit. b = L + 1e6 = 1e6 ranks below a: b itself is evicted on arrival (L = "
     "1e6). b again = 2e6, ties with a, a is older: evicted (L = 2e6). a = 3e6 evicts b. Misses a b "
     "b a (evicting a for the first b would give 3)"},
    {"abcabcdefgabc", "lirs", 4, 7,
     "HIR share 1 (1 %, at least one), LIR share 3. a b c fill the LIR share; a b c hit; d is a "
     "resident HIR (S top and Q). e: both shares full -> Q's d evicted (a ghost in S), e the HIR. f "
     "evicts e, g evicts f; a b c (LIR) still hit: misses a b c d e f g"},
    {"abcabcdefgabc", "lru", 4, 10, "LRU loses a b c to the scan"},
    {"abcdaedceb", "lirs", 4, 8,
     "a b c LIR, d HIR. a hit (S = a d c b). e: d evicted to a ghost, e the HIR. d: a ghost "
     "returning is a miss and becomes LIR: S's bottom b is demoted to Q (evicting e, now a ghost). "
     "c hit (LIR). e: its ghost returns, bottom a demoted to Q (b evicted). b: new, Q's a evicted, "
     "b the HIR. misses a b c d e d e b"},
    {"abcdaedceb", "lru", 4, 6, "LRU on the same requests"},
    {"abcdaed", "lirs:hir=0.5", 4, 5, "a larger HIR share (two resident HIR blocks): d and e both stay, no miss on d"},
    {"abcddaa", "lirs", 4, 4,
     "libCacheSim's hit_RD_HIRinQ quirk: a b c LIR, d a resident HIR. d hit: d LIR, S's bottom a "
     "demoted to Q. a (only in Q) hit: the LIR share is full, so S's bottom b is demoted into Q, "
     "which evicts Q's one block, a itself; a still goes on top of S as a resident HIR, uncounted. "
     "a again: a hit (it becomes LIR and is counted). misses a b c d (a miss on the last a if the "
     "evicted block left the cache)"},
    {"abcddaaefgh", "lirs", 4, 8,
     "as above, then the counts stay exact: a's bytes were uncounted until its second hit, so e "
     "(a new HIR) evicts only Q's b; f, g, h each evict the HIR before them. misses a b c d e f g h"},
    {"abcab", "belady", 2, 4, "c evicts b (next use 4, farther than a at 3); b misses"},
    {"abcab", "lru", 2, 5, "LRU evicts a for c, b for a, c for b"},
};

class HandWorked : public ::testing::TestWithParam<HandWorkedCase> {};

TEST_P(HandWorked, MissesAsWorkedOut) {
  const HandWorkedCase& c = GetParam();
  EXPECT_EQ(misses(letters(c.requests), c.policy, c.capacity), c.misses)
      << c.policy << ", cache of " << c.capacity << ", requests " << c.requests << ": " << c.why;
}

INSTANTIATE_TEST_SUITE_P(EveryPolicy, HandWorked, ::testing::ValuesIn(kHandWorked),
                         [](const ::testing::TestParamInfo<HandWorkedCase>& info) {
                           std::string name = std::to_string(info.index) + "_";
                           for (const char* p = info.param.policy; *p && *p != ':'; ++p)
                             name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
                           return name;
                         });

// Byte mode, an object whose requests change size: LIRS as libCacheSim's LIRS.c (its figures
// for this trace: 19 misses, 23 bytes missed).
TEST(LirsBytes, GrownGhostMakesRoomByDemotingLirBlocks) {
  // 10 bytes: HIR share 1, LIR share 9. a..i (1 byte each) are LIR, j the resident HIR; k evicts
  // j from Q (j a ghost in S) and is the HIR. j returns with 5 bytes: a miss; its ghost counts 1
  // byte, so the LIR share needs one demotion: a to Q, evicting k. Then the request's 5 bytes must
  // fit (9 + 5 > 10): LIRS_evict empties Q below its share (a leaves) and demotes S's bottom b to
  // Q; b leaves, c demoted; c leaves, d demoted; d leaves, e demoted: 5 + 5 fits. j is LIR at 1
  // byte: LIR f g h i j, Q e. l m n o are LIR, filling the share; p evicts e from Q. e misses
  // (making room from Q alone would keep e as LIR: a hit, 18 misses), f and j (3 bytes) hit.
  auto t = testing::sizedLetters("a b c d e f g h i j k j5 l m n o p e f j3 b");
  auto r = simulate(t, SimJob{"lirs", 10, SizeMode::Bytes, ""});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->requests, 21u);
  EXPECT_EQ(r->misses, 19u);
  EXPECT_EQ(r->missBytes, 23u);
}

TEST(Floor, BeladyNeverWorseThanAnyPolicy) {
  auto trace = loadTrace(testing::dataPath("cloudPhysicsIO.oracleGeneral.bin.zst"), TraceFormat{});
  ASSERT_TRUE(trace.ok());
  for (uint64_t cap : {48u, 489u, 4897u}) {
    uint64_t floor = misses(*trace, "belady", cap);
    for (const auto& p : edge::cache::policies()) {
      uint64_t m = misses(*trace, std::string(p.name), cap);
      ASSERT_NE(m, UINT64_MAX) << p.name;
      EXPECT_LE(floor, m) << p.name << " at " << cap;
    }
  }
}

TEST(Floor, EveryPolicyRunsInByteMode) {
  // The first 40,000 requests: enough evictions for every policy, quick on a busy machine.
  auto trace = loadTrace(testing::dataPath("cloudPhysicsIO.csv.zst"),
                         TraceFormat{TraceKind::Csv, 2, 5, 4, ',', true}, 40000);
  ASSERT_TRUE(trace.ok()) << trace.error().message;
  const uint64_t cap = trace->workingSetBytes() / 10;
  for (const auto& p : edge::cache::policies()) {
    auto r = simulate(*trace, SimJob{std::string(p.name), cap, SizeMode::Bytes, "0.1"});
    ASSERT_TRUE(r.ok()) << p.name;
    EXPECT_GT(r->missBytes, 0u);
    EXPECT_LT(r->misses, r->requests) << p.name;
  }
}

}  // namespace
}  // namespace cdnlab::sim

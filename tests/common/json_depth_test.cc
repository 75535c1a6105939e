// The stack-free JSON nesting scan that guards recursive parses and Writers of untrusted JSON.
#include "common/json_depth.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace cdnlab {
namespace {

TEST(JsonDepth, CountsBracketsOutsideStrings) {
  EXPECT_FALSE(jsonNestsDeeperThan("[[[]]]", 3));
  EXPECT_TRUE(jsonNestsDeeperThan("[[[[]]]]", 3));
  EXPECT_TRUE(jsonNestsDeeperThan(R"({"a":{"b":[{}]}})", 3));
  // Brackets inside strings, escaped quotes included, do not count.
  EXPECT_FALSE(jsonNestsDeeperThan(R"({"a":"[[[[\"[[[["})", 1));
  EXPECT_TRUE(jsonNestsDeeperThan(R"({"a":"\\","b":[[]]})", 2));
  // Closing brackets bring the depth back; siblings do not add up.
  EXPECT_FALSE(jsonNestsDeeperThan("[[],[],[[]],[]]", 3));
}

TEST(JsonDepth, ScansMegabytesWithoutRecursing) {
  std::string deep(2000000, '[');
  EXPECT_TRUE(jsonNestsDeeperThan(deep, kMaxRecursiveJsonDepth));
  EXPECT_FALSE(jsonNestsDeeperThan(std::string(kMaxRecursiveJsonDepth, '[') + std::string(kMaxRecursiveJsonDepth, ']'),
                                   kMaxRecursiveJsonDepth));
  // A text no longer than the bound cannot nest deeper than it.
  EXPECT_FALSE(jsonNestsDeeperThan(std::string(10, '['), 10));
  EXPECT_TRUE(jsonNestsDeeperThan(std::string(11, '['), 10));
}

// The scan reads sixteen bytes at a time: every character that matters must count at every
// offset in a block and across block ends, as a character-by-character scan counts it.
bool nestsDeeperOneByOne(std::string_view text, int maxDepth) {
  int depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

TEST(JsonDepth, BlockScanAgreesWithACharacterScan) {
  // Near misses of the significant bytes ({ | } [ \ ] " and their case twins ; = ] etc.) too.
  const std::string alphabet = "[]{}\"\\ax;=}{[]|\x7bK[M]\x02\xdb\xfb\xdd";
  std::mt19937 rng(7);
  for (int round = 0; round < 4000; ++round) {
    std::string text(static_cast<size_t>(rng() % 80), ' ');
    for (auto& c : text) c = alphabet[rng() % alphabet.size()];
    for (int maxDepth : {0, 1, 2, 3, 5}) {
      if (text.size() <= static_cast<size_t>(maxDepth)) continue;
      ASSERT_EQ(jsonNestsDeeperThan(text, maxDepth), nestsDeeperOneByOne(text, maxDepth)) << text << " " << maxDepth;
    }
  }
  // A long plain string hides its brackets however the blocks fall.
  for (size_t pad = 0; pad < 40; ++pad) {
    std::string text = "[" + std::string(pad, 'x') + "\"" + std::string(pad, 'y') + "[[\\\"[[\"" + std::string(pad, 'z') + "[[]]]";
    EXPECT_TRUE(jsonNestsDeeperThan(text, 2)) << text;
    EXPECT_FALSE(jsonNestsDeeperThan(text, 3)) << text;
  }
}

}  // namespace
}  // namespace cdnlab

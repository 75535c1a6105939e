// The stack-free JSON nesting scan that guards recursive parses and Writers of untrusted JSON.
#include "common/json_depth.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cdnlab

// Garbage in, error out: random token soups and random bytes through every parser and evaluator.
// A cheap, deterministic cousin of expr_fuzz.cc that runs in CI (and under ASan/UBSan builds).
#include <gtest/gtest.h>

#include <random>

#include "tests/origin/store/expr/expr_test_util.h"

namespace cdnlab::store::expr {
namespace {

using testing::commonNames;
using testing::commonValues;
using testing::mapFromJson;

TEST(RobustnessTest, RandomTokenSoupNeverCrashes) {
  const char* pieces[] = {"a", "b", "#a", "#s", "#nope", ":s", ":one", ":list", ":ss", ":nope", "status", "(", ")",
                          "[", "]", "[0]", "[99]", ",", ".", "=", "<>", "<", "<=", ">", ">=", "+", "-", "AND",
                          "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "size", "contains",
                          "begins_with", "attribute_exists", "attribute_type", "if_not_exists", "list_append",
                          "!", "\xc3\xa9", "\xff", " ", "0", "12"};
  const Item item = mapFromJson(R"({"a": {"L": [{"N": "1"}, {"M": {"b": {"S": "x"}}}]}, "b": {"N": "2"},
                                    "status": {"SS": ["x"]}})");
  const KeySchema schema{{{"a", ValueType::S}}, {{"b", ValueType::N}}};
  uint32_t seed = 20261125;
  std::mt19937 rng(seed);
  std::printf("seed: %u\n", seed);
  size_t parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      text += pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
      if (rng() % 2) text += ' ';
    }
    Placeholders ph(&commonNames(), &commonValues());
    if (auto c = parseCondition(text, ph)) {
      (void)evaluate(*c, item);
      ++parsed;
    }
    if (auto u = parseUpdate(text, ph)) {
      if (auto out = applyUpdate(*u, item)) (void)projectPaths(out->updatedPaths, out->item);
      ++parsed;
    }
    if (auto p = parseProjection(text, ph)) {
      (void)project(*p, item);
      ++parsed;
    }
    if (auto k = parseKeyCondition(text, ph, schema)) {
      (void)k->matchesRange(item.at("b"));
      ++parsed;
    }
    (void)ph.checkUnused();
  }
  EXPECT_GT(parsed, 100u);  // the soup is not all errors: evaluators ran too
}

TEST(RobustnessTest, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  for (int round = 0; round < 5000; ++round) {
    std::string text(rng() % 64, '\0');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    Placeholders ph(&commonNames(), &commonValues());
    (void)parseCondition(text, ph);
    (void)parseUpdate(text, ph);
    (void)parseProjection(text, ph);
    (void)Number::parse(text);
    (void)attributeValueFromJson(text);
  }
}

TEST(RobustnessTest, DeepNestingIsRejectedNotOverflowed) {
  std::string deep(2000, '(');
  deep += "a = :s";
  deep += std::string(2000, ')');
  Placeholders ph(&commonNames(), &commonValues());
  EXPECT_FALSE(parseCondition(deep, ph).ok());
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "NOT ";
  nots += "a = :s";
  EXPECT_FALSE(parseCondition(nots, ph).ok());
  std::string fns = "SET a = ";
  for (int i = 0; i < 500; ++i) fns += "if_not_exists(a, ";
  fns += ":one" + std::string(500, ')');
  EXPECT_FALSE(parseUpdate(fns, ph).ok());
}

// A megabyte of nesting is refused by the 4 KB expression limit before any recursion: without
// that bound the recursive descent would overflow the stack (the depth bound alone is 256 levels
// per call chain, and these inputs are far beyond it in every expression kind).
TEST(RobustnessTest, MegabyteNestingIsRefusedByTheLengthLimit) {
  Placeholders ph(&commonNames(), &commonValues());
  const std::string parens(1000000, '(');
  EXPECT_FALSE(parseCondition(parens + "a = :s", ph).ok());
  EXPECT_FALSE(parseUpdate("SET a = " + parens + ":one", ph).ok());
  EXPECT_FALSE(parseProjection("a" + std::string(500000, '[') + "0", ph).ok());
  std::string nots;
  for (int i = 0; i < 250000; ++i) nots += "NOT ";
  EXPECT_FALSE(parseCondition(nots + "a = :s", ph).ok());
}

}  // namespace
}  // namespace cdnlab::store::expr

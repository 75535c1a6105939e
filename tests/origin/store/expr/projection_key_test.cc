// ProjectionExpression on nested maps and lists, and KeyConditionExpression shapes and ranges.
#include <gtest/gtest.h>

#include "tests/origin/store/expr/expr_test_util.h"

namespace cdnlab::store::expr {
namespace {

using testing::commonNames;
using testing::commonValues;
using testing::mapFromJson;

const char* kItem = R"({
  "pk": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "abc"},
  "l": {"L": [{"S": "a"}, {"M": {"p": {"N": "1"}, "q": {"N": "2"}}}, {"S": "c"}, {"S": "d"}]},
  "m": {"M": {"x": {"N": "1"}, "nest": {"M": {"y": {"S": "deep"}, "z": {"S": "zz"}}}}},
  "status": {"S": "on"}, "a.b": {"S": "dotted"}
})";

TEST(ProjectionTest, ProjectsNestedPaths) {
  const std::pair<const char*, const char*> cases[] = {
      {"pk", R"({"pk":{"S":"k"}})"},
      {"pk, n", R"({"n":{"N":"5"},"pk":{"S":"k"}})"},
      {"m.x", R"({"m":{"M":{"x":{"N":"1"}}}})"},
      {"m.nest.y, m.x", R"({"m":{"M":{"nest":{"M":{"y":{"S":"deep"}}},"x":{"N":"1"}}}})"},
      {"l[2]", R"({"l":{"L":[{"S":"c"}]}})"},
      // List elements keep list order and close the gaps.
      {"l[3], l[0]", R"({"l":{"L":[{"S":"a"},{"S":"d"}]}})"},
      {"l[1].q", R"({"l":{"L":[{"M":{"q":{"N":"2"}}}]}})"},
      {"l[9], absent, m.nah, s.x, n[0]", R"({})"},
      {"#s, #dot", R"({"a.b":{"S":"dotted"},"status":{"S":"on"}})"},
      {"m", R"({"m":{"M":{"nest":{"M":{"y":{"S":"deep"},"z":{"S":"zz"}}},"x":{"N":"1"}}}})"},
  };
  const Item item = mapFromJson(kItem);
  for (const auto& [expression, expected] : cases) {
    Placeholders ph(&commonNames(), &commonValues());
    auto projection = parseProjection(expression, ph);
    ASSERT_TRUE(projection.ok()) << expression << ": " << projection.error().message;
    EXPECT_EQ(toJson(project(*projection, item)), expected) << expression;
  }
}

TEST(ProjectionTest, Errors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "The expression can not be empty;"},
      {"a,", "Syntax error; token: \"<EOF>\", near: \",\""},
      {"a b", "Syntax error; token: \"b\", near: \"a b\""},
      {"a = :one", "Syntax error; token: \"=\", near: \"a =\""},
      // DynamoDB's lexer has read the character after a "!" (for "!=") when it fails.
      {"!!!", "Syntax error; token: \"!\", near: \"!!\""},
      {"!!! INVALID !!!", "Syntax error; token: \"!\", near: \"!!\""},
      {"a, b !x", "Syntax error; token: \"!\", near: \"b !x\""},
      {"status", "Attribute name is a reserved keyword; reserved keyword: status"},
      {"#nope", "An expression attribute name used in the document path is not defined; attribute name: #nope"},
      {"a, a.b", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
      {"a.b, a[0]", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]"},
  };
  for (const auto& [expression, message] : cases) {
    Placeholders ph(&commonNames(), &commonValues());
    auto projection = parseProjection(expression, ph);
    ASSERT_FALSE(projection.ok()) << expression;
    EXPECT_EQ(projection.error().message, std::string("Invalid ProjectionExpression: ") + message) << expression;
  }
}

const KeySchema kStringKeys{{{"pk", ValueType::S}}, {{"sk", ValueType::S}}};
const KeySchema kNumberRange{{{"pk", ValueType::S}}, {{"nk", ValueType::N}}};
const KeySchema kHashOnly{{{"pk", ValueType::S}}, {}};

Result<KeyCondition> key(const char* text, const KeySchema& schema = kStringKeys) {
  Placeholders ph(&commonNames(), &commonValues());
  return parseKeyCondition(text, ph, schema);
}

TEST(KeyConditionTest, AcceptedShapes) {
  struct Case {
    const char* text;
    const KeySchema* schema;
    KeyCondition::RangeOp op;
  };
  const Case cases[] = {
      {"pk = :s", &kStringKeys, KeyCondition::RangeOp::None},
      {"pk = :s", &kHashOnly, KeyCondition::RangeOp::None},
      {"pk = :s AND sk = :a", &kStringKeys, KeyCondition::RangeOp::Eq},
      {"sk < :a AND pk = :s", &kStringKeys, KeyCondition::RangeOp::Lt},
      {":s = pk AND :a < sk", &kStringKeys, KeyCondition::RangeOp::Gt},
      {"pk = :s AND sk <= :a", &kStringKeys, KeyCondition::RangeOp::Le},
      {"pk = :s AND sk >= :a", &kStringKeys, KeyCondition::RangeOp::Ge},
      {"pk = :s AND nk BETWEEN :one AND :ten", &kNumberRange, KeyCondition::RangeOp::Between},
      {"pk = :s AND begins_with(sk, :a)", &kStringKeys, KeyCondition::RangeOp::BeginsWith},
      {"(pk = :s) AND (begins_with(sk, :a))", &kStringKeys, KeyCondition::RangeOp::BeginsWith},
  };
  for (const auto& c : cases) {
    auto k = key(c.text, *c.schema);
    ASSERT_TRUE(k.ok()) << c.text << ": " << k.error().message;
    EXPECT_EQ(k->rangeOp, c.op) << c.text;
    EXPECT_EQ(k->hashValues.at(0).s(), "abc") << c.text;
  }
}

TEST(KeyConditionTest, MatchesRange) {
  auto s = [](const char* v) { return AttributeValue::string(v); };
  auto n = [](int v) { return AttributeValue::number(Number::fromInt(v)); };
  auto between = key("pk = :s AND nk BETWEEN :one AND :ten", kNumberRange);
  ASSERT_TRUE(between.ok());
  EXPECT_TRUE(between->matchesRange(n(1)));
  EXPECT_TRUE(between->matchesRange(n(10)));
  EXPECT_FALSE(between->matchesRange(n(11)));
  EXPECT_FALSE(between->matchesRange(s("5")));
  auto prefix = key("pk = :s AND begins_with(sk, :a)");
  ASSERT_TRUE(prefix.ok());
  EXPECT_TRUE(prefix->matchesRange(s("abc")));
  EXPECT_FALSE(prefix->matchesRange(s("ba")));
  auto flipped = key(":a < sk AND pk = :s");
  ASSERT_TRUE(flipped.ok());
  EXPECT_TRUE(flipped->matchesRange(s("b")));
  EXPECT_FALSE(flipped->matchesRange(s("a")));
  auto none = key("pk = :s");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->matchesRange(s("anything")));
}

TEST(KeyConditionTest, Errors) {
  struct Case {
    const char* text;
    const KeySchema* schema;
    const char* message;
  };
  const Case cases[] = {
      {"", &kStringKeys, "Invalid KeyConditionExpression: The expression can not be empty;"},
      {"pk = ", &kStringKeys, "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\""},
      {"pk = :s OR sk = :a", &kStringKeys, "Invalid operator used in KeyConditionExpression: OR"},
      {"NOT pk = :s", &kStringKeys, "Invalid operator used in KeyConditionExpression: NOT"},
      {"pk IN (:s)", &kStringKeys, "Invalid operator used in KeyConditionExpression: IN"},
      {"pk <> :s", &kStringKeys, "Invalid operator used in KeyConditionExpression: <>"},
      {"pk = :s AND attribute_exists(sk)", &kStringKeys, "Invalid operator used in KeyConditionExpression: attribute_exists"},
      {"pk = :s AND sk = :a AND x = :z", &kStringKeys, "Conditions can be of length 1 or 2 only"},
      {"sk = :a", &kStringKeys, "Query condition missed key schema element: pk"},
      {"pk = :s AND x = :a", &kStringKeys, "Query condition missed key schema element: sk"},
      {"x = :a", &kHashOnly, "Query condition missed key schema element: pk"},
      {"pk < :s", &kStringKeys, "Query key condition not supported"},
      {"begins_with(pk, :s)", &kStringKeys, "Query key condition not supported"},
      {"pk = :s AND pk = :a", &kStringKeys, "KeyConditionExpressions must only contain one condition per key"},
      {"pk = :one", &kStringKeys, "One or more parameter values were invalid: Condition parameter type does not match schema type"},
      {"pk = :s AND nk > :a", &kNumberRange,
       "One or more parameter values were invalid: Condition parameter type does not match schema type"},
      {"pk = :s AND begins_with(nk, :a)", &kNumberRange,
       "One or more parameter values were invalid: Condition parameter type does not match schema type"},
      {"pk = sk", &kStringKeys, "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
      {":s = :a", &kStringKeys, "Invalid condition in KeyConditionExpression: No key attribute specified"},
      {"pk.x = :s", &kStringKeys, "KeyConditionExpressions cannot have conditions on nested attributes"},
      {"pk = :nope", &kStringKeys,
       "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
  };
  for (const auto& c : cases) {
    auto k = key(c.text, *c.schema);
    ASSERT_FALSE(k.ok()) << c.text;
    EXPECT_EQ(k.error().code, kValidationError);
    EXPECT_EQ(k.error().message, c.message) << c.text;
  }
}

}  // namespace
}  // namespace cdnlab::store::expr

// ConditionExpression / FilterExpression: grammar, precedence, every function, DynamoDB's errors.
#include <gtest/gtest.h>

#include "tests/origin/store/expr/expr_test_util.h"

namespace cdnlab::store::expr {
namespace {

using testing::commonNames;
using testing::commonValues;
using testing::mapFromJson;

const Item& sampleItem() {
  static const Item item = mapFromJson(R"({
    "pk": {"S": "k"}, "s": {"S": "abc"}, "n": {"N": "1"}, "big": {"N": "10"},
    "t": {"BOOL": true}, "nul": {"NULL": true}, "b": {"B": "AAEC"},
    "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2", "3"]}, "bs": {"BS": ["AQ=="]},
    "l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"S": "abc"}}}]},
    "m": {"M": {"a": {"N": "1"}, "b": {"L": [{"N": "2"}]}, "a.b": {"S": "dotted"}}},
    "status": {"S": "active"}, "name": {"S": "nm"}, "a.b": {"S": "literal"}
  })");
  return item;
}

Result<Condition> parse(std::string_view text, ExpressionKind kind = ExpressionKind::Condition) {
  Placeholders ph(&commonNames(), &commonValues());
  return parseCondition(text, ph, kind);
}

struct EvalCase {
  const char* expression;
  bool expected;
};

TEST(ConditionTest, EvaluatesAgainstAnItem) {
  const EvalCase cases[] = {
      // comparators
      {"s = :s", true}, {"s <> :s", false}, {"s = :a", false}, {"n = :one", true}, {"n < :two", true},
      {"n <= :one", true}, {"n > :one", false}, {"n >= :one", true}, {":one = n", true}, {":two > n", true},
      {"s > :a", true}, {"s < :z", true}, {"b > :binprefix", true},
      // absent attributes and type mismatches
      {"absent = :s", false}, {"absent <> :s", true}, {"s < :one", false}, {"s <> :one", true},
      {"s = :one", false}, {"t < :one", false}, {"t = :t", true}, {"nul = :null", true},
      {"ss = :ss", true}, {"l = :list", false}, {"m.a = :one", true}, {"l[1] = :one", true},
      {"l[2].deep = :s", true}, {"l[9] = :s", false}, {"m.b[0] = :two", true}, {"s.x = :s", false},
      {"n = :neg", false}, {"n > :neg", true},
      // BETWEEN, IN
      {"n BETWEEN :one AND :ten", true}, {"big BETWEEN :one AND :two", false}, {"big between :one and :ten", true},
      {"s BETWEEN :a AND :z", true}, {"s BETWEEN :one AND :two", false}, {"absent BETWEEN :one AND :two", false},
      {"s IN (:a, :s)", true}, {"s IN (:a, :z)", false}, {"n IN (:one)", true}, {"absent IN (:one)", false},
      // functions
      {"attribute_exists(s)", true}, {"attribute_exists(absent)", false}, {"attribute_not_exists(absent)", true},
      {"attribute_not_exists(s)", false}, {"attribute_exists(m.a)", true}, {"attribute_exists(l[2].deep)", true},
      {"attribute_exists(l[3])", false}, {"attribute_exists(m.b[0])", true}, {"attribute_exists(#dot)", true},
      {"attribute_exists(m.#dot)", true}, {"attribute_exists(m.c)", false},
      {"attribute_type(s, :typeS)", true}, {"attribute_type(n, :typeS)", false}, {"attribute_type(m, :typeM)", true},
      {"attribute_type(absent, :typeS)", false},
      {"begins_with(s, :a)", true}, {"begins_with(s, :z)", false}, {"begins_with(b, :binprefix)", true},
      {"begins_with(n, :a)", false}, {"begins_with(s, :empty)", true}, {"begins_with(absent, :a)", false},
      {"contains(s, :a)", true}, {"contains(s, :z)", false}, {"contains(ss, :x)", true}, {"contains(ss, :s)", false},
      {"contains(ns, :two)", true}, {"contains(ns, :ten)", false}, {"contains(l, :one)", true}, {"contains(l, :x)", true},
      {"contains(l, :two)", false}, {"contains(n, :one)", false}, {"contains(bs, :bin)", false},
      {"size(s) = :three", true}, {"size(l) = :three", true}, {"size(ns) = :three", true}, {"size(m) > :one", true},
      {"size(n) = :one", false}, {"size(absent) < :ten", false}, {"size(b) = :three", true}, {"size(ss) = :two", true},
      {"size(s) BETWEEN :one AND :ten", true}, {"size(l[2]) = :one", true},
      // placeholders for names
      {"#s = :active", true}, {"#n = :s", false}, {"#a = :s", false},
      // precedence: NOT > AND > OR
      {"NOT s = :a AND n = :one", true}, {"s = :a AND n = :two OR n = :one", true},
      {"s = :a AND (n = :two OR n = :one)", false}, {"NOT (s = :s OR n = :two)", false},
      {"s = :s OR n = :two AND s = :a", true}, {"(s = :s OR n = :two) AND s = :a", false},
      {"NOT NOT s = :s", true}, {"not s = :s or n = :one", true}, {"NOT attribute_exists(absent)", true},
      {"(s = :s)", true}, {"((s = :s) AND (n = :one))", true}, {"s=:s AND(n=:one)", true},
      {"n = (:one)", true},
  };
  for (const auto& c : cases) {
    auto cond = parse(c.expression);
    ASSERT_TRUE(cond.ok()) << c.expression << ": " << cond.error().message;
    EXPECT_EQ(evaluate(*cond, sampleItem()), c.expected) << c.expression;
  }
}

TEST(ConditionTest, EmptyItemIsAnAbsentItem) {
  auto cond = parse("attribute_not_exists(pk)");
  ASSERT_TRUE(cond.ok());
  EXPECT_TRUE(evaluate(*cond, Item{}));
  EXPECT_FALSE(evaluate(*cond, sampleItem()));
}

struct ErrorCase {
  const char* expression;
  const char* message;  // after "Invalid ConditionExpression: "
};

TEST(ConditionTest, ErrorsUseDynamoDbWording) {
  std::string tooManyIn = "s IN (";
  for (int i = 0; i < 101; ++i) tooManyIn += (i ? ", :s" : ":s");
  tooManyIn += ")";
  std::string tooLong = "s = :s";
  while (tooLong.size() <= 4096) tooLong += " OR s = :s";
  const std::pair<std::string, std::string> cases[] = {
      {"", "The expression can not be empty;"},
      {"   ", "The expression can not be empty;"},
      {"s = ", "Syntax error; token: \"<EOF>\", near: \"=\""},
      {"foo", "Syntax error; token: \"<EOF>\", near: \"foo\""},
      {"s == :s", "Syntax error; token: \"=\", near: \"==\""},
      {"s = :s AND", "Syntax error; token: \"<EOF>\", near: \"AND\""},
      {"s ! :s", "Syntax error; token: \"!\", near: \"s !\""},
      {"s = :s extra", "Syntax error; token: \"extra\", near: \":s extra\""},
      {"s[x] = :s", "Syntax error; token: \"x\", near: \"[x\""},
      {"s = :s)", "Syntax error; token: \")\", near: \":s)\""},
      {"(s = :s", "Syntax error; token: \"<EOF>\", near: \":s\""},
      {"s IN :s", "Syntax error; token: \":s\", near: \"IN :s\""},
      {"s BETWEEN :one OR :two", "Syntax error; token: \"OR\", near: \":one OR\""},
      {"AND = :s", "Syntax error; token: \"AND\", near: \"AND\""},
      {"s = :s +", "Syntax error; token: \"+\", near: \":s +\""},
      {"l[99999999999] = :s", "Syntax error; token: \"99999999999\", near: \"[99999999999\""},
      {"status = = :s", "Syntax error; token: \"=\", near: \"= =\""},
      {"status = :s", "Attribute name is a reserved keyword; reserved keyword: status"},
      {"m.Name = :s", "Attribute name is a reserved keyword; reserved keyword: Name"},
      {"s = :undefined", "An expression attribute value used in expression is not defined; attribute value: :undefined"},
      {"#undefined = :s", "An expression attribute name used in the document path is not defined; attribute name: #undefined"},
      {"foo(s)", "Invalid function name; function: foo"},
      {"attribute_exists(s, n)",
       "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
      {"attribute_exists(:s)", "Operator or function requires a document path; operator or function: attribute_exists"},
      {"((s = :s))", "The expression has redundant parentheses;"},
      {"s = s", "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [s]"},
      {"begins_with(m.a, m.a)",
       "The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [m, a]"},
      {"begins_with(s, :one)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
      {"attribute_type(s, :typeBad)", "Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
      {"attribute_type(s, :one)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
      {"n BETWEEN :ten AND :one",
       "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}"},
      {"n BETWEEN :one AND :s",
       "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:abc}"},
      {"n < :t", "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
      {"size(s)", "The function is not allowed to be used this way in an expression; function: size"},
      {"s = attribute_exists(n)", "The function is not allowed to be used this way in an expression; function: attribute_exists"},
      {"if_not_exists(s, :s) = :s", "The function is not allowed in a condition expression; function: if_not_exists"},
      {"size(:s) = :one", "Operator or function requires a document path; operator or function: size"},
      {tooManyIn, "The IN operator is provided with too many operands; number of operands: 101"},
      {tooLong, "Expression size has exceeded the maximum allowed size; expression size: " + std::to_string(tooLong.size())},
      // A syntax error anywhere wins over every other problem; parentheses over reserved words.
      {"status = :undefined AND", "Syntax error; token: \"<EOF>\", near: \"AND\""},
      {"((status = :s))", "The expression has redundant parentheses;"},
      {"status = :undefined", "Attribute name is a reserved keyword; reserved keyword: status"},
  };
  for (const auto& [expression, message] : cases) {
    auto cond = parse(expression);
    ASSERT_FALSE(cond.ok()) << expression;
    EXPECT_EQ(cond.error().code, kValidationError);
    EXPECT_EQ(cond.error().message, "Invalid ConditionExpression: " + message) << expression;
  }
}

TEST(ConditionTest, FilterErrorsNameTheirParameter) {
  auto cond = parse("s =", ExpressionKind::Filter);
  ASSERT_FALSE(cond.ok());
  EXPECT_EQ(cond.error().message, "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
}

TEST(ConditionTest, TopLevelNames) {
  auto cond = parse("s = :s AND (m.a = :one OR size(l[1]) > :one) AND #s = :a");
  ASSERT_TRUE(cond.ok());
  EXPECT_EQ(cond->topLevelNames(), (std::vector<std::string>{"s", "m", "l", "status"}));
}

TEST(PlaceholdersTest, UnusedCheckSpansTheRequest) {
  NameMap names = {{"#a", "a"}, {"#b", "b"}};
  ValueMap values = mapFromJson(R"({":x": {"S": "x"}, ":y": {"S": "y"}})");
  {
    Placeholders ph(&names, &values);
    ASSERT_TRUE(parseCondition("#a = :x", ph).ok());
    auto unused = ph.checkUnused();
    ASSERT_FALSE(unused.ok());
    EXPECT_EQ(unused.error().message, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
    ASSERT_TRUE(parseProjection("#b", ph).ok());
    unused = ph.checkUnused();
    ASSERT_FALSE(unused.ok());
    EXPECT_EQ(unused.error().message, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}");
    ASSERT_TRUE(parseUpdate("SET c = :y", ph).ok());
    EXPECT_TRUE(ph.checkUnused().ok());
  }
  {
    Placeholders ph(nullptr, &values);
    ASSERT_TRUE(parseCondition("a = b", ph).ok());
    auto unused = ph.checkUnused();
    ASSERT_FALSE(unused.ok());
    EXPECT_EQ(unused.error().message, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x, :y}");
  }
  {
    Placeholders ph(nullptr, nullptr);
    auto cond = parseCondition("#a = :x", ph);
    ASSERT_FALSE(cond.ok());
    EXPECT_EQ(cond.error().message,
              "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a");
  }
}

TEST(PlaceholdersTest, ValidatesTheMaps) {
  const NameMap goodNames = {{"#a_1", "a"}};
  const ValueMap goodValues = mapFromJson(R"({":v_2": {"S": "x"}})");
  EXPECT_TRUE(Placeholders(&goodNames, &goodValues).validateMaps().ok());
  EXPECT_TRUE(Placeholders(nullptr, nullptr).validateMaps().ok());
  const NameMap emptyNames;
  const ValueMap emptyValues;
  const NameMap badName = {{"a", "a"}};
  const NameMap badName2 = {{"#a-b", "a"}};
  const ValueMap badValue = mapFromJson(R"({"v": {"S": "x"}})");
  const std::pair<Placeholders, const char*> cases[] = {
      {Placeholders(&emptyNames, nullptr), "ExpressionAttributeNames must not be empty"},
      {Placeholders(nullptr, &emptyValues), "ExpressionAttributeValues must not be empty"},
      {Placeholders(&badName, nullptr), "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""},
      {Placeholders(&badName2, nullptr), "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\""},
      {Placeholders(nullptr, &badValue), "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\""},
  };
  for (const auto& [ph, message] : cases) {
    auto r = ph.validateMaps();
    ASSERT_FALSE(r.ok()) << message;
    EXPECT_EQ(r.error().message, message);
  }
}

TEST(ReservedWordsTest, CaseInsensitiveLookup) {
  for (const char* w : {"status", "STATUS", "Name", "size", "ttl", "zone", "abort", "value", "data", "timestamp"}) {
    EXPECT_TRUE(isReservedWord(w)) << w;
  }
  for (const char* w : {"pk", "sk", "statuses", "a", "", "begins_with", "attribute_exists"}) {
    EXPECT_FALSE(isReservedWord(w)) << w;
  }
}

}  // namespace
}  // namespace cdnlab::store::expr

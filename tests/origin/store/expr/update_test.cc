// UpdateExpression: SET (+, -, if_not_exists, list_append), REMOVE, ADD, DELETE on nested paths,
// updated paths for ReturnValues, and DynamoDB's parse and apply errors.
#include <gtest/gtest.h>

#include "tests/origin/store/expr/expr_test_util.h"

namespace cdnlab::store::expr {
namespace {

using testing::commonNames;
using testing::commonValues;
using testing::mapFromJson;

const char* kOld = R"({
  "pk": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "abc"},
  "l": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}]},
  "m": {"M": {"x": {"N": "1"}, "nest": {"M": {"y": {"S": "deep"}}}, "arr": {"L": [{"N": "1"}]}}},
  "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AQ==", "Ag=="]}
})";

Result<UpdateOutcome> run(std::string_view expression, const Item& old) {
  Placeholders ph(&commonNames(), &commonValues());
  auto update = parseUpdate(expression, ph);
  if (!update) return update.error();
  return applyUpdate(*update, old);
}

struct ApplyCase {
  const char* expression;
  const char* changes;  // the attributes that differ from kOld afterwards ({"a": null-ish} not allowed: see removed)
  std::vector<std::string> removed;
};

TEST(UpdateTest, AppliesEveryAction) {
  const ApplyCase cases[] = {
      {"SET s = :x", R"({"s": {"S": "x"}})", {}},
      {"SET newattr = :one", R"({"newattr": {"N": "1"}})", {}},
      {"SET n = n + :one", R"({"n": {"N": "6"}})", {}},
      {"SET n = n - :neg", R"({"n": {"N": "10.5"}})", {}},
      {"SET n = :ten - n", R"({"n": {"N": "5"}})", {}},
      {"SET c = if_not_exists(c, :one) + :two", R"({"c": {"N": "3"}})", {}},
      {"SET n = if_not_exists(n, :ten)", R"({})", {}},
      {"SET l = list_append(l, :list)",
       R"({"l": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}, {"S": "x"}, {"N": "1"}]}})", {}},
      {"SET l = list_append(:list, l)",
       R"({"l": {"L": [{"S": "x"}, {"N": "1"}, {"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}]}})", {}},
      {"SET m.x = :two", R"({"m": {"M": {"x": {"N": "2"}, "nest": {"M": {"y": {"S": "deep"}}}, "arr": {"L": [{"N": "1"}]}}}})", {}},
      {"SET m.nest.z = :s",
       R"({"m": {"M": {"x": {"N": "1"}, "nest": {"M": {"y": {"S": "deep"}, "z": {"S": "abc"}}}, "arr": {"L": [{"N": "1"}]}}}})", {}},
      {"SET l[1] = :x", R"({"l": {"L": [{"S": "a"}, {"S": "x"}, {"S": "c"}, {"S": "d"}]}})", {}},
      // An index beyond the end appends.
      {"SET l[10] = :x", R"({"l": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}, {"S": "x"}]}})", {}},
      {"SET m.arr[0] = m.x + :one",
       R"({"m": {"M": {"x": {"N": "1"}, "nest": {"M": {"y": {"S": "deep"}}}, "arr": {"L": [{"N": "2"}]}}}})", {}},
      // Right-hand sides read the old item: a swap works.
      {"SET n = s, s = n", R"({"n": {"S": "abc"}, "s": {"N": "5"}})", {}},
      {"SET #s = :active", R"({"status": {"S": "active"}})", {}},
      {"REMOVE s", R"({})", {"s"}},
      {"REMOVE s, n, absent", R"({})", {"s", "n"}},
      {"REMOVE m.nest", R"({"m": {"M": {"x": {"N": "1"}, "arr": {"L": [{"N": "1"}]}}}})", {}},
      // Indexes name the old positions: removing [1] and [2] removes b and c.
      {"REMOVE l[1], l[2]", R"({"l": {"L": [{"S": "a"}, {"S": "d"}]}})", {}},
      {"REMOVE l[2], l[1]", R"({"l": {"L": [{"S": "a"}, {"S": "d"}]}})", {}},
      // A missing last element under an existing list or map is no error (m.absent, l[9]).
      {"REMOVE l[9], m.absent", R"({})", {}},
      {"ADD n :two", R"({"n": {"N": "7"}})", {}},
      {"ADD hits :one", R"({"hits": {"N": "1"}})", {}},
      {"ADD ss :ss", R"({})", {}},
      {"ADD ss :s_set", R"({"ss": {"SS": ["abc", "x", "y"]}})", {}},
      {"ADD ns :ns_more", R"({"ns": {"NS": ["1", "2", "3"]}})", {}},
      {"ADD newset :ss", R"({"newset": {"SS": ["x", "y"]}})", {}},
      {"DELETE ss :x_set", R"({"ss": {"SS": ["y"]}})", {}},
      {"DELETE ss :ss", R"({})", {"ss"}},
      {"DELETE ns :ns_more", R"({})", {}},
      {"DELETE bs :bs", R"({"bs": {"BS": ["Ag=="]}})", {}},
      {"DELETE absent :ss", R"({})", {}},
      {"SET a = :one REMOVE s ADD n :one DELETE ss :x_set",
       R"({"a": {"N": "1"}, "n": {"N": "6"}, "ss": {"SS": ["y"]}})", {"s"}},
      {"set a = :one remove s", R"({"a": {"N": "1"}})", {"s"}},
  };
  ValueMap extra = commonValues();
  for (auto& [k, v] : mapFromJson(R"({":s_set": {"SS": ["abc"]}, ":ns_more": {"NS": ["3"]}, ":x_set": {"SS": ["x"]}})")) {
    extra.insert_or_assign(k, v);
  }
  const Item old = mapFromJson(kOld);
  for (const auto& c : cases) {
    Placeholders ph(&commonNames(), &extra);
    auto update = parseUpdate(c.expression, ph);
    ASSERT_TRUE(update.ok()) << c.expression << ": " << update.error().message;
    auto out = applyUpdate(*update, old);
    ASSERT_TRUE(out.ok()) << c.expression << ": " << out.error().message;
    Item expected = old;
    for (auto& [k, v] : mapFromJson(c.changes)) expected.insert_or_assign(k, v);
    for (const auto& r : c.removed) expected.erase(r);
    EXPECT_EQ(toJson(out->item), toJson(expected)) << c.expression;
  }
}

TEST(UpdateTest, ReportsUpdatedPathsForReturnValues) {
  const Item old = mapFromJson(kOld);
  auto out = run("SET m.x = :two, newattr = :one REMOVE s", old);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->updatedPaths.size(), 3u);
  EXPECT_EQ(out->updatedPaths[0].toString(), "m.x");
  // UPDATED_NEW: only the touched nested parts; a removed attribute is absent.
  EXPECT_EQ(toJson(projectPaths(out->updatedPaths, out->item)), R"({"m":{"M":{"x":{"N":"2"}}},"newattr":{"N":"1"}})");
  // UPDATED_OLD: the old values of the same paths.
  EXPECT_EQ(toJson(projectPaths(out->updatedPaths, old)), R"({"m":{"M":{"x":{"N":"1"}}},"s":{"S":"abc"}})");
}

TEST(UpdateTest, ApplyErrors) {
  const Item old = mapFromJson(kOld);
  const std::pair<const char*, const char*> cases[] = {
      {"SET a = absent", "The provided expression refers to an attribute that does not exist in the item"},
      {"SET a = absent + :one", "The provided expression refers to an attribute that does not exist in the item"},
      {"SET absent.b = :one", "The document path provided in the update expression is invalid for update"},
      {"SET s.b = :one", "The document path provided in the update expression is invalid for update"},
      {"SET m[0] = :one", "The document path provided in the update expression is invalid for update"},
      {"SET absent[0] = :one", "The document path provided in the update expression is invalid for update"},
      // REMOVE needs the parent too, and of the right type.
      {"REMOVE absent.x", "The document path provided in the update expression is invalid for update"},
      {"REMOVE s.x", "The document path provided in the update expression is invalid for update"},
      {"REMOVE m[0]", "The document path provided in the update expression is invalid for update"},
      {"SET n = s + :one", "An operand in the update expression has an incorrect data type"},
      {"SET l = list_append(l, s)", "An operand in the update expression has an incorrect data type"},
      {"ADD s :one", "An operand in the update expression has an incorrect data type"},
      {"ADD ss :ns", "An operand in the update expression has an incorrect data type"},
      {"ADD n :ss", "An operand in the update expression has an incorrect data type"},
      {"DELETE ns :ss", "An operand in the update expression has an incorrect data type"},
      {"DELETE s :ss", "An operand in the update expression has an incorrect data type"},
      {"ADD absent.x :one", "The document path provided in the update expression is invalid for update"},
      {"SET n = :big + :big", "Number overflow. Attempting to store a number with magnitude larger than supported range"},
      {"ADD n :precise", "Attempting to store more than 38 significant digits in a Number"},
  };
  ValueMap values = commonValues();
  for (auto& [k, v] : mapFromJson(R"({":big": {"N": "9E+125"}, ":precise": {"N": "0.12345678901234567890123456789012345678"}})")) {
    values.insert_or_assign(k, v);
  }
  for (const auto& [expression, message] : cases) {
    Placeholders ph(&commonNames(), &values);
    auto update = parseUpdate(expression, ph);
    ASSERT_TRUE(update.ok()) << expression << ": " << update.error().message;
    auto out = applyUpdate(*update, old);
    ASSERT_FALSE(out.ok()) << expression;
    EXPECT_EQ(out.error().code, kValidationError);
    EXPECT_EQ(out.error().message, message) << expression;
  }
}

TEST(UpdateTest, ParseErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "The expression can not be empty;"},
      {"s = :one", "Syntax error; token: \"s\", near: \"s\""},
      {"SET", "Syntax error; token: \"<EOF>\", near: \"SET\""},
      {"SET a", "Syntax error; token: \"<EOF>\", near: \"a\""},
      {"SET a = :one,", "Syntax error; token: \"<EOF>\", near: \",\""},
      {"SET a = :one b = :two", "Syntax error; token: \"b\", near: \":one b\""},
      {"SET a = :one + :two + :three", "Syntax error; token: \"+\", near: \":two +\""},
      {"ADD a b", "Syntax error; token: \"b\", near: \"a b\""},
      {"REMOVE a = :one", "Syntax error; token: \"=\", near: \"a =\""},
      {"SET a = :one SET b = :two", "The \"SET\" section can only be used once in an update expression;"},
      {"remove a REMOVE b", "The \"REMOVE\" section can only be used once in an update expression;"},
      {"SET a = :one REMOVE a", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
      {"SET a.b = :one, a = :two", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"},
      {"SET a[1] = :one REMOVE a.b", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, b]"},
      {"SET status = :one", "Attribute name is a reserved keyword; reserved keyword: status"},
      {"SET a = :undefined", "An expression attribute value used in expression is not defined; attribute value: :undefined"},
      {"SET #undefined = :one", "An expression attribute name used in the document path is not defined; attribute name: #undefined"},
      {"SET a = foo(b)", "Invalid function name; function: foo"},
      {"SET a = size(b)", "The function is not allowed in an update expression; function: size"},
      {"SET a = if_not_exists(:one, :two)", "Operator or function requires a document path; operator or function: if_not_exists"},
      {"SET a = if_not_exists(a)", "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"},
      {"SET a = list_append(:one, b)", "Incorrect operand type for operator or function; operator or function: list_append, operand type: N"},
      {"SET a = b + :s", "Incorrect operand type for operator or function; operator or function: +, operand type: S"},
      {"ADD a :s", "Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
      {"ADD a :list", "Incorrect operand type for operator or function; operator: ADD, operand type: LIST"},
      {"DELETE a :one", "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"},
      {"DELETE a :map", "Incorrect operand type for operator or function; operator: DELETE, operand type: MAP"},
  };
  for (const auto& [expression, message] : cases) {
    Placeholders ph(&commonNames(), &commonValues());
    auto update = parseUpdate(expression, ph);
    ASSERT_FALSE(update.ok()) << expression;
    EXPECT_EQ(update.error().message, std::string("Invalid UpdateExpression: ") + message) << expression;
  }
}

TEST(UpdateTest, TargetPaths) {
  Placeholders ph(&commonNames(), &commonValues());
  auto update = parseUpdate("SET #a.b = :one REMOVE c[2] ADD d :one", ph);
  ASSERT_TRUE(update.ok());
  auto paths = update->targetPaths();
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_EQ(paths[0].topLevel(), "a");
  EXPECT_EQ(paths[0].toString(), "a.b");
  EXPECT_EQ(paths[1].toString(), "c[2]");
}

}  // namespace
}  // namespace cdnlab::store::expr

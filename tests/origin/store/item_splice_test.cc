// UpdateItem's splice of top-level SETs into the stored JSON: for every kind of stored value and
// every place a SET can land, the spliced record, both sizes and the replaced values must be
// exactly what the general path (parse -> applyUpdate -> toJson, itemSize) gives.
#include "origin/store/item_splice.h"

#include <gtest/gtest.h>

#include "origin/store/expr/expr.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"

namespace cdnlab::store {
namespace {

AttributeMap mapOf(const std::string& json) {
  auto m = attributeMapFromJson(json);
  EXPECT_TRUE(m.ok()) << json;
  return m.ok() ? *m : AttributeMap{};
}

// Every type, names that sort around each other, strings with escapes and multi-byte UTF-8.
const char* kStoredItem = R"({
  "b": {"B": "AAEC"}, "b1": {"B": "AA=="}, "b2": {"B": "AAE="},
  "bool": {"BOOL": false}, "bs": {"BS": ["AQ==", "Ag=="]},
  "id": {"S": "user1"}, "l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"k": {"S": "v"}}}]},
  "m": {"M": {"a": {"N": "1.50"}, "z": {"SS": ["p", "q"]}}},
  "n": {"N": "-00012.3400"}, "nul": {"NULL": true}, "ns": {"NS": ["3", "1e2"]},
  "s": {"S": "quote \" slash \\ tab \t ctl \u0001 del \u007f"},
  "ss": {"SS": ["b", "a"]}, "u": {"S": "h\u00e9llo \u4e16\u754c \ud83d\ude00"},
  "\u00e9": {"S": "non-ASCII name"}, "zz": {"N": "0"}
})";

struct Case {
  const char* expression;
  const char* values;
};

class ItemSplice : public ::testing::TestWithParam<Case> {};

TEST_P(ItemSplice, MatchesTheGeneralPathByteForByte) {
  const Case& c = GetParam();
  Item old = mapOf(kStoredItem);
  std::string stored = toJson(old);
  expr::ValueMap values = mapOf(c.values);
  expr::NameMap names = {{"#e", "\xc3\xa9"}, {"#q", "we\"ird"}};
  expr::Placeholders ph(&names, &values);
  auto update = expr::parseUpdate(c.expression, ph);
  ASSERT_TRUE(update.ok()) << c.expression;
  auto general = expr::applyUpdate(*update, old);
  ASSERT_TRUE(general.ok());

  auto sets = topLevelConstantSets(*update);
  ASSERT_TRUE(sets.has_value()) << c.expression;
  auto spliced = spliceTopLevelSets(stored, *sets);
  ASSERT_TRUE(spliced.has_value()) << c.expression;
  EXPECT_EQ(spliced->json, toJson(general->item)) << c.expression;
  EXPECT_EQ(spliced->oldSize, itemSize(old));
  EXPECT_EQ(spliced->newSize, itemSize(general->item));

  // UPDATED_OLD: the replaced attributes, as the general path projects them from the old item.
  Item replaced;
  for (const auto& r : spliced->replaced) {
    auto v = attributeValueFromJson(r.json);
    ASSERT_TRUE(v.ok()) << r.json;
    replaced.emplace(std::string(r.name), *v);
  }
  EXPECT_EQ(toJson(replaced), toJson(expr::projectPaths(general->updatedPaths, old)));
}

INSTANTIATE_TEST_SUITE_P(
    EveryPlacement, ItemSplice,
    ::testing::Values(
        Case{"SET s = :v", R"({":v": {"S": "new"}})"},                        // replace a middle member
        Case{"SET a = :v", R"({":v": {"N": "7"}})"},                          // before the first
        Case{"SET zzz = :v", R"({":v": {"BOOL": true}})"},                    // after the last
        Case{"SET b0 = :v", R"({":v": {"B": "AQID"}})"},                      // between b and b1
        Case{"SET #e = :v", R"({":v": {"S": "x"}})"},                         // a non-ASCII name
        Case{"SET #q = :v", R"({":v": {"S": "x"}})"},                         // a name the writer escapes
        Case{"SET n = :v", R"({":v": {"N": "000.100"}})"},                    // a number normalised
        Case{"SET s = :v", R"({":v": {"S": "tab\tquote\"nl\n\u0002"}})"},     // a value the writer escapes
        Case{"SET zz = :a, b = :b, m = :c, x = :d",
             R"({":a": {"S": ""}, ":b": {"NULL": true}, ":c": {"M": {"y": {"L": []}}}, ":d": {"NS": ["2", "1"]}})"},
        Case{"SET u = :v, l = :w", R"({":v": {"SS": ["z", "y"]}, ":w": {"BS": ["AQ=="]}})"}));

std::optional<SplicedItem> spliceOne(std::string_view stored) {
  static const AttributeValue v = AttributeValue::string("x");
  return spliceTopLevelSets(stored, {TopLevelSet{"f", &v}});
}

TEST(ItemSpliceDeclines, TextNotInTheStoredForm) {
  EXPECT_TRUE(spliceOne(R"({"a":{"S":"1"},"g":{"N":"2"}})").has_value());
  EXPECT_TRUE(spliceOne("{}").has_value());
  auto escaped = spliceOne(R"({"a":{"S":"\\"},"b":{"S":"x\\\"}"},"z":{"S":"\"}"}})");  // quotes and backslashes in values
  ASSERT_TRUE(escaped.has_value());
  EXPECT_EQ(escaped->json, R"({"a":{"S":"\\"},"b":{"S":"x\\\"}"},"f":{"S":"x"},"z":{"S":"\"}"}})");
  EXPECT_EQ(escaped->oldSize, 1u + 1 + 1 + 4 + 1 + 2);  // a: \\, b: x\\"}, z: "}
  EXPECT_EQ(spliceOne("{}")->json, R"({"f":{"S":"x"}})");
  for (const char* bad : {
           R"({"g":{"S":"1"},"a":{"S":"2"}})",     // out of order
           R"({"a":{"S":"1"},"a":{"S":"2"}})",     // a repeated name
           R"({"a\"b":{"S":"1"}})",                // an escaped name
           R"({"a":{"S":"1"})",                    // truncated
           R"({"a":{"S":"1"},})",                  // trailing comma
           R"({"a":{"S":"1"}} )",                  // trailing bytes
           R"({"a":"plain"})",                     // not an AttributeValue
           R"({"a":{"S":"1)",                      // unterminated string
           R"({"a":{"N":"abc"}})",                 // not a number
           R"({"a":{"B":"AAE"}})",                 // base64 of a wrong length
           R"({"a":{"M":{"b":{"S":"1"}})",         // unbalanced
           R"({"a":{"S":"\u4e16"}})",              // a \u escape our writer never writes
           "", "{", "[]", "nonsense"}) {
    EXPECT_FALSE(spliceOne(bad).has_value()) << bad;
  }
}

TEST(ItemSpliceDeclines, UpdatesOtherThanTopLevelConstantSets) {
  expr::ValueMap values = mapOf(R"({":v": {"N": "1"}, ":l": {"L": []}, ":set": {"SS": ["x"]}})");
  for (const char* e : {"SET a.b = :v", "SET a[0] = :v", "SET a = a + :v", "SET a = if_not_exists(a, :v)",
                        "SET a = list_append(a, :l)", "SET a = b", "SET a = :v REMOVE b", "ADD a :v",
                        "REMOVE a", "DELETE a :set"}) {
    expr::Placeholders ph(nullptr, &values);
    auto update = expr::parseUpdate(e, ph);
    ASSERT_TRUE(update.ok()) << e;
    EXPECT_FALSE(topLevelConstantSets(*update).has_value()) << e;
  }
  expr::Placeholders ph(nullptr, &values);
  auto both = expr::parseUpdate("SET b = :v, a = :v", ph);  // the sets' names point into it
  ASSERT_TRUE(both.ok());
  auto sorted = topLevelConstantSets(*both);
  ASSERT_TRUE(sorted.has_value());
  ASSERT_EQ(sorted->size(), 2u);
  EXPECT_EQ((*sorted)[0].name, "a");
  EXPECT_EQ((*sorted)[1].name, "b");
}

TEST(StoredItemSize, EqualsTheModelsSizeOrDeclines) {
  Item item = mapOf(kStoredItem);
  auto size = storedItemSize(toJson(item));
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(*size, itemSize(item));
  EXPECT_EQ(storedItemSize("{}"), std::optional<size_t>(0));
  EXPECT_FALSE(storedItemSize(R"({"b":{"S":"1"},"a":{"S":"2"}})").has_value());
  EXPECT_FALSE(storedItemSize(R"({"a":{"S":"1"})").has_value());
}

TEST(StoredValueSize, EqualsTheModelsSize) {
  for (const char* v : {R"({"S":""})", R"({"S":"a\"b\\c\n\u0001"})", R"({"S":"ends in a backslash\\"})", R"({"S":"\\\""})", "{\"S\":\"\xc3\xa9\xe4\xb8\x96\"}",
                        R"({"N":"0"})", R"({"N":"-123.456"})", R"({"N":"1E+10"})", R"({"B":""})",
                        R"({"B":"AA=="})", R"({"B":"AAE="})", R"({"B":"AAEC"})", R"({"BOOL":true})",
                        R"({"NULL":true})", R"({"M":{"a":{"N":"1"}}})", R"({"L":[{"S":"x"}]})", R"({"SS":["a","bc"]})",
                        R"({"NS":["1","22"]})", R"({"BS":["AQ=="]})"}) {
    auto model = attributeValueFromJson(v);
    ASSERT_TRUE(model.ok()) << v;
    auto size = storedValueSize(toJson(*model));
    ASSERT_TRUE(size.has_value()) << v;
    EXPECT_EQ(*size, valueSize(*model)) << v;
  }
}

}  // namespace
}  // namespace cdnlab::store

// Binding and planning PartiQL statements (origin/store/partiql/bind.h, plan.h): parameters, the
// operand-type check DynamoDB makes before it resolves the table, the lowering onto the
// condition evaluator (so PartiQL's = and ConditionExpression's = agree), and which statements
// pin a key (GetItem / Query) and which scan.
#include <gtest/gtest.h>

#include "origin/store/model/json.h"
#include "origin/store/partiql/bind.h"
#include "origin/store/partiql/parser.h"
#include "origin/store/partiql/plan.h"

namespace cdnlab::store::partiql {
namespace {

AttributeValue val(const char* json) { return attributeValueFromJson(json).value(); }
Item item(const char* json) { return attributeMapFromJson(json).value(); }

Result<Bound> bindText(std::string_view text, std::vector<AttributeValue> params = {}) {
  auto s = parseStatement(text);
  EXPECT_TRUE(s.ok()) << text;
  if (!s) return s.error();
  return bindStatement(*s, params);
}

bool holds(std::string_view text, const Item& it, std::vector<AttributeValue> params = {}) {
  auto b = bindText(text, std::move(params));
  EXPECT_TRUE(b.ok()) << text << ": " << (b.ok() ? "" : b.error().message);
  return b.ok() && b->where && expr::evaluate(*b->where, it);
}

const expr::KeySchema kHashRange{{{"pk", ValueType::S}}, {{"sk", ValueType::N}}};
const expr::KeySchema kHash{{{"pk", ValueType::S}}, {}};

TEST(PartiqlPlanTest, ParametersFillTheirSlotsAndMustMatchInNumber) {
  auto b = bindText("INSERT INTO t VALUE {'pk': ?, 'v': ?}", {val(R"({"S":"k"})"), val(R"({"NS":["1","2"]})")});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->value.at("pk").s(), "k");
  EXPECT_TRUE(b->value.at("v").is(ValueType::NS));
  auto few = bindText("SELECT * FROM t WHERE pk = ?", {});
  ASSERT_FALSE(few.ok());
  EXPECT_EQ(few.error().message, "Number of parameters in request and statement don't match.");
  EXPECT_FALSE(bindText("SELECT * FROM t WHERE pk = 'a'", {val(R"({"S":"k"})")}).ok());
}

TEST(PartiqlPlanTest, OrderingOperatorsRefuseUnorderedOperandsAsWritten) {
  const char* unordered[] = {R"({"BOOL":true})", R"({"NULL":true})", R"({"L":[]})", R"({"M":{}})",
                             R"({"SS":["a"]})", R"({"NS":["1"]})", R"({"BS":["AQ=="]})"};
  for (const char* v : unordered) {
    auto b = bindText("SELECT * FROM t WHERE a < ?", {val(v)});
    ASSERT_FALSE(b.ok()) << v;
    EXPECT_TRUE(b.error().message.starts_with("Incorrect operand type for operator or function; operator or function: <, operand type: "))
        << b.error().message;
  }
  auto ge = bindText("SELECT * FROM t WHERE a >= true");
  ASSERT_FALSE(ge.ok());
  EXPECT_EQ(ge.error().message, "Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL");
  auto between = bindText("SELECT * FROM t WHERE a BETWEEN ? AND ?", {val(R"({"BOOL":true})"), val(R"({"BOOL":false})")});
  ASSERT_FALSE(between.ok());
  EXPECT_NE(between.error().message.find("operator or function: BETWEEN"), std::string::npos);
  // Equality takes any type; S against N is an ordering that is merely false.
  EXPECT_TRUE(bindText("SELECT * FROM t WHERE a = ? AND b <> ?", {val(R"({"BOOL":true})"), val(R"({"M":{}})")}).ok());
  EXPECT_TRUE(bindText("SELECT * FROM t WHERE a < 5", {}).ok());
}

TEST(PartiqlPlanTest, EqualityComparesSetsAndMapsByContentAndListsInOrder) {
  Item it = item(R"({"ss":{"SS":["a","b","c"]},"m":{"M":{"x":{"N":"1"},"y":{"N":"2"}}},"l":{"L":[{"S":"a"},{"S":"b"}]},"n":{"NULL":true}})");
  EXPECT_TRUE(holds("SELECT * FROM t WHERE ss = <<'c', 'a', 'b'>>", it));
  EXPECT_TRUE(holds("SELECT * FROM t WHERE m = {'y': 2, 'x': 1}", it));
  EXPECT_TRUE(holds("SELECT * FROM t WHERE l = ['a', 'b']", it));
  EXPECT_FALSE(holds("SELECT * FROM t WHERE l = ['b', 'a']", it));
  EXPECT_TRUE(holds("SELECT * FROM t WHERE l <> ['b', 'a']", it));
  EXPECT_TRUE(holds("SELECT * FROM t WHERE n = NULL", it));
  EXPECT_TRUE(holds("SELECT * FROM t WHERE gone IS MISSING AND ss IS NOT MISSING", it));
  EXPECT_TRUE(holds("SELECT * FROM t WHERE contains(ss, 'b') AND size(l) = 2 AND NOT (m = {})", it));
  EXPECT_TRUE(holds("SELECT * FROM t WHERE attribute_type(ss, 'SS') AND l[1] IN ['z', 'b']", it));
}

TEST(PartiqlPlanTest, FullKeyIsAGetPartitionKeyAQueryAnythingElseAScan) {
  auto keys = [](std::string_view text, const expr::KeySchema& schema) {
    auto b = bindText(text);
    EXPECT_TRUE(b.ok()) << text;
    return analyzeKeys(b->where, schema);
  };
  auto get = keys("SELECT * FROM t WHERE sk = 3 AND pk = 'a' AND v > 1", kHashRange);
  EXPECT_TRUE(get.fullKey);
  EXPECT_EQ(get.key.at("sk").n().toString(), "3");
  EXPECT_EQ(get.restNames, std::vector<std::string>{"v"});

  auto query = keys("SELECT * FROM t WHERE pk = 'a' AND sk BETWEEN 1 AND 5", kHashRange);
  EXPECT_FALSE(query.fullKey);
  ASSERT_TRUE(query.hash);
  EXPECT_EQ(query.range.rangeOp, expr::KeyCondition::RangeOp::Between);
  auto flipped = keys("SELECT * FROM t WHERE 'a' = pk AND 4 > sk", kHashRange);
  EXPECT_EQ(flipped.range.rangeOp, expr::KeyCondition::RangeOp::Lt);

  EXPECT_FALSE(keys("SELECT * FROM t WHERE pk = 'a' OR pk = 'b'", kHashRange).hash);  // OR pins nothing
  EXPECT_FALSE(keys("SELECT * FROM t WHERE pk = 1", kHash).hash);                      // another type: a scan
  EXPECT_FALSE(keys("SELECT * FROM t WHERE NOT pk = 'a'", kHash).hash);
  EXPECT_TRUE(keys("SELECT * FROM t WHERE pk = 'a'", kHash).fullKey);
  // IN names the partition key (a keyed read for the index projection check) but pins no key.
  auto in = keys("SELECT * FROM t WHERE pk IN ['a', 'b'] AND v = 1", kHash);
  EXPECT_TRUE(in.keyed);
  EXPECT_FALSE(in.hash);
  EXPECT_FALSE(keys("SELECT * FROM t WHERE v = 1", kHash).keyed);
}

TEST(PartiqlPlanTest, UpdateActionsLowerOntoTheUpdateEvaluator) {
  auto b = bindText("UPDATE t SET n = n + 1, l = list_append(l, [3]), s = set_add(s, <<'z'>>), d = set_delete(d, <<1>>) "
                    "REMOVE gone WHERE pk = 'a'");
  ASSERT_TRUE(b.ok()) << b.error().message;
  Item it = item(R"({"pk":{"S":"a"},"n":{"N":"1"},"l":{"L":[{"N":"1"}]},"s":{"SS":["y"]},"d":{"NS":["1","2"]},"gone":{"S":"x"}})");
  auto out = expr::applyUpdate(b->update, it);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->item.at("n").n().toString(), "2");
  EXPECT_EQ(out->item.at("l").l().size(), 2u);
  EXPECT_EQ(out->item.at("s").ss(), (std::vector<std::string>{"y", "z"}));
  EXPECT_EQ(out->item.at("d").ns().size(), 1u);
  EXPECT_FALSE(out->item.contains("gone"));
  EXPECT_FALSE(bindText("UPDATE t SET a = set_add(b, <<'z'>>) WHERE pk = 'a'").ok());  // another attribute
}

TEST(PartiqlPlanTest, InsertTakesOneMapAndSetsMustBeHomogeneous) {
  EXPECT_FALSE(bindText("INSERT INTO t VALUE 'x'").ok());
  EXPECT_FALSE(bindText("INSERT INTO t VALUE {'pk': 'a', 's': <<1, 'b'>>}").ok());
  EXPECT_FALSE(bindText("INSERT INTO t VALUE {'pk': 'a', 's': <<'b', 'b'>>}").ok());
  EXPECT_FALSE(bindText("INSERT INTO t VALUE {'pk': MISSING}").ok());
}

}  // namespace
}  // namespace cdnlab::store::partiql

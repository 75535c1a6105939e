// Plans of UpdateItem's field updates (field_update_plan.h): which texts get one, how a plan is
// resolved against a request's placeholders, and the per-thread cache's bound. That a cached plan
// answers as the parser does, request by request, is in update_item_fast_test.cc.
#include "origin/store/field_update_plan.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace cdnlab::store {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

TEST(FieldUpdatePlan, TokensOfTopLevelSetsOfPlaceholders) {
  auto p = planFieldUpdate("SET field3 = :v");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sets, (Sets{{"field3", ":v"}}));
  p = planFieldUpdate("  set #f=:v,b = :w ,\t#g= :v ");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sets, (Sets{{"#f", ":v"}, {"b", ":w"}, {"#g", ":v"}}));
  EXPECT_TRUE(planFieldUpdate("SeT a = :a"));
}

TEST(FieldUpdatePlan, NoPlanForAnyOtherForm) {
  for (const char* text : {"", "SET", "SET a", "SET a =", "SET a = :v,", "SET a = :v b = :w", "SET a.b = :v",
                           "SET a[0] = :v", "SET a = :v + :w", "SET a = if_not_exists(a, :v)", "SET a = b",
                           "SET a = :v REMOVE b", "REMOVE a", "ADD a :v", "SETT a = :v", "SET a = :v SET b = :w",
                           "SET :v = a", "SET a = #v", "SET a == :v", "SET (a) = :v"}) {
    EXPECT_FALSE(planFieldUpdate(text)) << text;
  }
}

UpdateItemRequestView request(std::vector<LeanJsonCursor::Pair> names, std::vector<LeanJsonCursor::Pair> values) {
  UpdateItemRequestView r;
  for (const auto& n : names) r.names[r.nameCount++] = n;
  for (const auto& v : values) r.values[r.valueCount++] = v;
  return r;
}

TEST(FieldUpdatePlan, ResolvesAgainstTheRequestsPlaceholdersInNameOrder) {
  auto plan = planFieldUpdate("SET zeta = :v, #f = :w, alpha = :v");
  ASSERT_TRUE(plan);
  auto req = request({{"#f", "mid"}}, {{":v", "one"}, {":w", "two"}});
  std::vector<AttributeValue> values;
  std::vector<TopLevelSet> sets;
  ASSERT_TRUE(resolveFieldUpdate(*plan, req, values, sets));
  ASSERT_EQ(sets.size(), 3u);
  EXPECT_EQ(sets[0].name, "alpha");
  EXPECT_EQ(*sets[0].value, AttributeValue::string("one"));
  EXPECT_EQ(sets[1].name, "mid");
  EXPECT_EQ(*sets[1].value, AttributeValue::string("two"));
  EXPECT_EQ(sets[2].name, "zeta");
  EXPECT_EQ(*sets[2].value, AttributeValue::string("one"));
}

TEST(FieldUpdatePlan, DeclinesUndefinedUnusedAndOverlappingPlaceholders) {
  auto plan = planFieldUpdate("SET #f = :v, b = :w");
  ASSERT_TRUE(plan);
  std::vector<AttributeValue> values;
  std::vector<TopLevelSet> sets;
  const std::vector<UpdateItemRequestView> declined = {
      request({}, {{":v", "1"}, {":w", "2"}}),                              // #f undefined
      request({{"#f", "a"}}, {{":v", "1"}}),                                // :w undefined
      request({{"#f", "a"}, {"#g", "c"}}, {{":v", "1"}, {":w", "2"}}),      // #g unused
      request({{"#f", "a"}}, {{":v", "1"}, {":w", "2"}, {":x", "3"}}),      // :x unused
      request({{"#f", "b"}}, {{":v", "1"}, {":w", "2"}}),                   // #f is b: two SETs of b
  };
  for (const auto& req : declined) EXPECT_FALSE(resolveFieldUpdate(*plan, req, values, sets));
  EXPECT_TRUE(resolveFieldUpdate(*plan, request({{"#f", "a"}}, {{":v", "1"}, {":w", "2"}}), values, sets));
}

TEST(FieldUpdatePlans, KeptPerThreadAndBounded) {
  FieldUpdatePlans& plans = FieldUpdatePlans::forThisThread();
  plans.insert("SET a = :v", *planFieldUpdate("SET a = :v"));
  ASSERT_NE(plans.find("SET a = :v"), nullptr);
  EXPECT_EQ(plans.find("SET a = :v")->sets, (Sets{{"a", ":v"}}));
  EXPECT_EQ(plans.find("SET b = :v"), nullptr);
  std::thread([] { EXPECT_EQ(FieldUpdatePlans::forThisThread().find("SET a = :v"), nullptr); }).join();
  for (size_t i = 0; i < 3 * FieldUpdatePlans::kMaxPlans; ++i) {
    std::string text = "SET f" + std::to_string(i) + " = :v";
    plans.insert(text, *planFieldUpdate(text));
    EXPECT_LE(plans.size(), FieldUpdatePlans::kMaxPlans);
    EXPECT_NE(plans.find(text), nullptr);
  }
}

}  // namespace
}  // namespace cdnlab::store

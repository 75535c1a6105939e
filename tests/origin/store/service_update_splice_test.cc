// UpdateItem's splice path end to end through the Service: the same updates on a plain table (the
// splice applies) and on a table with a stream (the stream record needs both items as maps, so
// the general path runs) must answer byte for byte alike, store the same item and count the same
// table size, for every ReturnValues and with consumed capacity.
#include <string>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

class ServiceUpdateSplice : public StoreFixture {
 protected:
  // Both names have four characters so that answers compare after swapping the name.
  static constexpr const char* kFast = "Fast";
  static constexpr const char* kSlow = "Strm";

  void SetUp() override {
    StoreFixture::SetUp();
    const std::string schema = R"(","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST")";
    ok("CreateTable", std::string(R"({"TableName":")") + kFast + schema + "}");
    ok("CreateTable", std::string(R"({"TableName":")") + kSlow + schema +
                          R"(,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}})");
  }

  // Runs `body` (with TABLE for the table name) on both tables; returns the fast table's answer
  // after checking the other's is the same.
  Reply both(const std::string& op, const std::string& body) {
    auto on = [&](const char* table) {
      std::string b = body;
      for (size_t p; (p = b.find("TABLE")) != std::string::npos;) b.replace(p, 5, table);
      return call(op, b);
    };
    Reply fast = on(kFast);
    Reply slow = on(kSlow);
    std::string slowBody = slow.body;
    for (size_t p; (p = slowBody.find(kSlow)) != std::string::npos;) slowBody.replace(p, 4, kFast);
    EXPECT_EQ(fast.status, slow.status) << body;
    EXPECT_EQ(fast.body, slowBody) << body;
    return fast;
  }

  int64_t tableSize(const char* table) {
    Reply d = ok("DescribeTable", std::string(R"({"TableName":")") + table + R"("})");
    return d["Table"]["TableSizeBytes"].GetInt64();
  }
};

TEST_F(ServiceUpdateSplice, EveryReturnValuesAnswersAsTheGeneralPath) {
  both("PutItem", R"({"TableName":"TABLE","Item":{"id":{"S":"k"},"b":{"N":"1.50"},"m":{"M":{"x":{"SS":["b","a"]}}},"z":{"S":"old \"z\""}}})");
  int round = 0;
  for (const char* rv : {"NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"}) {
    const std::string v = std::to_string(++round);
    Reply r = both("UpdateItem", std::string(R"({"TableName":"TABLE","Key":{"id":{"S":"k"}},)") +
                                     R"("UpdateExpression":"SET z = :z, a = :a, #c = :c","ExpressionAttributeNames":{"#c":"c\ttab"},)" +
                                     R"("ExpressionAttributeValues":{":z":{"S":"z)" + v + R"("},":a":{"N":"0)" + v +
                                     R"(.0"},":c":{"L":[{"BOOL":true},{"NULL":true}]}},"ReturnValues":")" + rv +
                                     R"(","ReturnConsumedCapacity":"TOTAL"})");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.has("ConsumedCapacity")) << r.body;
    EXPECT_EQ(r.has("Attributes"), std::string(rv) != "NONE") << rv << ": " << r.body;
    Reply g = both("GetItem", R"({"TableName":"TABLE","Key":{"id":{"S":"k"}}})");
    EXPECT_EQ(json(g["Item"]["a"]), R"({"N":")" + v + R"("})") << g.body;  // normalised as DynamoDB does
  }
  // UPDATED_OLD of an attribute the item did not have: no Attributes at all.
  Reply fresh = both("UpdateItem", R"({"TableName":"TABLE","Key":{"id":{"S":"k"}},"UpdateExpression":"SET brand_new = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValues":"UPDATED_OLD"})");
  EXPECT_FALSE(fresh.has("Attributes")) << fresh.body;
  EXPECT_EQ(tableSize(kFast), tableSize(kSlow));
}

TEST_F(ServiceUpdateSplice, CapacityAndSizeFollowTheLargerItem) {
  const std::string big(3000, 'x');
  both("PutItem", R"({"TableName":"TABLE","Item":{"id":{"S":"k"},"f":{"S":")" + big + R"("}}})");
  // Shrinking a 3 KB item costs the old item's 3 write units.
  Reply r = both("UpdateItem", R"({"TableName":"TABLE","Key":{"id":{"S":"k"}},"UpdateExpression":"SET f = :v","ExpressionAttributeValues":{":v":{"S":"small"}},"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(r["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 3.0) << r.body;
  EXPECT_EQ(tableSize(kFast), tableSize(kSlow));
  EXPECT_EQ(tableSize(kFast), static_cast<int64_t>(std::string("id").size() + 1 + std::string("f").size() + 5));
}

TEST_F(ServiceUpdateSplice, TooLargeAnUpdateIsRefusedAndChangesNothing) {
  both("PutItem", R"({"TableName":"TABLE","Item":{"id":{"S":"k"},"f":{"S":"keep"}}})");
  const std::string huge(400 * 1024, 'y');
  Reply r = both("UpdateItem", R"({"TableName":"TABLE","Key":{"id":{"S":"k"}},"UpdateExpression":"SET g = :v","ExpressionAttributeValues":{":v":{"S":")" + huge + R"("}}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.message(), "Item size to update has exceeded the maximum allowed size");
  Reply g = both("GetItem", R"({"TableName":"TABLE","Key":{"id":{"S":"k"}}})");
  EXPECT_EQ(json(g["Item"]), R"({"f":{"S":"keep"},"id":{"S":"k"}})");
}

TEST_F(ServiceUpdateSplice, AbsentItemAndConditionsTakeTheGeneralPath) {
  // No stored item: the key plus the SET values (the general path builds it).
  Reply n = both("UpdateItem", R"({"TableName":"TABLE","Key":{"id":{"S":"new"}},"UpdateExpression":"SET f = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValues":"ALL_NEW"})");
  EXPECT_EQ(json(n["Attributes"]), R"({"f":{"S":"x"},"id":{"S":"new"}})");
  Reply c = both("UpdateItem", R"({"TableName":"TABLE","Key":{"id":{"S":"new"}},"UpdateExpression":"SET f = :v","ConditionExpression":"f = :old","ExpressionAttributeValues":{":v":{"S":"y"},":old":{"S":"nope"}}})");
  EXPECT_EQ(c.type(), "ConditionalCheckFailedException");
  Reply k = both("UpdateItem", R"({"TableName":"TABLE","Key":{"id":{"S":"new"}},"UpdateExpression":"SET id = :v","ExpressionAttributeValues":{":v":{"S":"y"}}})");
  EXPECT_EQ(k.status, 400);
  EXPECT_EQ(tableSize(kFast), tableSize(kSlow));
}

// PutItem measures a replaced item on its stored text (no condition, ALL_OLD, index or stream):
// counts, sizes and capacity as the general path's.
TEST_F(ServiceUpdateSplice, PutItemOverAnItemCountsAsTheGeneralPath) {
  const std::string big(2500, 'b');
  Reply first = both("PutItem", R"({"TableName":"TABLE","Item":{"id":{"S":"k"},"f":{"S":")" + big + R"("},"n":{"N":"12.50"}},"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(first["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 3.0) << first.body;
  // Smaller over larger: the old item's 3 units.
  Reply second = both("PutItem", R"({"TableName":"TABLE","Item":{"id":{"S":"k"},"g":{"BOOL":true}},"ReturnConsumedCapacity":"TOTAL","ReturnValues":"NONE"})");
  EXPECT_EQ(second["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 3.0) << second.body;
  both("PutItem", R"({"TableName":"TABLE","Item":{"id":{"S":"k2"},"l":{"L":[{"S":"x"},{"M":{"a":{"NS":["1","2"]}}}]}}})");
  both("PutItem", R"({"TableName":"TABLE","Item":{"id":{"S":"k2"},"l":{"SS":["x","y"]}}})");
  Reply old = both("PutItem", R"({"TableName":"TABLE","Item":{"id":{"S":"k2"}},"ReturnValues":"ALL_OLD"})");
  EXPECT_EQ(json(old["Attributes"]), R"({"id":{"S":"k2"},"l":{"SS":["x","y"]}})");
  Reply g = both("GetItem", R"({"TableName":"TABLE","Key":{"id":{"S":"k"}}})");
  EXPECT_EQ(json(g["Item"]), R"({"g":{"BOOL":true},"id":{"S":"k"}})");
  EXPECT_EQ(tableSize(kFast), tableSize(kSlow));
  EXPECT_EQ(tableSize(kFast), 2 + 1 + 1 + 1 + 2 + 2);  // {id:k, g:true} + {id:k2}
  Reply d = ok("DescribeTable", R"({"TableName":"Fast"})");
  EXPECT_EQ(d["Table"]["ItemCount"].GetInt64(), 2);
  Reply ds = ok("DescribeTable", R"({"TableName":"Strm"})");
  EXPECT_EQ(ds["Table"]["ItemCount"].GetInt64(), 2);
}

}  // namespace
}  // namespace cdnlab::store

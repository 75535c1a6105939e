// Query, Scan, pagination, indexes kept on put/update/delete, GSI backfill.
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using ServiceQuery = StoreFixture;

std::string put(const std::string& pk, int sk, const std::string& extra = "") {
  return R"({"TableName":"Tbl","Item":{"pk":{"S":")" + pk + R"("},"sk":{"N":")" + std::to_string(sk) + "\"}" + extra + "}}";
}

std::string sks(const rapidjson::Value& items) {
  std::string out;
  for (const auto& i : items.GetArray()) out += std::string(out.empty() ? "" : ",") + i["sk"]["N"].GetString();
  return out;
}

TEST_F(ServiceQuery, KeyConditionsAreRangeScansInNumericOrder) {
  createHashRange();
  for (int sk : {10, -5, 2, 100, 0, 33}) ok("PutItem", put("a", sk));
  ok("PutItem", put("b", 1));
  auto q = [&](const std::string& cond, const std::string& values, bool forward = true) {
    return ok("Query", R"({"TableName":"Tbl","KeyConditionExpression":")" + cond +
                           R"(","ExpressionAttributeValues":{":p":{"S":"a"})" + values + R"(},"ScanIndexForward":)" +
                           (forward ? "true" : "false") + "}");
  };
  EXPECT_EQ(sks(q("pk = :p", "")["Items"]), "-5,0,2,10,33,100");
  EXPECT_EQ(sks(q("pk = :p", "", false)["Items"]), "100,33,10,2,0,-5");
  EXPECT_EQ(sks(q("pk = :p AND sk < :v", R"(,":v":{"N":"10"})")["Items"]), "-5,0,2");
  EXPECT_EQ(sks(q("pk = :p AND sk <= :v", R"(,":v":{"N":"10"})")["Items"]), "-5,0,2,10");
  EXPECT_EQ(sks(q("pk = :p AND sk > :v", R"(,":v":{"N":"10"})")["Items"]), "33,100");
  EXPECT_EQ(sks(q("pk = :p AND sk >= :v", R"(,":v":{"N":"10"})")["Items"]), "10,33,100");
  EXPECT_EQ(sks(q("pk = :p AND sk = :v", R"(,":v":{"N":"10.0"})")["Items"]), "10");
  EXPECT_EQ(sks(q("pk = :p AND sk BETWEEN :lo AND :hi", R"(,":lo":{"N":"0"},":hi":{"N":"33"})")["Items"]), "0,2,10,33");
  Reply c = ok("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Select":"COUNT"})");
  EXPECT_EQ(c["Count"].GetInt(), 6);
  EXPECT_FALSE(c.has("Items"));
}

TEST_F(ServiceQuery, BeginsWithOnStringSortKey) {
  ok("CreateTable", R"({"TableName":"Str","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})");
  for (const char* sk : {"a", "ab", "abc", "abd", "b", "aa"})
    ok("PutItem", std::string(R"({"TableName":"Str","Item":{"pk":{"S":"x"},"sk":{"S":")") + sk + "\"}}}");
  Reply r = ok("Query", R"J({"TableName":"Str","KeyConditionExpression":"pk = :p AND begins_with(sk, :s)","ExpressionAttributeValues":{":p":{"S":"x"},":s":{"S":"ab"}}})J");
  EXPECT_EQ(json(r["Items"]), R"([{"pk":{"S":"x"},"sk":{"S":"ab"}},{"pk":{"S":"x"},"sk":{"S":"abc"}},{"pk":{"S":"x"},"sk":{"S":"abd"}}])");
}

TEST_F(ServiceQuery, LimitAndLastEvaluatedKeyPaginate) {
  createHashRange();
  for (int i = 0; i < 7; ++i) ok("PutItem", put("a", i));
  std::string esk;
  std::string all;
  for (int page = 0; page < 10; ++page) {
    Reply r = ok("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Limit":3)" +
                              (esk.empty() ? "" : ",\"ExclusiveStartKey\":" + esk) + "}");
    all += (all.empty() ? "" : ",") + sks(r["Items"]);
    if (!r.has("LastEvaluatedKey")) break;
    esk = json(r["LastEvaluatedKey"]);
  }
  EXPECT_EQ(all, "0,1,2,3,4,5,6");
}

TEST_F(ServiceQuery, FilterCountsScannedAndRejectsKeys) {
  createHashRange();
  for (int i = 0; i < 6; ++i) ok("PutItem", put("a", i, R"(,"odd":{"BOOL":)" + std::string(i % 2 ? "true" : "false") + "}"));
  Reply r = ok("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","FilterExpression":"odd = :t","ExpressionAttributeValues":{":p":{"S":"a"},":t":{"BOOL":true}}})");
  EXPECT_EQ(r["Count"].GetInt(), 3);
  EXPECT_EQ(r["ScannedCount"].GetInt(), 6);
  Reply bad = call("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","FilterExpression":"sk > :t","ExpressionAttributeValues":{":p":{"S":"a"},":t":{"N":"1"}}})");
  EXPECT_EQ(bad.message(), "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk");
}

TEST_F(ServiceQuery, SpecificAttributesWithoutProjectionInDynamoDBsWording) {
  createHashRange();
  Reply q = call("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Select":"SPECIFIC_ATTRIBUTES"})");
  EXPECT_EQ(q.message(), "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  Reply s = call("Scan", R"({"TableName":"Tbl","Select":"SPECIFIC_ATTRIBUTES"})");
  EXPECT_EQ(s.message(), "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
}

TEST_F(ServiceQuery, ScanSegmentsCoverTheTableExactlyOnce) {
  createHashRange();
  for (int i = 0; i < 200; ++i) ok("PutItem", put("p" + std::to_string(i), i));
  int total = 0;
  for (int s = 0; s < 4; ++s) {
    std::string esk;
    while (true) {
      Reply r = ok("Scan", R"({"TableName":"Tbl","Segment":)" + std::to_string(s) + R"(,"TotalSegments":4,"Limit":17)" +
                               (esk.empty() ? "" : ",\"ExclusiveStartKey\":" + esk) + "}");
      total += r["Count"].GetInt();
      if (!r.has("LastEvaluatedKey")) break;
      esk = json(r["LastEvaluatedKey"]);
    }
  }
  EXPECT_EQ(total, 200);
  Reply bad = call("Scan", R"({"TableName":"Tbl","Segment":4,"TotalSegments":4})");
  EXPECT_EQ(bad.message(), "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4");
}

TEST_F(ServiceQuery, ScanPagesStopAtOneMegabyte) {
  createHashRange();
  std::string v(100 * 1024, 'x');
  for (int i = 0; i < 15; ++i) ok("PutItem", put("a", i, R"(,"v":{"S":")" + v + "\"}"));
  Reply r = ok("Scan", R"({"TableName":"Tbl"})");
  EXPECT_LT(r["Count"].GetInt(), 15);
  EXPECT_GE(r["Count"].GetInt(), 10);
  EXPECT_TRUE(r.has("LastEvaluatedKey"));
}

class ServiceIndexes : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    ok("CreateTable", R"({"TableName":"Tbl","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST",
      "GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
      "LocalSecondaryIndexes":[{"IndexName":"byL","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x"]}}]})");
  }
  int countG(const std::string& g) {
    return ok("Query", R"({"TableName":"Tbl","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":")" + g + R"("}}})")["Count"].GetInt();
  }
};

TEST_F(ServiceIndexes, MaintainedOnPutUpdateDelete) {
  ok("PutItem", put("a", 1, R"(,"g":{"S":"red"},"l":{"N":"5"},"x":{"S":"kept"},"y":{"S":"dropped"})"));
  ok("PutItem", put("b", 1, R"(,"g":{"S":"red"})"));
  ok("PutItem", put("c", 1));  // sparse: no index key
  EXPECT_EQ(countG("red"), 2);
  Reply q = ok("Query", R"({"TableName":"Tbl","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"red"}}})");
  for (const auto& i : q["Items"].GetArray()) EXPECT_FALSE(i.HasMember("y"));  // KEYS_ONLY
  Reply l = ok("Query", R"({"TableName":"Tbl","IndexName":"byL","KeyConditionExpression":"pk = :p AND l > :z","ExpressionAttributeValues":{":p":{"S":"a"},":z":{"N":"0"}}})");
  EXPECT_EQ(json(l["Items"]), R"([{"l":{"N":"5"},"pk":{"S":"a"},"sk":{"N":"1"},"x":{"S":"kept"}}])");
  ok("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET g = :b","ExpressionAttributeValues":{":b":{"S":"blue"}}})");
  EXPECT_EQ(countG("red"), 1);
  EXPECT_EQ(countG("blue"), 1);
  ok("DeleteItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"b"},"sk":{"N":"1"}}})");
  EXPECT_EQ(countG("red"), 0);
  Reply d = ok("DescribeTable", R"({"TableName":"Tbl"})");
  EXPECT_EQ(d["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"].GetInt(), 1);
  EXPECT_EQ(d["Table"]["ItemCount"].GetInt(), 2);
  Reply bad = call("PutItem", put("z", 1, R"(,"g":{"N":"1"})"));
  EXPECT_EQ(bad.message(), "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG");
  Reply consistent = call("Query", R"({"TableName":"Tbl","IndexName":"byG","ConsistentRead":true,"KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"red"}}})");
  EXPECT_EQ(consistent.message(), "Consistent reads are not supported on global secondary indexes");
}

TEST_F(ServiceIndexes, UpdateTableAddsGsiWithBackfillAndDropsIt) {
  for (int i = 0; i < 20; ++i) ok("PutItem", put("p" + std::to_string(i), i, R"(,"h":{"S":")" + std::string(i % 2 ? "odd" : "even") + "\"}"));
  Reply u = ok("UpdateTable", R"({"TableName":"Tbl","AttributeDefinitions":[{"AttributeName":"h","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byH","KeySchema":[{"AttributeName":"h","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]})");
  EXPECT_EQ(u["TableDescription"]["GlobalSecondaryIndexes"].Size(), 2u);
  Reply q = ok("Query", R"({"TableName":"Tbl","IndexName":"byH","KeyConditionExpression":"h = :h","ExpressionAttributeValues":{":h":{"S":"odd"}}})");
  EXPECT_EQ(q["Count"].GetInt(), 10);
  Reply d = ok("DescribeTable", R"({"TableName":"Tbl"})");
  for (const auto& g : d["Table"]["GlobalSecondaryIndexes"].GetArray()) EXPECT_STREQ(g["IndexStatus"].GetString(), "ACTIVE");
  ok("UpdateTable", R"({"TableName":"Tbl","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"byH"}}]})");
  Reply gone = call("Query", R"({"TableName":"Tbl","IndexName":"byH","KeyConditionExpression":"h = :h","ExpressionAttributeValues":{":h":{"S":"odd"}}})");
  EXPECT_EQ(gone.message(), "The table does not have the specified index: byH");
}

}  // namespace
}  // namespace cdnlab::store

// Batch and transaction limits, ItemCollectionMetrics of multi-item writes, DescribeEndpoints and
// the stream label: the refusals and answer shapes DynamoDB documents for them.
#include <string>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

class ServiceBatchLimits : public StoreFixture {
 protected:
  // A table with a local secondary index (item collections are reported only for those) and one without.
  void createTables() {
    ok("CreateTable", R"({"TableName":"WithLsi","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"alt","AttributeType":"N"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"LocalSecondaryIndexes":[{"IndexName":"byAlt","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"alt","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],"BillingMode":"PAY_PER_REQUEST"})");
    createHashRange("Plain");
  }
  static std::string puts(size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i)
      out += std::string(i ? "," : "") + R"({"PutRequest":{"Item":{"pk":{"S":"p)" + std::to_string(i) + R"("},"sk":{"N":"1"}}}})";
    return out;
  }
};

TEST_F(ServiceBatchLimits, BatchWriteOfMoreThan25AndBatchGetOfMoreThan100AreRefused) {
  createTables();
  // 26 writes to one table break the list's own length constraint (checked first) ...
  Reply r = call("BatchWriteItem", R"({"RequestItems":{"Plain":[)" + puts(26) + "]}}");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("Member must have length less than or equal to 25"), std::string::npos) << r.message().substr(0, 200);
  // ... and 26 over two tables the request's limit of 25.
  r = call("BatchWriteItem", R"({"RequestItems":{"Plain":[)" + puts(13) + R"(],"WithLsi":[)" + puts(13) + "]}}");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_EQ(r.message(), "Too many items requested for the BatchWriteItem call");
  ok("BatchWriteItem", R"({"RequestItems":{"Plain":[)" + puts(25) + "]}}");

  auto keys = [](int from, int to) {
    std::string out;
    for (int i = from; i < to; ++i) out += std::string(i > from ? "," : "") + R"({"pk":{"S":"p)" + std::to_string(i) + R"("},"sk":{"N":"1"}})";
    return out;
  };
  // 101 keys of one table break the Keys list's own length constraint (checked first) ...
  r = call("BatchGetItem", R"({"RequestItems":{"Plain":{"Keys":[)" + keys(0, 101) + "]}}}");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_EQ(r.message(), "1 validation error detected: Value at 'RequestItems.Plain.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
  // ... and 101 keys over two tables the request's limit of 100 items.
  r = call("BatchGetItem", R"({"RequestItems":{"Plain":{"Keys":[)" + keys(0, 60) + R"(]},"WithLsi":{"Keys":[)" + keys(60, 101) + "]}}}");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_EQ(r.message(), "Too many items requested for the BatchGetItem call");
  r = ok("BatchGetItem", R"({"RequestItems":{"Plain":{"Keys":[)" + keys(0, 60) + R"(]},"WithLsi":{"Keys":[)" + keys(60, 100) + "]}}}");
  EXPECT_EQ(r["Responses"]["Plain"].Size(), 25u);  // the 25 written above
}

TEST_F(ServiceBatchLimits, TransactionsOfMoreThan100ItemsOrMoreThan4MBAreRefused) {
  createTables();
  auto transact = [](size_t n, size_t pad) {
    std::string items;
    for (size_t i = 0; i < n; ++i)
      items += std::string(i ? "," : "") + R"({"Put":{"TableName":"Plain","Item":{"pk":{"S":"t)" + std::to_string(i) +
               R"("},"sk":{"N":"1"},"v":{"S":")" + std::string(pad, 'x') + R"("}}}})";
    return R"({"TransactItems":[)" + items + "]}";
  };
  Reply r = call("TransactWriteItems", transact(101, 0));
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100"),
            std::string::npos) << r.message();
  ok("TransactWriteItems", transact(100, 0));

  // Eleven items of ~390 KB: each under the 400 KB item limit, together over 4 MB.
  r = call("TransactWriteItems", transact(11, 390 * 1024));
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_EQ(r.message(), "Transaction request cannot be larger than 4 MB");
  // Nothing of the refused transaction was written.
  r = ok("GetItem", R"({"TableName":"Plain","Key":{"pk":{"S":"t0"},"sk":{"N":"1"}}})");
  EXPECT_EQ(r["Item"]["v"]["S"].GetStringLength(), 0u);  // still the 100-item transaction's empty value
  ok("TransactWriteItems", transact(10, 390 * 1024));
}

TEST_F(ServiceBatchLimits, BatchWriteReportsItemCollectionsOfTablesWithLocalIndexes) {
  createTables();
  Reply r = ok("BatchWriteItem", R"({"ReturnItemCollectionMetrics":"SIZE","RequestItems":{
    "WithLsi":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"alt":{"N":"5"}}}},
               {"DeleteRequest":{"Key":{"pk":{"S":"b"},"sk":{"N":"2"}}}}],
    "Plain":[{"PutRequest":{"Item":{"pk":{"S":"c"},"sk":{"N":"1"}}}}]}})");
  ASSERT_TRUE(r.has("ItemCollectionMetrics")) << r.body;
  const auto& m = r["ItemCollectionMetrics"];
  EXPECT_FALSE(m.HasMember("Plain")) << r.body;  // no local index: no item collection
  ASSERT_TRUE(m.HasMember("WithLsi")) << r.body;
  ASSERT_EQ(m["WithLsi"].Size(), 2u);
  EXPECT_EQ(json(m["WithLsi"][0]["ItemCollectionKey"]), R"({"pk":{"S":"a"}})");
  EXPECT_EQ(json(m["WithLsi"][1]["ItemCollectionKey"]), R"({"pk":{"S":"b"}})");
  ASSERT_EQ(m["WithLsi"][0]["SizeEstimateRangeGB"].Size(), 2u);
  EXPECT_LE(m["WithLsi"][0]["SizeEstimateRangeGB"][0].GetDouble(), m["WithLsi"][0]["SizeEstimateRangeGB"][1].GetDouble());
  EXPECT_EQ(json(r["UnprocessedItems"]), "{}");  // everything was written

  // Without the parameter (or with NONE) there is no ItemCollectionMetrics member.
  r = ok("BatchWriteItem", R"({"RequestItems":{"WithLsi":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}}]}})");
  EXPECT_FALSE(r.has("ItemCollectionMetrics")) << r.body;
}

TEST_F(ServiceBatchLimits, TransactWriteReportsItemCollectionsOfTablesWithLocalIndexes) {
  createTables();
  ok("PutItem", R"({"TableName":"WithLsi","Item":{"pk":{"S":"u"},"sk":{"N":"1"}}})");
  Reply r = ok("TransactWriteItems", R"json({"ReturnItemCollectionMetrics":"SIZE","TransactItems":[
    {"Put":{"TableName":"WithLsi","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"alt":{"N":"5"}}}},
    {"Update":{"TableName":"WithLsi","Key":{"pk":{"S":"u"},"sk":{"N":"1"}},"UpdateExpression":"SET alt = :v","ExpressionAttributeValues":{":v":{"N":"7"}}}},
    {"ConditionCheck":{"TableName":"WithLsi","Key":{"pk":{"S":"a"},"sk":{"N":"2"}},"ConditionExpression":"attribute_not_exists(pk)"}},
    {"Put":{"TableName":"Plain","Item":{"pk":{"S":"c"},"sk":{"N":"1"}}}}]})json");
  ASSERT_TRUE(r.has("ItemCollectionMetrics")) << r.body;
  const auto& m = r["ItemCollectionMetrics"];
  EXPECT_FALSE(m.HasMember("Plain")) << r.body;
  ASSERT_TRUE(m.HasMember("WithLsi")) << r.body;
  ASSERT_EQ(m["WithLsi"].Size(), 2u) << r.body;  // the Put and the Update; the ConditionCheck wrote nothing
  EXPECT_EQ(json(m["WithLsi"][0]["ItemCollectionKey"]), R"({"pk":{"S":"a"}})");
  EXPECT_EQ(json(m["WithLsi"][1]["ItemCollectionKey"]), R"({"pk":{"S":"u"}})");
  EXPECT_TRUE(m["WithLsi"][1].HasMember("SizeEstimateRangeGB"));
}

TEST_F(ServiceBatchLimits, DescribeEndpointsNamesTheRegionalEndpoint) {
  Reply r = ok("DescribeEndpoints", "{}");
  ASSERT_TRUE(r.has("Endpoints")) << r.body;
  ASSERT_EQ(r["Endpoints"].Size(), 1u);
  EXPECT_EQ(std::string(r["Endpoints"][0]["Address"].GetString()), "dynamodb.us-east-1.amazonaws.com");
  EXPECT_EQ(r["Endpoints"][0]["CachePeriodInMinutes"].GetInt64(), 1440);
}

TEST_F(ServiceBatchLimits, StreamArnEndsWithItsLabel) {
  Reply r = ok("CreateTable", R"({"TableName":"Streamed","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}})");
  const auto& t = r["TableDescription"];
  ASSERT_TRUE(t.HasMember("LatestStreamLabel")) << r.body;
  std::string label = t["LatestStreamLabel"].GetString(), arn = t["LatestStreamArn"].GetString();
  EXPECT_TRUE(arn.ends_with("/stream/" + label)) << arn;
  EXPECT_EQ(arn.rfind("arn:aws:dynamodb:us-east-1:", 0), 0u) << arn;
  r = ok("DescribeTable", R"({"TableName":"Streamed"})");
  EXPECT_EQ(std::string(r["Table"]["LatestStreamLabel"].GetString()), label);
}

}  // namespace
}  // namespace cdnlab::store

namespace cdnlab::store {
namespace {

class ServiceItemLevelLimits : public StoreFixture {};

TEST_F(ServiceItemLevelLimits, ATransactionItemThatFailsValidationCancelsTheTransaction) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"s":{"S":"text"}}})");
  // Adding a number to a string is only found when the item is read: AWS cancels the
  // transaction with a ValidationError reason for that item and applies nothing.
  Reply r = call("TransactWriteItems", R"({"TransactItems":[
    {"Put":{"TableName":"Tbl","Item":{"pk":{"S":"b"},"sk":{"N":"1"}}}},
    {"Update":{"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET s = s + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]})");
  EXPECT_EQ(r.type(), "TransactionCanceledException") << r.body;
  EXPECT_EQ(r.message(), "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]");
  ASSERT_TRUE(r.has("CancellationReasons")) << r.body;
  EXPECT_EQ(std::string(r["CancellationReasons"][0]["Code"].GetString()), "None");
  EXPECT_EQ(std::string(r["CancellationReasons"][1]["Code"].GetString()), "ValidationError");
  EXPECT_EQ(std::string(r["CancellationReasons"][1]["Message"].GetString()),
            "An operand in the update expression has an incorrect data type");
  r = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"b"},"sk":{"N":"1"}}})");
  EXPECT_FALSE(r.has("Item")) << r.body;  // the Put beside it was not applied
}

TEST_F(ServiceItemLevelLimits, TagValuesAndIndexNamesHaveAwsLengthLimits) {
  createHashRange();
  std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl", longValue(257, 'v');
  Reply r = call("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"k","Value":")" + longValue + R"("}]})");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_EQ(r.message(), "1 validation error detected: Value '" + longValue +
                             "' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256");
  ok("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"k","Value":")" + longValue.substr(1) + R"("}]})");
  r = call("CreateTable", R"({"TableName":"Idx","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"ab","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]})");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("Value 'ab' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"),
            std::string::npos) << r.message();
}

}  // namespace
}  // namespace cdnlab::store

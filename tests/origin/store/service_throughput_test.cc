// Provisioned throughput with --enforce-throughput: the token bucket, single-item throttling
// (ProvisionedThroughputExceededException), BatchWriteItem's UnprocessedItems and BatchGetItem's
// UnprocessedKeys, as AWS's API reference describes them. Time is a FakeClock.
#include <string>

#include "origin/store/throughput.h"
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

constexpr int64_t kSecond = 1000000000;

TEST(CapacityBucket, AdmitsWhatItHoldsAndRefillsAtTheRate) {
  CapacityBucket b;
  // 2 units per second, 3 seconds of burst: 6 units at first.
  EXPECT_DOUBLE_EQ(b.available(2, 3, 0), 6);
  EXPECT_TRUE(b.admit(2, 3, 0, 5));
  EXPECT_FALSE(b.admit(2, 3, 0, 4));  // 1 unit left
  EXPECT_TRUE(b.admit(2, 3, 0, 1));
  EXPECT_FALSE(b.admit(2, 3, kSecond / 4, 1));  // 0.5 units refilled
  EXPECT_TRUE(b.admit(2, 3, kSecond / 2, 1));
  // Idle time refills only up to the burst.
  EXPECT_DOUBLE_EQ(b.available(2, 3, 100 * kSecond), 6);
  // A lowered rate (UpdateTable) lowers what is kept.
  EXPECT_DOUBLE_EQ(b.available(1, 3, 100 * kSecond), 3);
  b.charge(-10);  // a request that cost less than admitted gives units back; the cap holds
  EXPECT_DOUBLE_EQ(b.available(1, 3, 100 * kSecond), 3);
}

TEST(CapacityBucket, AFullBucketAdmitsMoreThanItHoldsAndTheDebtIsRepaid) {
  CapacityBucket b;
  EXPECT_TRUE(b.admit(2, 3, 0, 10));  // full: admitted, 4 units owed
  EXPECT_DOUBLE_EQ(b.available(2, 3, 0), -4);
  EXPECT_FALSE(b.admit(2, 3, 2 * kSecond, 1));  // -4 + 4 = 0
  EXPECT_TRUE(b.admit(2, 3, 2 * kSecond + kSecond / 2, 1));
}

TEST(CapacityBucket, ABurstShorterThanOneSecondStillHoldsOneSecond) {
  CapacityBucket b;
  EXPECT_DOUBLE_EQ(b.available(5, 0, 0), 5);
}

class ServiceThroughput : public StoreFixture {
 protected:
  void SetUp() override {
    enforceThroughput_ = true;
    burstSeconds_ = 1;  // a bucket holds one second of capacity, so a test reaches its end quickly
    StoreFixture::SetUp();
  }
  void createProvisioned(const std::string& name, int rcu, int wcu) {
    ok("CreateTable", R"({"TableName":")" + name +
                          R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":)" +
                          std::to_string(rcu) + R"(,"WriteCapacityUnits":)" + std::to_string(wcu) + "}}");
  }
  void createOnDemand(const std::string& name) {
    ok("CreateTable", R"({"TableName":")" + name +
                          R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  }
  static std::string put(const std::string& pk) { return R"({"PutRequest":{"Item":{"pk":{"S":")" + pk + R"("},"v":{"N":"1"}}}})"; }
  static std::string del(const std::string& pk) { return R"({"DeleteRequest":{"Key":{"pk":{"S":")" + pk + R"("}}}})"; }
  Reply putItem(const std::string& table, const std::string& pk) {
    return call("PutItem", R"({"TableName":")" + table + R"(","Item":{"pk":{"S":")" + pk + R"("}}})");
  }
  bool exists(const std::string& table, const std::string& pk) {
    Reply r = ok("GetItem", R"({"TableName":")" + table + R"(","Key":{"pk":{"S":")" + pk + R"("}}})");
    return r.has("Item");
  }
};

TEST_F(ServiceThroughput, SingleWritesBeyondTheWriteCapacityAreThrottledUntilItRefills) {
  createProvisioned("Tbl", 100, 1);
  EXPECT_EQ(putItem("Tbl", "a").status, 200);
  Reply r = putItem("Tbl", "b");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.type(), "ProvisionedThroughputExceededException");
  EXPECT_EQ(r["__type"].GetString(), std::string("com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"));
  EXPECT_EQ(r.message(),
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
            "provisioning level with the UpdateTable API.");
  // The reason and the resource, as the API model's ThrottlingReasons member names them.
  ASSERT_TRUE(r.has("ThrottlingReasons")) << r.body;
  EXPECT_STREQ(r["ThrottlingReasons"][0]["reason"].GetString(), "TableWriteProvisionedThroughputExceeded");
  EXPECT_STREQ(r["ThrottlingReasons"][0]["resource"].GetString(), "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl");
  EXPECT_FALSE(exists("Tbl", "b"));
  // UpdateItem and DeleteItem draw on the same bucket.
  EXPECT_EQ(call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"N":"2"}}})").type(),
            "ProvisionedThroughputExceededException");
  EXPECT_EQ(call("DeleteItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"}}})").type(), "ProvisionedThroughputExceededException");
  clock_.advanceSeconds(1);
  EXPECT_EQ(putItem("Tbl", "b").status, 200);
  EXPECT_TRUE(exists("Tbl", "b"));
}

TEST_F(ServiceThroughput, AWriteLargerThanTheBucketIsAdmittedAndRepaidOverTime) {
  createProvisioned("Tbl", 100, 2);
  // A 3 KB item costs 3 write units: admitted on a full bucket of 2, leaving a debt of 1.
  std::string big(3000, 'x');
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"big"},"b":{"S":")" + big + R"("}}})");
  EXPECT_EQ(putItem("Tbl", "c").type(), "ProvisionedThroughputExceededException");
  clock_.advanceMs(900);  // -1 + 1.8: less than the one unit a write is admitted at
  EXPECT_EQ(putItem("Tbl", "c").type(), "ProvisionedThroughputExceededException");
  clock_.advanceMs(100);  // 1 unit
  EXPECT_EQ(putItem("Tbl", "c").status, 200);
}

TEST_F(ServiceThroughput, OnDemandTablesAndAStoreWithoutTheFlagAreNeverThrottled) {
  createOnDemand("OnDemand");
  for (int i = 0; i < 50; ++i) ASSERT_EQ(putItem("OnDemand", "k" + std::to_string(i)).status, 200) << i;
  // Without --enforce-throughput a PROVISIONED table takes whatever comes (like DynamoDB Local).
  close();
  enforceThroughput_ = false;
  open();
  createProvisioned("Tbl", 1, 1);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(putItem("Tbl", "k" + std::to_string(i)).status, 200) << i;
}

TEST_F(ServiceThroughput, ReadsBeyondTheReadCapacityAreThrottled) {
  createProvisioned("Tbl", 1, 100);
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"}}})");
  // One read unit: one strongly consistent read, or two eventually consistent ones.
  ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"}},"ConsistentRead":true})");
  EXPECT_EQ(call("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"}}})").type(), "ProvisionedThroughputExceededException");
  clock_.advanceSeconds(1);
  ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"}}})");
  ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"}}})");
  EXPECT_EQ(call("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}})").type(),
            "ProvisionedThroughputExceededException");
  EXPECT_EQ(call("Scan", R"({"TableName":"Tbl"})").type(), "ProvisionedThroughputExceededException");
  clock_.advanceSeconds(1);
  Reply r = ok("Scan", R"({"TableName":"Tbl"})");
  EXPECT_EQ(r["Count"].GetInt(), 1);
}

TEST_F(ServiceThroughput, BatchWriteReturnsWhatTheTableCannotTakeAsUnprocessedItems) {
  createProvisioned("Tbl", 100, 2);
  Reply r = ok("BatchWriteItem", R"({"RequestItems":{"Tbl":[)" + put("a") + "," + put("b") + "," + put("c") + "," + del("d") +
                                     "," + put("e") + R"(]},"ReturnConsumedCapacity":"TOTAL"})");
  // Two units this second: the first two requests are written, the rest come back as sent.
  ASSERT_TRUE(r["UnprocessedItems"].HasMember("Tbl")) << r.body;
  const auto& left = r["UnprocessedItems"]["Tbl"];
  ASSERT_EQ(left.Size(), 3u);
  EXPECT_EQ(json(left[0]), R"({"PutRequest":{"Item":{"pk":{"S":"c"},"v":{"N":"1"}}}})");
  EXPECT_EQ(json(left[1]), R"({"DeleteRequest":{"Key":{"pk":{"S":"d"}}}})");
  EXPECT_EQ(json(left[2]), R"({"PutRequest":{"Item":{"pk":{"S":"e"},"v":{"N":"1"}}}})");
  EXPECT_DOUBLE_EQ(r["ConsumedCapacity"][0]["CapacityUnits"].GetDouble(), 2);
  EXPECT_TRUE(exists("Tbl", "a"));
  EXPECT_TRUE(exists("Tbl", "b"));
  EXPECT_FALSE(exists("Tbl", "c"));
  EXPECT_FALSE(exists("Tbl", "e"));
  // Nothing left this second: resending the unprocessed items is refused as a whole.
  std::string retry = R"({"RequestItems":{"Tbl":)" + json(left) + "}}";
  Reply none = call("BatchWriteItem", retry);
  EXPECT_EQ(none.type(), "ProvisionedThroughputExceededException");
  // A client retries with back-off until everything is written.
  for (int round = 0; round < 5 && !retry.empty(); ++round) {
    clock_.advanceSeconds(1);
    Reply again = ok("BatchWriteItem", retry);
    const auto& un = again["UnprocessedItems"];
    retry = un.HasMember("Tbl") ? R"({"RequestItems":)" + json(un) + "}" : "";
  }
  EXPECT_TRUE(retry.empty());
  EXPECT_TRUE(exists("Tbl", "c"));
  EXPECT_TRUE(exists("Tbl", "e"));
}

TEST_F(ServiceThroughput, BatchWriteThrottlesPerTable) {
  createProvisioned("Slow", 100, 1);
  createOnDemand("Fast");
  Reply r = ok("BatchWriteItem", R"({"RequestItems":{"Slow":[)" + put("a") + "," + put("b") + R"(],"Fast":[)" + put("a") + "," +
                                     put("b") + "]}}");
  EXPECT_FALSE(r["UnprocessedItems"].HasMember("Fast")) << r.body;
  ASSERT_TRUE(r["UnprocessedItems"].HasMember("Slow")) << r.body;
  EXPECT_EQ(r["UnprocessedItems"]["Slow"].Size(), 1u);
  EXPECT_TRUE(exists("Fast", "b"));
  // The slow table is empty now, the fast one is not: the call is not refused as a whole.
  r = ok("BatchWriteItem", R"({"RequestItems":{"Slow":[)" + put("c") + R"(],"Fast":[)" + put("c") + "]}}");
  EXPECT_EQ(r["UnprocessedItems"]["Slow"].Size(), 1u);
  EXPECT_TRUE(exists("Fast", "c"));
}

TEST_F(ServiceThroughput, BatchGetReturnsWhatTheTableCannotTakeAsUnprocessedKeys) {
  createProvisioned("Tbl", 1, 100);
  for (const char* pk : {"a", "b", "c", "d"}) ok("PutItem", std::string(R"({"TableName":"Tbl","Item":{"pk":{"S":")") + pk + R"("}}})");
  // One read unit: two eventually consistent reads of small items, the other keys come back.
  Reply r = ok("BatchGetItem",
               R"({"RequestItems":{"Tbl":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"b"}},{"pk":{"S":"c"}},{"pk":{"S":"d"}}],"ProjectionExpression":"pk"}}})");
  EXPECT_EQ(r["Responses"]["Tbl"].Size(), 2u);
  ASSERT_TRUE(r["UnprocessedKeys"].HasMember("Tbl")) << r.body;
  EXPECT_EQ(json(r["UnprocessedKeys"]["Tbl"]), R"({"ProjectionExpression":"pk","Keys":[{"pk":{"S":"c"}},{"pk":{"S":"d"}}]})");
  std::string retry = R"({"RequestItems":)" + json(r["UnprocessedKeys"]) + "}";
  EXPECT_EQ(call("BatchGetItem", retry).type(), "ProvisionedThroughputExceededException");
  clock_.advanceSeconds(1);
  r = ok("BatchGetItem", retry);
  EXPECT_EQ(r["Responses"]["Tbl"].Size(), 2u);
  EXPECT_EQ(r["UnprocessedKeys"].MemberCount(), 0u);
}

TEST_F(ServiceThroughput, ATransactionItsTablesCannotTakeIsCancelledAndWritesNothing) {
  createProvisioned("Slow", 100, 2);
  createOnDemand("Fast");
  auto transact = [&](const std::string& pk) {
    return call("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Fast","Item":{"pk":{"S":")" + pk +
                                          R"("}}}},{"Put":{"TableName":"Slow","Item":{"pk":{"S":")" + pk + R"("}}}}]})");
  };
  // A transactional write costs two units: the first fills the second's worth of Slow's capacity.
  EXPECT_EQ(transact("a").status, 200);
  Reply r = transact("b");
  EXPECT_EQ(r.type(), "TransactionCanceledException");
  EXPECT_EQ(r.message(), "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]");
  ASSERT_TRUE(r.has("CancellationReasons")) << r.body;
  EXPECT_EQ(std::string(r["CancellationReasons"][0]["Code"].GetString()), "None");
  EXPECT_EQ(std::string(r["CancellationReasons"][1]["Code"].GetString()), "ProvisionedThroughputExceeded");
  EXPECT_FALSE(exists("Fast", "b"));  // all or nothing
  EXPECT_FALSE(exists("Slow", "b"));
  clock_.advanceSeconds(1);
  EXPECT_EQ(transact("b").status, 200);
  EXPECT_TRUE(exists("Fast", "b"));
  EXPECT_TRUE(exists("Slow", "b"));
}

// An on-demand table's OnDemandThroughput maxima are enforced per second, with no burst kept:
// beyond them DynamoDB answers ThrottlingException with a MaxOnDemandThroughputExceeded reason
// naming the table (Developer Guide, "DynamoDB maximum throughput for on-demand tables",
// "Diagnosing throttling"); -1 lifts a maximum.
TEST_F(ServiceThroughput, OnDemandMaximaAreEnforced) {
  ok("CreateTable", R"({"TableName":"Capped","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","OnDemandThroughput":{"MaxWriteRequestUnits":3,"MaxReadRequestUnits":2}})");
  // Idle time keeps no more than one second of the maximum.
  clock_.advanceSeconds(60);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(putItem("Capped", "k" + std::to_string(i)).status, 200) << i;
  Reply t = putItem("Capped", "k3");
  EXPECT_EQ(t.status, 400);
  EXPECT_NE(t.body.find(R"("__type":"com.amazon.coral.availability#ThrottlingException")"), std::string::npos) << t.body;
  EXPECT_EQ(t.message(), "Rate of requests exceeds the allowed throughput.");
  ASSERT_TRUE(t.has("throttlingReasons")) << t.body;
  EXPECT_STREQ(t["throttlingReasons"][0]["reason"].GetString(), "TableWriteMaxOnDemandThroughputExceeded");
  EXPECT_STREQ(t["throttlingReasons"][0]["resource"].GetString(), "arn:aws:dynamodb:us-east-1:000000000000:table/Capped");
  // Reads: two units a second; an eventually consistent read costs half a unit, a strongly
  // consistent one a unit, admitted only while a whole unit is left.
  EXPECT_FALSE(exists("Capped", "k3"));
  ok("GetItem", R"({"TableName":"Capped","Key":{"pk":{"S":"k0"}},"ConsistentRead":true})");
  Reply r = call("GetItem", R"({"TableName":"Capped","Key":{"pk":{"S":"k0"}},"ConsistentRead":true})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_STREQ(r["throttlingReasons"][0]["reason"].GetString(), "TableReadMaxOnDemandThroughputExceeded");
  clock_.advanceSeconds(1);
  EXPECT_EQ(putItem("Capped", "k3").status, 200);
  // A batch hands back what the maximum cannot take.
  clock_.advanceSeconds(1);
  Reply b = ok("BatchWriteItem", R"({"RequestItems":{"Capped":[)" + put("b0") + "," + put("b1") + "," + put("b2") + "," + put("b3") + "," + put("b4") + "]}}");
  ASSERT_TRUE(b["UnprocessedItems"].HasMember("Capped")) << b.body;
  EXPECT_EQ(b["UnprocessedItems"]["Capped"].Size(), 2u);
  Reply all = call("BatchWriteItem", R"({"RequestItems":{"Capped":[)" + put("c0") + "]}}");
  EXPECT_EQ(all.status, 400);
  EXPECT_NE(all.body.find("ThrottlingException"), std::string::npos) << all.body;
  // A transaction on it is cancelled with the on-demand throttle's reason.
  Reply tx = call("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Capped","Item":{"pk":{"S":"t"}}}}]})");
  EXPECT_EQ(tx.type(), "TransactionCanceledException") << tx.body;
  ASSERT_TRUE(tx.has("CancellationReasons")) << tx.body;
  EXPECT_STREQ(tx["CancellationReasons"][0]["Code"].GetString(), "ThrottlingError");
  EXPECT_STREQ(tx["CancellationReasons"][0]["Message"].GetString(),
               "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your "
               "table or index so please try again shortly. If exceptions persist, check if you have a hot key: "
               "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html.");
  // -1 lifts the maximum.
  ok("UpdateTable", R"({"TableName":"Capped","OnDemandThroughput":{"MaxWriteRequestUnits":-1}})");
  for (int i = 0; i < 20; ++i) ASSERT_EQ(putItem("Capped", "u" + std::to_string(i)).status, 200) << i;
  // Without --enforce-throughput the maxima are only kept.
  close();
  enforceThroughput_ = false;
  open();
  ok("CreateTable", R"({"TableName":"Capped","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","OnDemandThroughput":{"MaxWriteRequestUnits":1}})");
  for (int i = 0; i < 20; ++i) ASSERT_EQ(putItem("Capped", "v" + std::to_string(i)).status, 200) << i;
}

// A global index's own maxima on an on-demand table: its Queries draw on its read maximum (not
// the table's), and the table takes no write while the index cannot take one; the reason names
// the index and its ARN.
TEST_F(ServiceThroughput, AGlobalIndexsOnDemandMaximaAreEnforced) {
  ok("CreateTable", R"({"TableName":"Gix","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",)"
                    R"("GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},"OnDemandThroughput":{"MaxWriteRequestUnits":2,"MaxReadRequestUnits":1}}]})");
  auto putG = [&](const std::string& pk) { return call("PutItem", R"({"TableName":"Gix","Item":{"pk":{"S":")" + pk + R"("},"g":{"S":"x"}}})"); };
  ASSERT_EQ(putG("a").status, 200);
  ASSERT_EQ(putG("b").status, 200);
  Reply t = putG("c");
  EXPECT_EQ(t.status, 400) << t.body;
  EXPECT_STREQ(t["throttlingReasons"][0]["reason"].GetString(), "IndexWriteMaxOnDemandThroughputExceeded");
  EXPECT_STREQ(t["throttlingReasons"][0]["resource"].GetString(), "arn:aws:dynamodb:us-east-1:000000000000:table/Gix/index/gsi");
  EXPECT_FALSE(exists("Gix", "c"));
  Reply tx = call("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Gix","Item":{"pk":{"S":"t"},"g":{"S":"x"}}}}]})");
  ASSERT_EQ(tx.type(), "TransactionCanceledException") << tx.body;
  EXPECT_STREQ(tx["CancellationReasons"][0]["Code"].GetString(), "ThrottlingError");
  EXPECT_STREQ(tx["CancellationReasons"][0]["Message"].GetString(),
               "Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is "
               "automatically scaling your index so please try again shortly.");
  // Reads of the table are not the index's.
  for (int i = 0; i < 5; ++i) ok("GetItem", R"({"TableName":"Gix","Key":{"pk":{"S":"a"}}})");
  const std::string query = R"({"TableName":"Gix","IndexName":"gsi","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}}})";
  EXPECT_EQ(ok("Query", query)["Count"].GetInt(), 2);
  ok("Query", query);  // 0.5 + 0.5: the one unit a second
  Reply q = call("Query", query);
  EXPECT_EQ(q.status, 400) << q.body;
  EXPECT_STREQ(q["throttlingReasons"][0]["reason"].GetString(), "IndexReadMaxOnDemandThroughputExceeded");
  clock_.advanceSeconds(1);
  EXPECT_EQ(putG("c").status, 200);
  EXPECT_EQ(ok("Query", query)["Count"].GetInt(), 3);
}

}  // namespace
}  // namespace cdnlab::store

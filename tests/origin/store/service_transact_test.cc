// Batches, transactions (all-or-nothing, cancellation reasons, idempotency), exact counting
// under concurrent conditional increments, and restart persistence on disk.
#include <filesystem>
#include <set>
#include <thread>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using ServiceTransact = StoreFixture;

TEST_F(ServiceTransact, BatchWriteAndBatchGet) {
  createHashRange();
  std::string reqs;
  for (int i = 0; i < 25; ++i)
    reqs += std::string(i ? "," : "") + R"({"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":")" + std::to_string(i) + R"("}}}})";
  Reply w = ok("BatchWriteItem", R"({"RequestItems":{"Tbl":[)" + reqs + "]}}");
  EXPECT_EQ(json(w["UnprocessedItems"]), "{}");
  Reply tooMany = call("BatchWriteItem", R"({"RequestItems":{"Tbl":[)" + reqs + R"(,{"DeleteRequest":{"Key":{"pk":{"S":"a"},"sk":{"N":"99"}}}}]}})");
  EXPECT_EQ(tooMany.type(), "ValidationException");
  Reply g = ok("BatchGetItem", R"({"RequestItems":{"Tbl":{"Keys":[{"pk":{"S":"a"},"sk":{"N":"3"}},{"pk":{"S":"a"},"sk":{"N":"77"}}]}}})");
  EXPECT_EQ(g["Responses"]["Tbl"].Size(), 1u);
  EXPECT_EQ(json(g["UnprocessedKeys"]), "{}");
  Reply dup = call("BatchGetItem", R"({"RequestItems":{"Tbl":{"Keys":[{"pk":{"S":"a"},"sk":{"N":"3"}},{"pk":{"S":"a"},"sk":{"N":"3"}}]}}})");
  EXPECT_EQ(dup.message(), "Provided list of item keys contains duplicates");
}

// 50 items of ~380 KB (19 MB) in one BatchGetItem: the response stops before 16 MB and the rest
// come back in UnprocessedKeys, in the request's shape, so a retry loop reads every item once.
TEST_F(ServiceTransact, BatchGetItemReturnsUnprocessedKeysPast16MB) {
  createHashRange();
  const std::string blob(380 * 1000, 'b');
  for (int i = 0; i < 50; ++i)
    ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"big"},"sk":{"N":")" + std::to_string(i) +
                      R"("},"payload":{"S":")" + blob + R"("}}})");
  std::string keys;
  for (int i = 0; i < 50; ++i)
    keys += std::string(i ? "," : "") + R"({"pk":{"S":"big"},"sk":{"N":")" + std::to_string(i) + R"("}})";
  std::string request = R"({"Tbl":{"Keys":[)" + keys + R"(],"ProjectionExpression":"sk, payload"}})";
  std::set<std::string> seen;
  int calls = 0;
  while (request != "{}" && calls < 10) {
    ++calls;
    Reply r = ok("BatchGetItem", R"({"RequestItems":)" + request + "}");
    size_t bytes = 0;
    for (const auto& item : r["Responses"]["Tbl"].GetArray()) {
      EXPECT_FALSE(item.HasMember("pk")) << "projection kept";
      EXPECT_TRUE(seen.insert(item["sk"]["N"].GetString()).second) << "returned twice";
      bytes += item["payload"]["S"].GetStringLength();
    }
    EXPECT_LE(bytes, 16u * 1024 * 1024);
    if (calls == 1) {
      EXPECT_GT(bytes, 15u * 1000 * 1000) << "the first page should fill up to the limit";
      ASSERT_TRUE(r["UnprocessedKeys"].HasMember("Tbl"));
      EXPECT_STREQ(r["UnprocessedKeys"]["Tbl"]["ProjectionExpression"].GetString(), "sk, payload");
    }
    request = json(r["UnprocessedKeys"]);
  }
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(seen.size(), 50u);
}

TEST_F(ServiceTransact, TransactionIsAllOrNothing) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"acct"},"sk":{"N":"1"},"bal":{"N":"10"}}})");
  const std::string tx = R"({"TransactItems":[
    {"Update":{"TableName":"Tbl","Key":{"pk":{"S":"acct"},"sk":{"N":"1"}},"UpdateExpression":"SET bal = bal - :a","ConditionExpression":"bal >= :a","ExpressionAttributeValues":{":a":{"N":"7"}}}},
    {"Put":{"TableName":"Tbl","Item":{"pk":{"S":"log"},"sk":{"N":"1"}}}}]})";
  ok("TransactWriteItems", tx);
  Reply r = call("TransactWriteItems", tx);  // balance 3 < 7: cancelled, and the Put must not land
  EXPECT_EQ(r.type(), "TransactionCanceledException");
  EXPECT_EQ(r.message(), "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]");
  EXPECT_EQ(json(r["CancellationReasons"]), R"([{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},{"Code":"None"}])");
  ok("DeleteItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"log"},"sk":{"N":"1"}}})");
  EXPECT_EQ(call("TransactWriteItems", tx).type(), "TransactionCanceledException");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"log"},"sk":{"N":"1"}}})").body, "{}");
  Reply bal = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"acct"},"sk":{"N":"1"}}})");
  EXPECT_STREQ(bal["Item"]["bal"]["N"].GetString(), "3");
  Reply same = call("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Tbl","Item":{"pk":{"S":"x"},"sk":{"N":"1"}}}},{"Delete":{"TableName":"Tbl","Key":{"pk":{"S":"x"},"sk":{"N":"1"}}}}]})");
  EXPECT_EQ(same.message(), "Transaction request cannot include multiple operations on one item");
  Reply tg = ok("TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":"Tbl","Key":{"pk":{"S":"acct"},"sk":{"N":"1"}}}},{"Get":{"TableName":"Tbl","Key":{"pk":{"S":"none"},"sk":{"N":"1"}}}}]})");
  EXPECT_EQ(json(tg["Responses"]), R"([{"Item":{"bal":{"N":"3"},"pk":{"S":"acct"},"sk":{"N":"1"}}},{}])");
}

TEST_F(ServiceTransact, ClientRequestTokenMakesRetriesIdempotent) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"c"},"sk":{"N":"1"},"n":{"N":"0"}}})");
  const std::string tx = R"({"ClientRequestToken":"tok-1","TransactItems":[{"Update":{"TableName":"Tbl","Key":{"pk":{"S":"c"},"sk":{"N":"1"}},"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"1"}}}}]})";
  ok("TransactWriteItems", tx);
  ok("TransactWriteItems", tx);
  EXPECT_STREQ(ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"c"},"sk":{"N":"1"}}})")["Item"]["n"]["N"].GetString(), "1");
  Reply other = call("TransactWriteItems", R"({"ClientRequestToken":"tok-1","TransactItems":[{"Update":{"TableName":"Tbl","Key":{"pk":{"S":"c"},"sk":{"N":"1"}},"UpdateExpression":"ADD n :one","ExpressionAttributeValues":{":one":{"N":"2"}}}}]})");
  EXPECT_EQ(other.type(), "IdempotentParameterMismatchException");
  clock_.advanceSeconds(601);  // the token expires after 10 minutes
  ok("TransactWriteItems", tx);
  EXPECT_STREQ(ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"c"},"sk":{"N":"1"}}})")["Item"]["n"]["N"].GetString(), "2");
}

// DynamoDB's API model names the message member of TransactionCanceledException and
// IdempotentParameterMismatchException "Message" (an SDK's modeled error reads it from there).
TEST_F(ServiceTransact, CancellationAndTokenMismatchSayMessage) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"m"},"sk":{"N":"1"}}})");
  Reply cancelled = call("TransactWriteItems", R"J({"TransactItems":[{"ConditionCheck":{"TableName":"Tbl","Key":{"pk":{"S":"m"},"sk":{"N":"1"}},"ConditionExpression":"attribute_not_exists(pk)"}}]})J");
  EXPECT_EQ(cancelled.type(), "TransactionCanceledException");
  ASSERT_TRUE(cancelled.has("Message")) << cancelled.body;
  EXPECT_FALSE(cancelled.has("message")) << cancelled.body;
  EXPECT_STREQ(cancelled["Message"].GetString(), "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed]");
  ok("TransactWriteItems", R"({"ClientRequestToken":"tok-m","TransactItems":[{"Put":{"TableName":"Tbl","Item":{"pk":{"S":"n"},"sk":{"N":"1"}}}}]})");
  Reply mismatch = call("TransactWriteItems", R"({"ClientRequestToken":"tok-m","TransactItems":[{"Put":{"TableName":"Tbl","Item":{"pk":{"S":"n"},"sk":{"N":"2"}}}}]})");
  EXPECT_EQ(mismatch.type(), "IdempotentParameterMismatchException");
  ASSERT_TRUE(mismatch.has("Message")) << mismatch.body;
  EXPECT_FALSE(mismatch.has("message")) << mismatch.body;
  // Every other service error keeps "message".
  Reply missing = call("GetItem", R"({"TableName":"Nope","Key":{"pk":{"S":"m"}}})");
  EXPECT_EQ(missing.type(), "ResourceNotFoundException");
  EXPECT_TRUE(missing.has("message")) << missing.body;
}

// A retry is the same request when it says the same thing: DynamoDB does not compare bytes, so an
// item whose attributes come in another order (a client rebuilding its map) is replayed, not
// refused as IdempotentParameterMismatchException.
TEST_F(ServiceTransact, ClientRequestTokenIgnoresMemberOrder) {
  createHashRange();
  ok("TransactWriteItems", R"({"ClientRequestToken":"tok-order","TransactItems":[{"Put":{"TableName":"Tbl","Item":{"pk":{"S":"o"},"sk":{"N":"1"},"v":{"S":"x"}}}}]})");
  ok("TransactWriteItems", R"({"ClientRequestToken":"tok-order","TransactItems":[{"Put":{"Item":{"v":{"S":"x"},"sk":{"N":"1"},"pk":{"S":"o"}},"TableName":"Tbl"}}]})");
  // Another value under the token is still another request.
  EXPECT_EQ(call("TransactWriteItems", R"({"ClientRequestToken":"tok-order","TransactItems":[{"Put":{"TableName":"Tbl","Item":{"pk":{"S":"o"},"sk":{"N":"1"},"v":{"S":"y"}}}}]})").type(),
            "IdempotentParameterMismatchException");
}

TEST_F(ServiceTransact, ConcurrentConditionalIncrementsCountExactly) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"ctr"},"sk":{"N":"0"},"n":{"N":"0"}}})");
  constexpr int kThreads = 8, kPerThread = 150;
  std::atomic<int> succeeded{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        // Optimistic read-modify-write: read n, then write n+1 only if n is unchanged.
        while (true) {
          ApiResponse g = service_->handleRequestBlocking("DynamoDB_20120810.GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"ctr"},"sk":{"N":"0"}},"ConsistentRead":true})");
          rapidjson::Document d;
          d.Parse(g.body.c_str());
          std::string n = d["Item"]["n"]["N"].GetString();
          std::string next = std::to_string(std::stoll(n) + 1);
          ApiResponse u = service_->handleRequestBlocking("DynamoDB_20120810.UpdateItem",
              R"({"TableName":"Tbl","Key":{"pk":{"S":"ctr"},"sk":{"N":"0"}},"UpdateExpression":"SET n = :next","ConditionExpression":"n = :cur","ExpressionAttributeValues":{":cur":{"N":")" + n + R"("},":next":{"N":")" + next + R"("}}})");
          if (u.status == 200) {
            ++succeeded;
            break;
          }
          ASSERT_NE(u.body.find("ConditionalCheckFailedException"), std::string::npos) << u.body;
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  Reply g = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"ctr"},"sk":{"N":"0"}}})");
  EXPECT_EQ(succeeded.load(), kThreads * kPerThread);
  EXPECT_STREQ(g["Item"]["n"]["N"].GetString(), std::to_string(kThreads * kPerThread).c_str());
  std::printf("conflicts retried: %d\n", conflicts.load());
}

TEST_F(ServiceTransact, ConcurrentTransfersKeepTheTotal) {
  createHashRange();
  for (int a = 0; a < 4; ++a)
    ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"acct"},"sk":{"N":")" + std::to_string(a) + R"("},"bal":{"N":"1000"}}})");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        int from = (t + i) % 4, to = (t + i + 1 + i % 3) % 4;
        if (from == to) continue;
        service_->handleRequestBlocking("DynamoDB_20120810.TransactWriteItems", R"({"TransactItems":[
          {"Update":{"TableName":"Tbl","Key":{"pk":{"S":"acct"},"sk":{"N":")" + std::to_string(from) + R"("}},"UpdateExpression":"SET bal = bal - :a","ConditionExpression":"bal >= :a","ExpressionAttributeValues":{":a":{"N":"7"}}}},
          {"Update":{"TableName":"Tbl","Key":{"pk":{"S":"acct"},"sk":{"N":")" + std::to_string(to) + R"("}},"UpdateExpression":"SET bal = bal + :a","ExpressionAttributeValues":{":a":{"N":"7"}}}}]})");
      }
    });
  }
  for (auto& t : threads) t.join();
  Reply s = ok("Scan", R"({"TableName":"Tbl"})");
  long total = 0;
  for (const auto& i : s["Items"].GetArray()) total += std::stol(i["bal"]["N"].GetString());
  EXPECT_EQ(total, 4000);
}

class ServicePersistence : public StoreFixture {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("cdnlab-store-test-" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(dir_);
    StoreFixture::SetUp();
  }
  void TearDown() override {
    StoreFixture::TearDown();
    std::filesystem::remove_all(dir_);
  }
};

TEST_F(ServicePersistence, RestartKeepsTablesIndexesTtlAndItems) {
  ok("CreateTable", R"({"TableName":"Per","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
    "GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]})");
  ok("UpdateTimeToLive", R"({"TableName":"Per","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  for (int i = 0; i < 10; ++i) ok("PutItem", R"({"TableName":"Per","Item":{"pk":{"S":"k)" + std::to_string(i) + R"("},"g":{"S":"x"}}})");
  close();
  open();
  Reply d = ok("DescribeTable", R"({"TableName":"Per"})");
  EXPECT_EQ(d["Table"]["ItemCount"].GetInt(), 10);
  EXPECT_STREQ(ok("DescribeTimeToLive", R"({"TableName":"Per"})")["TimeToLiveDescription"]["TimeToLiveStatus"].GetString(), "ENABLED");
  Reply q = ok("Query", R"({"TableName":"Per","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}}})");
  EXPECT_EQ(q["Count"].GetInt(), 10);
  createHashRange("Second");  // table ids keep counting after a restart
  ok("PutItem", R"({"TableName":"Second","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  EXPECT_EQ(ok("Scan", R"({"TableName":"Per"})")["Count"].GetInt(), 10);
}

}  // namespace
}  // namespace cdnlab::store

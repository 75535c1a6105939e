// What a write reports under ReturnConsumedCapacity on a table with secondary indexes: DynamoDB
// charges one write per index entry put or deleted (two when the index key changes, none when the
// entry stays as it was), per 1 KB of the entry, folds them into CapacityUnits and, under INDEXES,
// lists each index the write cost something (Developer Guide, "Provisioned throughput
// considerations for Global Secondary Indexes" and "... for Local Secondary Indexes").
#include <string>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

class WriteCapacity : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    // gsi: INCLUDE proj; lsi: ALL.
    ok("CreateTable", R"({"TableName":"Idx","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST",)"
                         R"("GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["proj"]}}],)"
                         R"("LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]})");
  }

  Reply put(const std::string& item, const char* mode = "INDEXES") {
    return ok("PutItem", R"({"TableName":"Idx","Item":)" + item + R"(,"ReturnConsumedCapacity":")" + mode + R"("})");
  }
  Reply update(const std::string& pk, const std::string& expr, const std::string& values = "") {
    return ok("UpdateItem", R"({"TableName":"Idx","Key":{"pk":{"S":")" + pk + R"("},"sk":{"S":"1"}},"UpdateExpression":")" +
                                expr + "\"" + (values.empty() ? "" : R"(,"ExpressionAttributeValues":)" + values) +
                                R"(,"ReturnConsumedCapacity":"INDEXES"})");
  }
  // The seeded item sits in both indexes.
  void seed(const std::string& pk) {
    ok("PutItem", R"({"TableName":"Idx","Item":{"pk":{"S":")" + pk +
                      R"("},"sk":{"S":"1"},"g":{"S":"g1"},"l":{"S":"L1"},"proj":{"S":"p"},"misc":{"S":"o"}}})");
  }

  // CapacityUnits, Table's, and each arm's (-1: the arm is absent; the map must then be absent too).
  static void expectArms(const rapidjson::Value& cc, double total, double table, double gsi, double lsi) {
    EXPECT_EQ(cc["TableName"].GetString(), std::string("Idx"));
    EXPECT_EQ(cc["CapacityUnits"].GetDouble(), total) << json(cc);
    EXPECT_EQ(cc["Table"]["CapacityUnits"].GetDouble(), table) << json(cc);
    if (gsi < 0) {
      EXPECT_FALSE(cc.HasMember("GlobalSecondaryIndexes")) << json(cc);
    } else {
      ASSERT_TRUE(cc.HasMember("GlobalSecondaryIndexes")) << json(cc);
      EXPECT_EQ(cc["GlobalSecondaryIndexes"]["gsi"]["CapacityUnits"].GetDouble(), gsi) << json(cc);
      EXPECT_FALSE(cc["GlobalSecondaryIndexes"]["gsi"].HasMember("WriteCapacityUnits"));
    }
    if (lsi < 0) {
      EXPECT_FALSE(cc.HasMember("LocalSecondaryIndexes")) << json(cc);
    } else {
      ASSERT_TRUE(cc.HasMember("LocalSecondaryIndexes")) << json(cc);
      EXPECT_EQ(cc["LocalSecondaryIndexes"]["lsi"]["CapacityUnits"].GetDouble(), lsi) << json(cc);
    }
  }
};

TEST_F(WriteCapacity, APutChargesEachIndexItEnters) {
  expectArms(put(R"({"pk":{"S":"a"},"sk":{"S":"1"},"g":{"S":"g1"},"proj":{"S":"p"}})")["ConsumedCapacity"], 2, 1, 1, -1);
  expectArms(put(R"({"pk":{"S":"b"},"sk":{"S":"1"},"l":{"S":"L1"}})")["ConsumedCapacity"], 2, 1, -1, 1);
  expectArms(put(R"({"pk":{"S":"c"},"sk":{"S":"1"},"g":{"S":"g1"},"l":{"S":"L1"}})")["ConsumedCapacity"], 3, 1, 1, 1);
  // Sparse: in no index, no arm at all.
  expectArms(put(R"({"pk":{"S":"d"},"sk":{"S":"1"},"misc":{"S":"o"}})")["ConsumedCapacity"], 1, 1, -1, -1);
}

TEST_F(WriteCapacity, TotalFoldsTheIndexesInWithoutArms) {
  Reply r = put(R"({"pk":{"S":"a"},"sk":{"S":"1"},"g":{"S":"g1"}})", "TOTAL");
  EXPECT_EQ(r["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 2);
  EXPECT_FALSE(r["ConsumedCapacity"].HasMember("Table"));
  EXPECT_FALSE(r["ConsumedCapacity"].HasMember("GlobalSecondaryIndexes"));
}

TEST_F(WriteCapacity, AnIdenticalOverwriteChargesNoIndex) {
  const std::string item = R"({"pk":{"S":"a"},"sk":{"S":"1"},"g":{"S":"g1"},"l":{"S":"L1"},"proj":{"S":"p"}})";
  expectArms(put(item)["ConsumedCapacity"], 3, 1, 1, 1);
  expectArms(put(item)["ConsumedCapacity"], 1, 1, -1, -1);
}

TEST_F(WriteCapacity, UpdatesChargeWhatTheIndexEntryBecomes) {
  seed("np");  // an attribute the GSI does not project: only the ALL-projected LSI changes
  expectArms(update("np", "SET misc = :v", R"({":v":{"S":"o2"}})")["ConsumedCapacity"], 2, 1, -1, 1);
  seed("pr");  // a projected attribute: one write to each
  expectArms(update("pr", "SET proj = :v", R"({":v":{"S":"p2"}})")["ConsumedCapacity"], 3, 1, 1, 1);
  seed("mv");  // the GSI key moves: its old entry's delete and the new one's put
  expectArms(update("mv", "SET g = :v", R"({":v":{"S":"g2"}})")["ConsumedCapacity"], 4, 1, 2, 1);
  seed("rm");  // the GSI key goes: the delete only
  expectArms(update("rm", "REMOVE g")["ConsumedCapacity"], 3, 1, 1, 1);
  seed("lk");  // the LSI key moves; the GSI, which does not project it, stays as it was
  expectArms(update("lk", "SET l = :v", R"({":v":{"S":"L2"}})")["ConsumedCapacity"], 3, 1, -1, 2);
}

TEST_F(WriteCapacity, ADeleteChargesEachIndexTheItemOccupied) {
  seed("a");
  Reply r = ok("DeleteItem", R"({"TableName":"Idx","Key":{"pk":{"S":"a"},"sk":{"S":"1"}},"ReturnConsumedCapacity":"INDEXES"})");
  expectArms(r["ConsumedCapacity"], 3, 1, 1, 1);
  put(R"({"pk":{"S":"b"},"sk":{"S":"1"}})");
  r = ok("DeleteItem", R"({"TableName":"Idx","Key":{"pk":{"S":"b"},"sk":{"S":"1"}},"ReturnConsumedCapacity":"INDEXES"})");
  expectArms(r["ConsumedCapacity"], 1, 1, -1, -1);
}

TEST_F(WriteCapacity, IndexWritesArePerKilobyteOfTheEntry) {
  // The LSI projects everything (a 2 KB entry: two units); the GSI only the keys (one).
  const std::string big(2000, 'x');
  Reply r = put(R"({"pk":{"S":"a"},"sk":{"S":"1"},"g":{"S":"g1"},"l":{"S":"L1"},"blob":{"S":")" + big + R"("}})");
  expectArms(r["ConsumedCapacity"], 5, 2, 1, 2);
}

TEST_F(WriteCapacity, BatchWriteSumsEachTablesItems) {
  Reply r = ok("BatchWriteItem", R"({"RequestItems":{"Idx":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"S":"1"},"g":{"S":"g1"}}}},)"
                                  R"({"PutRequest":{"Item":{"pk":{"S":"b"},"sk":{"S":"1"}}}}]},"ReturnConsumedCapacity":"INDEXES"})");
  ASSERT_EQ(r["ConsumedCapacity"].Size(), 1u);
  expectArms(r["ConsumedCapacity"][0], 3, 2, 1, -1);
}

// A transactional write costs twice a plain one (Developer Guide, "Capacity management for
// transactions"), its index entries included.
TEST_F(WriteCapacity, TransactionsChargeEachIndexTwice) {
  Reply r = ok("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Idx","Item":{"pk":{"S":"a"},"sk":{"S":"1"},"g":{"S":"g1"},"l":{"S":"L1"}}}}],)"
                                      R"("ReturnConsumedCapacity":"INDEXES"})");
  ASSERT_EQ(r["ConsumedCapacity"].Size(), 1u) << r.body;
  expectArms(r["ConsumedCapacity"][0], 6, 2, 2, 2);
  seed("mv");  // the GSI key moves (delete + put), the LSI's projection changes
  r = ok("TransactWriteItems", R"({"TransactItems":[{"Update":{"TableName":"Idx","Key":{"pk":{"S":"mv"},"sk":{"S":"1"}},"UpdateExpression":"SET g = :v","ExpressionAttributeValues":{":v":{"S":"g2"}}}},)"
                               R"({"Delete":{"TableName":"Idx","Key":{"pk":{"S":"a"},"sk":{"S":"1"}}}}],"ReturnConsumedCapacity":"INDEXES"})");
  ASSERT_EQ(r["ConsumedCapacity"].Size(), 1u) << r.body;
  // Table: 2 + 2; GSI: 4 (move) + 2 (delete); LSI: 2 + 2.
  expectArms(r["ConsumedCapacity"][0], 14, 4, 6, 4);
  r = ok("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Idx","Item":{"pk":{"S":"b"},"sk":{"S":"1"},"g":{"S":"g1"}}}}],"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(r["ConsumedCapacity"][0]["CapacityUnits"].GetDouble(), 4) << r.body;
  EXPECT_FALSE(r["ConsumedCapacity"][0].HasMember("GlobalSecondaryIndexes"));
  // A sparse put: no index arm.
  r = ok("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Idx","Item":{"pk":{"S":"c"},"sk":{"S":"1"}}}}],"ReturnConsumedCapacity":"INDEXES"})");
  expectArms(r["ConsumedCapacity"][0], 2, 2, -1, -1);
}

}  // namespace
}  // namespace cdnlab::store

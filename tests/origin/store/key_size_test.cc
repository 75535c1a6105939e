// DynamoDB's key size limits (2048 bytes for a partition key, 1024 for a sort key) hold for every
// key a request names, not only for an item PutItem writes: GetItem, DeleteItem, UpdateItem and
// BatchGetItem with a too-long key are ValidationExceptions, worded as PutItem's.
#include <string>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {


const char* kHashTooLong = "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes";
const char* kRangeTooLong = "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes";


std::string key(const std::string& pk, const std::string& sk) {
  return R"({"pk":{"S":")" + pk + R"("},"sk":{"S":")" + sk + R"("}})";
}

class KeySizeTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    ok("CreateTable", R"({"TableName":"Keys","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})");
  }
  void expectRefused(const std::string& op, const std::string& body, const char* message) {
    Reply r = call(op, body);
    EXPECT_EQ(r.status, 400) << op << ": " << r.body;
    EXPECT_EQ(r.type(), "ValidationException") << op << ": " << r.body;
    EXPECT_EQ(r.message(), message) << op << ": " << r.body;
  }
};

TEST_F(KeySizeTest, EveryOperationRefusesAKeyOverTheLimits) {
  const std::string longHash(2049, 'h'), longRange(1025, 'r');
  for (const auto& [k, message] : {std::pair{key(longHash, "s"), kHashTooLong}, std::pair{key("p", longRange), kRangeTooLong}}) {
    expectRefused("GetItem", R"({"TableName":"Keys","Key":)" + k + "}", message);
    expectRefused("DeleteItem", R"({"TableName":"Keys","Key":)" + k + "}", message);
    expectRefused("UpdateItem", R"({"TableName":"Keys","Key":)" + k + R"(,"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}})", message);
    expectRefused("BatchGetItem", R"({"RequestItems":{"Keys":{"Keys":[)" + k + "]}}}", message);
    expectRefused("PutItem", R"({"TableName":"Keys","Item":)" + k + "}", message);
  }
}

TEST_F(KeySizeTest, KeysAtTheLimitsAreServed) {
  const std::string hash(2048, 'h'), range(1024, 'r');
  ok("PutItem", R"({"TableName":"Keys","Item":)" + key(hash, range) + "}");
  Reply got = ok("GetItem", R"({"TableName":"Keys","Key":)" + key(hash, range) + "}");
  ASSERT_TRUE(got.has("Item")) << got.body;
  EXPECT_EQ(std::string(got["Item"]["pk"]["S"].GetString()).size(), 2048u);
  ok("DeleteItem", R"({"TableName":"Keys","Key":)" + key(hash, range) + "}");
}

}  // namespace
}  // namespace cdnlab::store

// UpdateItem's size gate as DynamoDB applies it: besides the finished item's 400 KB, the update's
// own mutation (the top-level attributes it writes, name and finished value, plus 3 bytes and a
// charge per action: 19 per SET or ADD, 20 for a SET through a list index, 2 per REMOVE or DELETE)
// must fit in 409,600 bytes. So at a short key UpdateItem refuses a finished item PutItem accepts,
// and an attribute the update leaves alone is not counted. A transacted Update is measured by its
// finished item only. Each case runs on a plain table (the splice path when the item exists) and
// on a table with a stream (the general path).
#include <string>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

constexpr size_t kMax = 409600;
constexpr const char* kRefused = "Item size to update has exceeded the maximum allowed size";

class ServiceUpdateSize : public StoreFixture, public ::testing::WithParamInterface<bool> {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    std::string body = R"({"TableName":"Tbl","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST")";
    if (GetParam()) body += R"(,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"})";
    ok("CreateTable", body + "}");
  }

  static std::string str(size_t n) { return std::string(n, 'x'); }

  Reply update(const std::string& pk, const std::string& expr, const std::string& values) {
    return call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":")" + pk + R"("}},"UpdateExpression":")" + expr +
                                  R"(","ExpressionAttributeValues":{)" + values + "}}");
  }
  void put(const std::string& itemJson) { ok("PutItem", R"({"TableName":"Tbl","Item":)" + itemJson + "}"); }
  static void expectRefused(const Reply& r) {
    EXPECT_EQ(r.status, 400) << r.body.substr(0, 200);
    EXPECT_EQ(r.type(), "ValidationException");
    EXPECT_EQ(r.message(), kRefused);
  }
};

// {pk:"K"} is 3 bytes; `SET b = :pad` writes 1 + len bytes and costs 3 + 19: the largest finished
// item is 409,581 bytes (409,600 - 19), where PutItem takes the full 409,600.
TEST_P(ServiceUpdateSize, AShortKeyPutsTheCeilingBelowTheItemLimit) {
  const size_t len = kMax - 22 - 1;
  EXPECT_EQ(update("K", "SET b = :pad", R"(":pad":{"S":")" + str(len) + R"("})").status, 200);
  expectRefused(update("L", "SET b = :pad", R"(":pad":{"S":")" + str(len + 1) + R"("})"));
  // The same on an existing item (the splice path on the plain table).
  put(R"({"pk":{"S":"M"}})");
  expectRefused(update("M", "SET b = :pad", R"(":pad":{"S":")" + str(len + 1) + R"("})"));
  Reply g = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"M"}}})");
  EXPECT_FALSE(g["Item"].HasMember("b"));
  // PutItem measures the finished item: 3 + 1 + (409,600 - 4) bytes fit.
  put(R"({"pk":{"S":"N"},"b":{"S":")" + str(kMax - 4) + R"("}})");
}

// A long key takes the finished item's limit back: at a 100-byte key the ceiling is 409,600.
TEST_P(ServiceUpdateSize, ALongKeyIsBoundByTheFinishedItem) {
  const std::string pk(100, 'k');
  const size_t len = kMax - (2 + 100) - 1;
  EXPECT_EQ(update(pk, "SET b = :pad", R"(":pad":{"S":")" + str(len) + R"("})").status, 200);
  expectRefused(update(std::string(100, 'j'), "SET b = :pad", R"(":pad":{"S":")" + str(len + 1) + R"("})"));
}

TEST_P(ServiceUpdateSize, EachActionHasItsCharge) {
  // A second SET: 19 more (its own value, `c` = "y", counted as written).
  const size_t twoSets = kMax - 3 - 19 - 19 - 2 - 1;
  EXPECT_EQ(update("A1", "SET b = :pad, c = :c", R"(":pad":{"S":")" + str(twoSets) + R"("},":c":{"S":"y"})").status, 200);
  expectRefused(update("B1", "SET b = :pad, c = :c", R"(":pad":{"S":")" + str(twoSets + 1) + R"("},":c":{"S":"y"})"));
  // A REMOVE: 2 more, and the removed attribute writes nothing.
  put(R"({"pk":{"S":"A2"},"r":{"S":"z"}})");
  put(R"({"pk":{"S":"B2"},"r":{"S":"z"}})");
  const size_t withRemove = kMax - 3 - 19 - 2 - 1;
  EXPECT_EQ(update("A2", "SET b = :pad REMOVE r", R"(":pad":{"S":")" + str(withRemove) + R"("})").status, 200);
  expectRefused(update("B2", "SET b = :pad REMOVE r", R"(":pad":{"S":")" + str(withRemove + 1) + R"("})"));
  // A SET through a list index: one more than a plain SET; the whole list is what it writes.
  put(R"({"pk":{"S":"A3"},"d":{"L":[{"S":"a"}]}})");
  put(R"({"pk":{"S":"B3"},"d":{"L":[{"S":"a"}]}})");
  const size_t listValue = kMax - 3 - 20 - 1 - (3 + 1);  // d, and the list's overhead and element byte
  EXPECT_EQ(update("A3", "SET d[0] = :pad", R"(":pad":{"S":")" + str(listValue) + R"("})").status, 200);
  expectRefused(update("B3", "SET d[0] = :pad", R"(":pad":{"S":")" + str(listValue + 1) + R"("})"));
}

// An attribute the update does not touch is in the item but not in the mutation.
TEST_P(ServiceUpdateSize, AnUntouchedAttributeIsNotCounted) {
  put(R"({"pk":{"S":"U1"},"u":{"S":"yyyyyyyyyy"}})");
  put(R"({"pk":{"S":"U2"},"u":{"S":"yyyyyyyyyy"}})");
  const size_t len = kMax - 22 - 1;  // as at a bare key: u's 11 bytes buy their own room back
  EXPECT_EQ(update("U1", "SET b = :pad", R"(":pad":{"S":")" + str(len) + R"("})").status, 200);
  expectRefused(update("U2", "SET b = :pad", R"(":pad":{"S":")" + str(len + 1) + R"("})"));
}

// TransactWriteItems' Update measures the finished item: it writes what UpdateItem refuses.
TEST_P(ServiceUpdateSize, ATransactedUpdateMeasuresTheFinishedItem) {
  put(R"({"pk":{"S":"Y"}})");
  const std::string pad = str(kMax - 3 - 1);
  expectRefused(update("Y", "SET p = :p", R"(":p":{"S":")" + pad + R"("})"));
  ok("TransactWriteItems", R"({"TransactItems":[{"Update":{"TableName":"Tbl","Key":{"pk":{"S":"Y"}},"UpdateExpression":"SET p = :p","ExpressionAttributeValues":{":p":{"S":")" +
                               pad + R"("}}}}]})");
  Reply g = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"Y"}}})");
  EXPECT_EQ(std::string(g["Item"]["p"]["S"].GetString()).size(), pad.size());
}

// The number in an item costs what DynamoDB's gate charges: -42 is 3 bytes, so an item of
// {pk:"n0", n:-42, p:<padding>} fits at exactly 409,600 bytes and not one byte over.
TEST_P(ServiceUpdateSize, PutItemSizesANumberAsDynamoDB) {
  const size_t pad = kMax - (2 + 2) - (1 + 3) - 1;
  put(R"({"pk":{"S":"n0"},"n":{"N":"-42"},"p":{"S":")" + str(pad) + R"("}})");
  Reply r = call("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"n1"},"n":{"N":"-42"},"p":{"S":")" + str(pad + 1) + R"("}}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.message(), "Item size has exceeded the maximum allowed size");
}

INSTANTIATE_TEST_SUITE_P(PlainAndStreamed, ServiceUpdateSize, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Streamed" : "Plain"; });

}  // namespace
}  // namespace cdnlab::store

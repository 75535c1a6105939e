// Constraint messages DynamoDB words unlike the generic "Value '<JSON>' at '<path>'" form, as
// live DynamoDB answers them (us-east-1): BatchGetItem's too many keys for one table (the path as
// the request spells it, no value), BatchWriteItem's too many requests for one table (RequestItems
// echoed as DynamoDB's Java request objects), and CreateTable's table-name lengths (a constraint,
// not the "must be at least 3 characters long" sentence of the other table operations).
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using ServiceParityMessages = StoreFixture;

void expectValidation(const Reply& r, const std::string& message) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.type(), "ValidationException") << r.body;
  EXPECT_EQ(r.message(), message) << r.body;
}

TEST_F(ServiceParityMessages, BatchGetItemTooManyKeysForATable) {
  createHashRange();
  std::string keys;
  for (int i = 0; i < 101; ++i) keys += std::string(i ? "," : "") + R"({"pk":{"S":"k)" + std::to_string(i) + R"("},"sk":{"N":"1"}})";
  expectValidation(call("BatchGetItem", R"({"RequestItems":{"Tbl":{"Keys":[)" + keys + "]}}}"),
                   "1 validation error detected: Value at 'RequestItems.Tbl.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
}

TEST_F(ServiceParityMessages, BatchWriteItemTooManyRequestsEchoesTheJavaObjects) {
  createHashRange();
  std::string requests, echo;
  for (int i = 0; i < 26; ++i) {
    std::string n = std::to_string(i);
    requests += std::string(i ? "," : "") + R"({"PutRequest":{"Item":{"pk":{"S":"bw-)" + n + R"("}}}})";
    echo += std::string(i ? ", " : "") + "WriteRequest(putRequest=PutRequest(item={pk=AttributeValue(s=bw-" + n +
            ", n=null, b=null, iNT=null, dECIMAL=null, dOUBLE=null, sS=null, nS=null, bS=null, iNTSET=null, dECIMALSET=null, "
            "dOUBLESET=null, m=null, l=null, nULL=null, bOOL=null)}, workloadProfileName=null), deleteRequest=null)";
  }
  expectValidation(call("BatchWriteItem", R"({"RequestItems":{"Tbl":[)" + requests + "]}}"),
                   "1 validation error detected: Value '{Tbl=[" + echo +
                       "]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length "
                       "less than or equal to 25, Member must have length greater than or equal to 1]");
}

TEST_F(ServiceParityMessages, BatchWriteItemEchoOfOtherTypesStaysJavaShaped) {
  // Every AttributeValue member type, a delete, and hostile shapes the type pass lets through
  // (null members): the echo never falls back to JSON.
  std::string requests = R"({"DeleteRequest":{"Key":{"pk":{"S":"d"}}}},{"PutRequest":{"Item":{"pk":{"S":"p"},"n":{"N":"1"},"b":{"B":"AAEC"},"ss":{"SS":["x","y"]},"m":{"M":{"q":{"BOOL":true}}},"l":{"L":[{"NULL":true}]}}}})";
  for (int i = 0; i < 24; ++i) requests += R"(,{"PutRequest":{"Item":{"pk":{"S":"x"}}}})";
  Reply r = call("BatchWriteItem", R"({"RequestItems":{"Tbl":[)" + requests + "]}}");
  const std::string m = r.message();
  EXPECT_EQ(m.find('"'), std::string::npos) << m;
  EXPECT_NE(m.find("WriteRequest(putRequest=null, deleteRequest=DeleteRequest(key={pk=AttributeValue(s=d, "), std::string::npos) << m;
  EXPECT_NE(m.find("b=java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]"), std::string::npos) << m;
  EXPECT_NE(m.find("sS=[x, y]"), std::string::npos) << m;
  EXPECT_NE(m.find("m={q=AttributeValue(s=null"), std::string::npos) << m;
  EXPECT_NE(m.find("bOOL=true)}"), std::string::npos) << m;
  EXPECT_NE(m.find("l=[AttributeValue(s=null"), std::string::npos) << m;
  EXPECT_NE(m.find("nULL=true"), std::string::npos) << m;
}

TEST_F(ServiceParityMessages, BatchWriteItemEchoIsBounded) {
  // 26 requests whose one item has 10000 tiny list elements: the Java echo of each element is
  // some 170 characters, so the whole would be some 44 MB; it stops past 1 MiB.
  std::string big = R"({"PutRequest":{"Item":{"pk":{"S":"p"},"l":{"L":[)";
  for (int i = 0; i < 10000; ++i) big += std::string(i ? "," : "") + R"({"NULL":true})";
  big += "]}}}}";
  std::string requests = big;
  for (int i = 0; i < 25; ++i) requests += "," + big;
  Reply r = call("BatchWriteItem", R"({"RequestItems":{"Tbl":[)" + requests + "]}}");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_LT(r.message().size(), 2u << 20);
  EXPECT_NE(r.message().find("...]"), std::string::npos);
  EXPECT_NE(r.message().find("' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25"),
            std::string::npos);
}

TEST_F(ServiceParityMessages, CreateTableNameLengthsAreConstraints) {
  const std::string rest = R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})";
  expectValidation(call("CreateTable", R"({"TableName":"ab)" + rest),
                   "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
  expectValidation(call("CreateTable", R"({"TableName":")" + rest),
                   "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
  expectValidation(call("CreateTable", R"({"TableName":"x!)" + rest),
                   "2 validation errors detected: Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression "
                   "pattern: [a-zA-Z0-9_.-]+; Value 'x!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
  // The other table operations keep their sentence.
  expectValidation(call("DescribeTable", R"({"TableName":"ab"})"), "TableName must be at least 3 characters long and at most 255 characters long");
}

TEST_F(ServiceParityMessages, TransactGetItemsKeyOffTheSchemaCancelsTheTransaction) {
  // Per-action validation goes through the cancellation reasons, as TransactWriteItems' does: the
  // action whose key does not fit says ValidationError, the others None.
  createHashRange();
  Reply r = call("TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}},{"Get":{"TableName":"Tbl","Key":{}}}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.type(), "TransactionCanceledException") << r.body;
  EXPECT_EQ(r.message(), "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]");
  ASSERT_TRUE(r.has("CancellationReasons")) << r.body;
  EXPECT_EQ(json(r["CancellationReasons"]),
            R"([{"Code":"None"},{"Code":"ValidationError","Message":"The provided key element does not match the schema"}])");
  // A request-level error elsewhere still wins: a ValidationException for the whole request.
  r = call("TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":"Tbl","Key":{}}},{"Get":{"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"!!!"}}]})");
  EXPECT_EQ(r.type(), "ValidationException") << r.body;
}

}  // namespace
}  // namespace cdnlab::store

// The store's answers where moto's AWS-verified DynamoDB tests (tests its authors ran against
// DynamoDB itself) found them unlike DynamoDB: the Select checks' wording, where a KeyType error in
// an index's key schema is reported, and an empty key value inside a transaction.
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using ServiceAwsVerified = StoreFixture;

void expectValidation(const Reply& r, const std::string& message) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.type(), "ValidationException") << r.body;
  EXPECT_EQ(r.message(), message) << r.body;
}

// DynamoDB names the Select value a projection conflicts with, and wraps the Select checks in the
// validation envelope on Query but not on Scan.
TEST_F(ServiceAwsVerified, SelectConflictNamesTheSelectValue) {
  createHashRange();
  for (const char* sel : {"ALL_ATTRIBUTES", "COUNT"}) {
    const std::string chosen = std::string(sel) == "COUNT" ? "only the Count" : sel;
    expectValidation(call("Scan", std::string(R"({"TableName":"Tbl","Select":")") + sel + R"(","ProjectionExpression":"v"})"),
                     "Cannot specify the ProjectionExpression when choosing to get " + chosen);
    expectValidation(call("Scan", std::string(R"({"TableName":"Tbl","Select":")") + sel + R"(","AttributesToGet":["v"]})"),
                     "Cannot specify the AttributesToGet when choosing to get " + chosen);
  }
  expectValidation(call("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Select":"ALL_ATTRIBUTES","ProjectionExpression":"v"})"),
                   "1 validation error detected: Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES");
  expectValidation(call("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Select":"ALL_PROJECTED_ATTRIBUTES"})"),
                   "1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  expectValidation(call("Scan", R"({"TableName":"Tbl","Select":"ALL_PROJECTED_ATTRIBUTES"})"),
                   "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
}

// A KeyType outside [HASH, RANGE] in an index names the index's place in its list.
TEST_F(ServiceAwsVerified, IndexKeyTypeErrorNamesTheIndex) {
  const std::string head = R"({"TableName":"Bad","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST",)";
  const std::string ok = R"({"IndexName":"gsi1","KeySchema":[{"AttributeName":"sk","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}})";
  const std::string bad = R"({"IndexName":"gsi2","KeySchema":[{"AttributeName":"n/a","KeyType":"HASH"},{"AttributeName":"sth","KeyType":"SORT"}],"Projection":{"ProjectionType":"ALL"}})";
  expectValidation(call("CreateTable", head + R"("GlobalSecondaryIndexes":[)" + ok + "," + bad + "]}"),
                   "1 validation error detected: Value 'SORT' at 'globalSecondaryIndexes.2.member.keySchema.2.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
  expectValidation(call("CreateTable", head + R"("LocalSecondaryIndexes":[{"IndexName":"lsi1","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"x","KeyType":"SORT"}],"Projection":{"ProjectionType":"ALL"}}]})"),
                   "1 validation error detected: Value 'SORT' at 'localSecondaryIndexes.1.member.keySchema.2.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
  expectValidation(call("CreateTable", R"({"TableName":"Bad","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"SORT"}],"BillingMode":"PAY_PER_REQUEST"})"),
                   "1 validation error detected: Value 'SORT' at 'keySchema.2.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
}

// An empty string as a key value fails the whole TransactWriteItems request; a key of the wrong
// type still cancels the transaction with a ValidationError reason on its action.
TEST_F(ServiceAwsVerified, EmptyKeyValueInTransactionIsAValidationException) {
  createHashRange();
  expectValidation(call("TransactWriteItems", R"({"TransactItems":[{"Update":{"TableName":"Tbl","Key":{"pk":{"S":""},"sk":{"N":"1"}},"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"0"}}}}]})"),
                   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk");
  expectValidation(call("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Tbl","Item":{"pk":{"S":""},"sk":{"N":"1"}}}}]})"),
                   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk");
  Reply wrongType = call("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"Tbl","Item":{"pk":{"N":"1"},"sk":{"N":"1"}}}}]})");
  EXPECT_EQ(wrongType.type(), "TransactionCanceledException") << wrongType.body;
}

}  // namespace
}  // namespace cdnlab::store

// The store's answers where the differential run against dynalite (tests/clients/diff) found them
// worded or ordered unlike DynamoDB: expression-map keys and values, check order before the table
// lookup, Query's start-key checks, the tag operations, BatchWriteItem's request checks.
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using ServiceAwsWording = StoreFixture;

void expectValidation(const Reply& r, const std::string& message) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.type(), "ValidationException") << r.body;
  EXPECT_EQ(r.message(), message) << r.body;
}

TEST_F(ServiceAwsWording, ExpressionMapKeysMustBePlaceholders) {
  createHashRange();
  expectValidation(call("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"n","ExpressionAttributeNames":{"a":"a"}})"),
                   R"(ExpressionAttributeNames contains invalid key: Syntax error; key: "a")");
  expectValidation(call("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"ConditionExpression":"a = :a","ExpressionAttributeValues":{"a":{"S":"x"}}})"),
                   R"(ExpressionAttributeValues contains invalid key: Syntax error; key: "a")");
  // Checked before the table: the same on a table that does not exist.
  expectValidation(call("PutItem", R"({"TableName":"Nope","Item":{"pk":{"S":"a"}},"ConditionExpression":"a = :a","ExpressionAttributeValues":{":a-b":{"S":"x"}}})"),
                   R"(ExpressionAttributeValues contains invalid key: Syntax error; key: ":a-b")");
}

TEST_F(ServiceAwsWording, InvalidExpressionValueNamesItsKey) {
  createHashRange();
  expectValidation(call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET a = :a, b = :b","ExpressionAttributeValues":{":a":{"S":"x"},":b":{"SS":[]}}})"),
                   "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b");
}

TEST_F(ServiceAwsWording, EmptyExpressionAttributeNameIsNotDefined) {
  createHashRange();
  expectValidation(call("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"#a","ExpressionAttributeNames":{"#a":""}})"),
                   "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #a");
}

TEST_F(ServiceAwsWording, QueryExpressionsAreValidatedBeforeTheTableLookup) {
  expectValidation(call("Query", R"({"TableName":"Nope","KeyConditionExpression":"pk = :p"})"),
                   "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :p");
  expectValidation(call("Query", R"({"TableName":"Nope","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"},":q":{"S":"b"}}})"),
                   "Value provided in ExpressionAttributeValues unused in expressions: keys: {:q}");
  Reply scan = call("Scan", R"({"TableName":"Nope","FilterExpression":"a = :zz"})");
  expectValidation(scan, "Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :zz");
  // A valid request on a missing table is still ResourceNotFoundException.
  EXPECT_EQ(call("Query", R"({"TableName":"Nope","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}})").type(),
            "ResourceNotFoundException");
}

TEST_F(ServiceAwsWording, KeyConditionDuplicatesAreReportedBeforeTheCount) {
  createHashRange();
  expectValidation(call("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p AND sk > :v AND sk < :v","ExpressionAttributeValues":{":p":{"S":"a"},":v":{"N":"1"}}})"),
                   "KeyConditionExpressions must only contain one condition per key");
}

TEST_F(ServiceAwsWording, QueryStartKeyMustLieInTheQuery) {
  createHashRange();
  const std::string q = R"({"TableName":"Tbl","ExpressionAttributeValues":{":p":{"S":"a"}},"KeyConditionExpression":"pk = :p")";
  expectValidation(call("Query", q + R"(,"ExclusiveStartKey":{"pk":{"S":"a"}}})"), "The provided starting key is invalid");
  expectValidation(call("Query", q + R"(,"ExclusiveStartKey":{"pk":{"S":"b"},"sk":{"N":"1"}}})"),
                   "The provided starting key is outside query boundaries based on provided conditions");
  const std::string qr = R"({"TableName":"Tbl","ExpressionAttributeValues":{":p":{"S":"a"},":v":{"N":"3"}},"KeyConditionExpression":"pk = :p AND sk > :v")";
  expectValidation(call("Query", qr + R"(,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"1"}}})"),
                   "The provided starting key does not match the range key predicate");
  expectValidation(call("Query", qr + R"(,"ExclusiveStartKey":{"pk":{"S":"b"},"sk":{"N":"5"}}})"),
                   "The query can return at most one row and cannot be restarted");
  ok("Query", qr + R"(,"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"5"}}})");
}

TEST_F(ServiceAwsWording, QueryFilterOnAKeyNamesTheLegacyParameter) {
  createHashRange();
  expectValidation(call("Query", R"({"TableName":"Tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},"QueryFilter":{"sk":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"1"}]}}})"),
                   "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk");
}

TEST_F(ServiceAwsWording, IntegerMembersTakeDecimalsFloored) {
  createHashRange("Tb1");
  createHashRange("Tb2");
  Reply r = ok("ListTables", R"({"Limit":1.7})");
  EXPECT_EQ(r["TableNames"].Size(), 1u);
  expectValidation(call("ListTables", R"({"Limit":0.5})"),
                   "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
}

TEST_F(ServiceAwsWording, TagOperationsCheckTheArnAndListsFirst) {
  createHashRange();
  Reply d = ok("DescribeTable", R"({"TableName":"Tbl"})");
  const std::string arn = d["Table"]["TableArn"].GetString();
  const std::string missing = arn.substr(0, arn.rfind('/') + 1) + "Gone";
  expectValidation(call("TagResource", "{}"), "Invalid TableArn");
  expectValidation(call("UntagResource", "{}"), "Invalid TableArn");
  expectValidation(call("TagResource", R"({"ResourceArn":")" + arn + R"("})"),
                   "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  expectValidation(call("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[]})"), "Atleast one Tag needs to be provided as Input.");
  expectValidation(call("UntagResource", R"({"ResourceArn":")" + arn + R"(","TagKeys":[]})"),
                   "Atleast one Tag Key needs to be provided as Input.");
  expectValidation(call("ListTagsOfResource", R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:1:x/table/Tbl"})"),
                   "Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:1:x/table/Tbl");
  Reply gone = call("TagResource", R"({"ResourceArn":")" + missing + R"(","Tags":[{"Key":"a","Value":"b"}]})");
  EXPECT_EQ(gone.type(), "ResourceNotFoundException");
  EXPECT_EQ(gone.message(), "Requested resource not found: ResourcArn: " + missing + " not found");
  Reply untag = call("UntagResource", R"({"ResourceArn":")" + missing + R"(","TagKeys":["a"]})");
  EXPECT_EQ(untag.message(), "Requested resource not found");
}

TEST_F(ServiceAwsWording, MissingTableMessagesNameTheTable) {
  for (const char* op : {"DescribeTimeToLive", "DescribeTable"}) {
    Reply r = call(op, R"({"TableName":"Gone"})");
    EXPECT_EQ(r.type(), "ResourceNotFoundException") << op;
    EXPECT_EQ(r.message(), "Requested resource not found: Table: Gone not found") << op;
  }
  Reply u = call("UpdateTable", R"({"TableName":"Gone","BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(u.message(), "Requested resource not found: Table: Gone not found");
}

TEST_F(ServiceAwsWording, UpdateTableRefusesAnEmptyIndexUpdate) {
  expectValidation(call("UpdateTable", R"({"TableName":"Gone","GlobalSecondaryIndexUpdates":[{}]})"),
                   "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, "
                   "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null");
}

TEST_F(ServiceAwsWording, CreateTableCountsKeyElementsAgainstDefinitionsFirst) {
  expectValidation(call("CreateTable", R"({"TableName":"Tb2","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"pk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})"),
                   "Invalid KeySchema: Some index key attribute have no definition");
}

TEST_F(ServiceAwsWording, BatchWriteItemRequestChecks) {
  createHashRange();
  const std::string odd = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
  expectValidation(call("BatchWriteItem", R"({"RequestItems":{"Nope":[{}]}})"), odd);
  expectValidation(call("BatchWriteItem", R"({"RequestItems":{"Tbl":[{"PutRequest":{"Item":{"pk":{"N":"1"},"sk":{"N":"1"}}}}]}})"),
                   "The provided key element does not match the schema");
  expectValidation(call("BatchWriteItem", R"({"RequestItems":{"Tbl":[{"PutRequest":{"Item":{"sk":{"N":"1"}}}}]}})"),
                   "The provided key element does not match the schema");
}

// DynamoDB answers an empty RequestItems with its own message, not a length violation of the map
// (and a batch with no tables must not succeed as an empty batch).
TEST_F(ServiceAwsWording, EmptyRequestItemsIsAMissingParameter) {
  createHashRange();
  expectValidation(call("BatchGetItem", R"({"RequestItems":{}})"), "The requestItems parameter is required for BatchGetItem");
  expectValidation(call("BatchWriteItem", R"({"RequestItems":{}})"), "The requestItems parameter is required for BatchWriteItem");
}

TEST_F(ServiceAwsWording, LegacyAddOfAnotherTypeIsATypeMismatch) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"ss":{"SS":["x"]}}})");
  expectValidation(call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{"ss":{"Action":"ADD","Value":{"NS":["1"]}}}})"),
                   "Type mismatch for attribute to update");
  // The same through an UpdateExpression keeps the expression wording.
  expectValidation(call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"ADD ss :n","ExpressionAttributeValues":{":n":{"NS":["1"]}}})"),
                   "An operand in the update expression has an incorrect data type");
}

TEST_F(ServiceAwsWording, ConstraintMessagesPrintStructuresWithoutNullMembers) {
  Reply r = call("BatchGetItem", R"({"RequestItems":{"k1":{"Keys":null}}})");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find(R"(Value '{"k1":{}}' at 'requestItems')"), std::string::npos) << r.message();
}

TEST_F(ServiceAwsWording, RemoveNeedsTheParentOfItsPath) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"l":{"L":[{"S":"x"}]},"m":{"M":{"k":{"S":"v"}}}}})");
  const std::string key = R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":")";
  const std::string invalid = "The document path provided in the update expression is invalid for update";
  expectValidation(call("UpdateItem", key + R"(REMOVE l[0].b"})"), invalid);  // l[0] is a string
  expectValidation(call("UpdateItem", key + R"(REMOVE nope.b"})"), invalid);  // no parent
  expectValidation(call("UpdateItem", key + R"(REMOVE m[0]"})"), invalid);    // an index into a map
  // A missing last element under an existing parent is no error.
  ok("UpdateItem", key + R"(REMOVE m.nope, l[7], nope"})");
  Reply got = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  EXPECT_EQ(std::string(got["Item"]["m"]["M"]["k"]["S"].GetString()), "v");
  EXPECT_EQ(got["Item"]["l"]["L"].Size(), 1u);
}

TEST_F(ServiceAwsWording, IndexReadsChargeTheIndexUnderIndexes) {
  ok("CreateTable", R"({"TableName":"Gsi","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}],"BillingMode":"PAY_PER_REQUEST"})");
  ok("PutItem", R"({"TableName":"Gsi","Item":{"pk":{"S":"a"},"g":{"S":"x"}}})");
  Reply r = ok("Query", R"({"TableName":"Gsi","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}},"ReturnConsumedCapacity":"INDEXES"})");
  const auto& cc = r["ConsumedCapacity"];
  EXPECT_EQ(cc["CapacityUnits"].GetDouble(), 0.5);
  EXPECT_EQ(cc["Table"]["CapacityUnits"].GetDouble(), 0);
  EXPECT_EQ(cc["GlobalSecondaryIndexes"]["byG"]["CapacityUnits"].GetDouble(), 0.5);
  Reply t = ok("Scan", R"({"TableName":"Gsi","ReturnConsumedCapacity":"INDEXES"})");
  EXPECT_EQ(t["ConsumedCapacity"]["Table"]["CapacityUnits"].GetDouble(), 0.5);
  EXPECT_FALSE(t["ConsumedCapacity"].HasMember("GlobalSecondaryIndexes"));
}

TEST_F(ServiceAwsWording, SelectConflictNamesTheParameterUsed) {
  createHashRange();
  const std::string q = R"({"TableName":"Tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}},"Select":"COUNT",)";
  expectValidation(call("Query", q + R"("AttributesToGet":["v"]})"),
                   "1 validation error detected: Cannot specify the AttributesToGet when choosing to get only the Count");
  expectValidation(call("Query", R"({"TableName":"Tbl","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"Select":"COUNT","ProjectionExpression":"v"})"),
                   "1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count");
}

}  // namespace
}  // namespace cdnlab::store

// A table's ARN in place of its name (API reference, TableName: "You can also provide the Amazon
// Resource Name (ARN) of the table", length 1 to 1024): every item, query, batch, transaction and
// table operation resolves an ARN of this store's region and account to its table; another
// region's ARN is an invalid region, another account's is refused by IAM; an empty TableName
// breaks only the minimum length of 1.
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using ServiceTableArn = StoreFixture;

const std::string kArn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl";

void expectError(const Reply& r, const std::string& type, const std::string& message) {
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.type(), type) << r.body;
  EXPECT_EQ(r.message(), message) << r.body;
}

TEST_F(ServiceTableArn, ItemOperationsResolveTheTablesArn) {
  createHashRange();
  ok("PutItem", R"({"TableName":")" + kArn + R"(","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"x"}}})");
  Reply g = ok("GetItem", R"({"TableName":")" + kArn + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  EXPECT_EQ(json(g["Item"]["v"]), R"({"S":"x"})");
  // Stored under the table's name: the name reads what the ARN wrote.
  Reply byName = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  EXPECT_TRUE(byName.has("Item"));
  ok("UpdateItem", R"({"TableName":")" + kArn + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"y"}}})");
  Reply q = ok("Query", R"({"TableName":")" + kArn + R"(","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}})");
  EXPECT_EQ(q["Count"].GetInt(), 1);
  EXPECT_EQ(json(q["Items"][0]["v"]), R"({"S":"y"})");
  EXPECT_EQ(ok("Scan", R"({"TableName":")" + kArn + R"("})")["Count"].GetInt(), 1);
  ok("DeleteItem", R"({"TableName":")" + kArn + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  EXPECT_FALSE(ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})").has("Item"));
}

TEST_F(ServiceTableArn, BatchesAndTransactionsResolveTheTablesArn) {
  createHashRange();
  ok("BatchWriteItem", R"({"RequestItems":{")" + kArn + R"(":[{"PutRequest":{"Item":{"pk":{"S":"b"},"sk":{"N":"2"}}}}]}})");
  Reply b = ok("BatchGetItem", R"({"RequestItems":{")" + kArn + R"(":{"Keys":[{"pk":{"S":"b"},"sk":{"N":"2"}}]}}})");
  ASSERT_TRUE(b["Responses"].HasMember(kArn.c_str())) << b.body;  // keyed as the request keyed it
  EXPECT_EQ(b["Responses"][kArn.c_str()].Size(), 1u);
  ok("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":")" + kArn + R"(","Item":{"pk":{"S":"c"},"sk":{"N":"3"}}}}]})");
  Reply t = ok("TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":")" + kArn + R"(","Key":{"pk":{"S":"c"},"sk":{"N":"3"}}}}]})");
  EXPECT_TRUE(t["Responses"][0].HasMember("Item")) << t.body;
}

TEST_F(ServiceTableArn, TableOperationsResolveTheTablesArn) {
  createHashRange();
  Reply d = ok("DescribeTable", R"({"TableName":")" + kArn + R"("})");
  EXPECT_EQ(std::string(d["Table"]["TableName"].GetString()), "Tbl");
  EXPECT_EQ(std::string(d["Table"]["TableArn"].GetString()), kArn);
  // CreateTable names the new table by its ARN too.
  ok("CreateTable", R"({"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/Other","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  ok("DescribeTable", R"({"TableName":"Other"})");
  ok("DeleteTable", R"({"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/Other"})");
  expectError(call("DescribeTable", R"({"TableName":"Other"})"), "ResourceNotFoundException",
              "Requested resource not found: Table: Other not found");
}

TEST_F(ServiceTableArn, AMissingTableOfThisStoreIsNotFound) {
  createHashRange();
  const std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Nope";
  expectError(call("GetItem", R"({"TableName":")" + arn + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})"),
              "ResourceNotFoundException", "Requested resource not found");
  expectError(call("BatchGetItem", R"({"RequestItems":{")" + arn + R"(":{"Keys":[{"pk":{"S":"a"},"sk":{"N":"1"}}]}}})"),
              "ResourceNotFoundException", "Requested resource not found");
}

// Another region's ARN sent to this region's endpoint: DynamoDB's "Invalid AWS region in '<arn>'".
TEST_F(ServiceTableArn, AnotherRegionsArnIsAnInvalidRegion) {
  createHashRange();
  const std::string arn = "arn:aws:dynamodb:eu-west-1:000000000000:table/Tbl";
  const std::string msg = "1 validation error detected: Invalid AWS region in '" + arn + "'";
  expectError(call("GetItem", R"({"TableName":")" + arn + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})"), "ValidationException", msg);
  expectError(call("DescribeTable", R"({"TableName":")" + arn + R"("})"), "ValidationException", msg);
  expectError(call("BatchWriteItem", R"({"RequestItems":{")" + arn + R"(":[{"PutRequest":{"Item":{"pk":{"S":"b"},"sk":{"N":"2"}}}}]}})"),
              "ValidationException", msg);
  expectError(call("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":")" + arn + R"(","Item":{"pk":{"S":"c"},"sk":{"N":"3"}}}}]})"),
              "ValidationException", msg);
  // Tagging names it an ARN it cannot use.
  expectError(call("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})"), "ValidationException",
              "Invalid TableArn: Invalid ResourceArn provided as input " + arn);
  // Nothing was written through it.
  EXPECT_EQ(ok("Scan", R"({"TableName":"Tbl"})")["Count"].GetInt(), 0);
}

// Another account's table: no resource-based policy here lets this account's caller in, so IAM
// refuses the action the request (or the transaction's action) is authorised as.
TEST_F(ServiceTableArn, AnotherAccountsTableIsAccessDenied) {
  createHashRange();
  const std::string arn = "arn:aws:dynamodb:us-east-1:111122223333:table/Tbl";
  auto denied = [&](const std::string& action) {
    return "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:" + action + " on resource: " + arn +
           " because no resource-based policy allows the dynamodb:" + action + " action";
  };
  expectError(call("GetItem", R"({"TableName":")" + arn + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})"), "AccessDeniedException",
              denied("GetItem"));
  expectError(call("Query", R"({"TableName":")" + arn + R"(","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}})"),
              "AccessDeniedException", denied("Query"));
  expectError(call("DeleteTable", R"({"TableName":")" + arn + R"("})"), "AccessDeniedException", denied("DeleteTable"));
  expectError(call("BatchGetItem", R"({"RequestItems":{")" + arn + R"(":{"Keys":[{"pk":{"S":"a"},"sk":{"N":"1"}}]}}})"),
              "AccessDeniedException", denied("BatchGetItem"));
  expectError(call("TransactWriteItems", R"({"TransactItems":[{"Update":{"TableName":")" + arn +
                                             R"(","Key":{"pk":{"S":"c"},"sk":{"N":"3"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"y"}}}}]})"),
              "AccessDeniedException", denied("UpdateItem"));
  expectError(call("TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":")" + arn + R"(","Key":{"pk":{"S":"c"},"sk":{"N":"3"}}}}]})"),
              "AccessDeniedException", denied("GetItem"));
  // Tagging resolves its ResourceArn through the same parse.
  expectError(call("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"k","Value":"v"}]})"), "AccessDeniedException",
              denied("TagResource"));
  expectError(call("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})"), "AccessDeniedException", denied("ListTagsOfResource"));
  Reply r = call("GetItem", R"({"TableName":")" + arn + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  EXPECT_NE(r.body.find("com.amazon.coral.service#AccessDeniedException"), std::string::npos) << r.body;
  // The table of the same name in this account is untouched and still there.
  ok("DescribeTable", R"({"TableName":"Tbl"})");
}

TEST_F(ServiceTableArn, AValueThatIsNoTableArnIsHeldToTheNamesPattern) {
  createHashRange();
  const std::string index = "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl/index/i1";
  expectError(call("GetItem", R"({"TableName":")" + index + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})"), "ValidationException",
              "1 validation error detected: Value '" + index +
                  "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  // Past the ARN's 1024 characters, the length alone.
  const std::string longArn = "arn:" + std::string(1021, 'a');
  expectError(call("GetItem", R"({"TableName":")" + longArn + R"(","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})"), "ValidationException",
              "1 validation error detected: Value '" + longArn + "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 1024");
}

TEST_F(ServiceTableArn, StreamsListStreamsTakesNamesOnly) {
  // The Streams API's TableName is a name (3 to 255 of [a-zA-Z0-9_.-]), no ARN.
  createHashRange();
  ApiResponse r = service_->handleRequestBlocking("DynamoDBStreams_20120810.ListStreams", R"({"TableName":")" + kArn + R"("})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"), std::string::npos) << r.body;
}

TEST_F(ServiceTableArn, AnEmptyTableNameBreaksOnlyTheMinimumLength) {
  const std::string msg = "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1";
  expectError(call("PutItem", R"({"TableName":"","Item":{"pk":{"S":"a"}}})"), "ValidationException", msg);
  expectError(call("GetItem", R"({"TableName":"","Key":{"pk":{"S":"a"}}})"), "ValidationException", msg);
  expectError(call("DescribeTable", R"({"TableName":""})"), "ValidationException", msg);
  // A name that is no ARN keeps its pattern and lengths.
  expectError(call("PutItem", R"({"TableName":"ab","Item":{"pk":{"S":"a"}}})"), "ValidationException",
              "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
}

}  // namespace
}  // namespace cdnlab::store

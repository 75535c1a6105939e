// Control plane and single-item operations through handleRequest: shapes, errors, return values.
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using ServiceItems = StoreFixture;

TEST_F(ServiceItems, CreateDescribeListDelete) {
  Reply c = ok("CreateTable", R"({"TableName":"Users","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}})");
  EXPECT_STREQ(c["TableDescription"]["TableStatus"].GetString(), "CREATING");
  Reply d = ok("DescribeTable", R"({"TableName":"Users"})");
  EXPECT_STREQ(d["Table"]["TableStatus"].GetString(), "ACTIVE");
  EXPECT_STREQ(d["Table"]["TableArn"].GetString(), "arn:aws:dynamodb:us-east-1:000000000000:table/Users");
  EXPECT_EQ(d["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt(), 5);
  Reply again = call("CreateTable", R"({"TableName":"Users","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.type(), "ResourceInUseException");
  Reply l = ok("ListTables", "{}");
  EXPECT_EQ(json(l["TableNames"]), R"(["Users"])");
  ok("DeleteTable", R"({"TableName":"Users"})");
  Reply gone = call("DescribeTable", R"({"TableName":"Users"})");
  EXPECT_EQ(gone.type(), "ResourceNotFoundException");
  EXPECT_EQ(gone.message(), "Requested resource not found: Table: Users not found");
}

TEST_F(ServiceItems, ListTablesPaginates) {
  for (const char* n : {"aaa", "bbb", "ccc"}) createHashRange(n);
  Reply p1 = ok("ListTables", R"({"Limit":2})");
  EXPECT_EQ(json(p1["TableNames"]), R"(["aaa","bbb"])");
  EXPECT_STREQ(p1["LastEvaluatedTableName"].GetString(), "bbb");
  Reply p2 = ok("ListTables", R"({"Limit":2,"ExclusiveStartTableName":"bbb"})");
  EXPECT_EQ(json(p2["TableNames"]), R"(["ccc"])");
  EXPECT_FALSE(p2.has("LastEvaluatedTableName"));
}

TEST_F(ServiceItems, CreateTableValidation) {
  Reply r = call("CreateTable", R"({"TableName":"x","AttributeDefinitions":[],"KeySchema":[]})");
  EXPECT_EQ(r.type(), "ValidationException");
  // CreateTable words the name's lengths as constraints, listed with the request's other ones.
  EXPECT_EQ(r.message(), "2 validation errors detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; "
                         "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1");
  r = call("CreateTable", R"({"TableName":"xyz","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(r.message(), "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
  r = call("CreateTable", R"({"TableName":"xyz","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}]})");
  EXPECT_EQ(r.type(), "ValidationException");
}

TEST_F(ServiceItems, PutGetDeleteWithReturnValues) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"one"}}})");
  Reply g = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1.0"}}})");
  EXPECT_EQ(json(g["Item"]), R"({"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"one"}})");
  Reply p = ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"two"}},"ReturnValues":"ALL_OLD"})");
  EXPECT_STREQ(p["Attributes"]["v"]["S"].GetString(), "one");
  Reply proj = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"#v","ExpressionAttributeNames":{"#v":"v"}})");
  EXPECT_EQ(json(proj["Item"]), R"({"v":{"S":"two"}})");
  Reply d = ok("DeleteItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ReturnValues":"ALL_OLD"})");
  EXPECT_STREQ(d["Attributes"]["v"]["S"].GetString(), "two");
  Reply none = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})");
  EXPECT_EQ(none.body, "{}");
}

TEST_F(ServiceItems, KeyErrorsUseDynamoWording) {
  createHashRange();
  Reply r = call("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"}}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_EQ(r.message(), "The provided key element does not match the schema");
  r = call("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"}}})");
  EXPECT_EQ(r.message(), "One or more parameter values were invalid: Missing the key sk in the item");
  r = call("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"S":"x"}}})");
  EXPECT_EQ(r.message(), "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S");
  r = call("GetItem", R"({"TableName":"Nope","Key":{"pk":{"S":"a"}}})");
  EXPECT_EQ(r.type(), "ResourceNotFoundException");
  EXPECT_EQ(r.message(), "Requested resource not found");
  r = call("Frobnicate", "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("com.amazon.coral.service#UnknownOperationException"), std::string::npos);
  r = call("GetItem", "{not json");
  EXPECT_NE(r.body.find("com.amazon.coral.service#SerializationException"), std::string::npos);
}

TEST_F(ServiceItems, ItemSizeLimit) {
  createHashRange();
  std::string big(400 * 1024, 'x');
  Reply r = call("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":")" + big + R"("}}})");
  EXPECT_EQ(r.message(), "Item size has exceeded the maximum allowed size");
}

TEST_F(ServiceItems, ConditionalPutAndFailureItem) {
  createHashRange();
  const std::string put = R"J({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"N":"1"}},"ConditionExpression":"attribute_not_exists(pk)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"})J";
  ok("PutItem", put);
  Reply r = call("PutItem", put);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.type(), "ConditionalCheckFailedException");
  // The answer carrying the item spells its message member "Message" (a response recorded from
  // DynamoDB parses, in botocore, with no top-level "message").
  ASSERT_TRUE(r.has("Message")) << r.body;
  EXPECT_STREQ(r["Message"].GetString(), "The conditional request failed");
  EXPECT_FALSE(r.has("message")) << r.body;
  EXPECT_EQ(json(r["Item"]), R"({"pk":{"S":"a"},"sk":{"N":"1"},"v":{"N":"1"}})");
  // Without ReturnValuesOnConditionCheckFailure the plain error keeps "message".
  Reply plain = call("PutItem", R"J({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"ConditionExpression":"attribute_not_exists(pk)"})J");
  EXPECT_EQ(plain.message(), "The conditional request failed");
  EXPECT_FALSE(plain.has("Item"));
}

TEST_F(ServiceItems, UpdateItemReturnValues) {
  createHashRange();
  Reply u = ok("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET c = :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"ALL_NEW"})");
  EXPECT_EQ(json(u["Attributes"]), R"({"c":{"N":"1"},"pk":{"S":"a"},"sk":{"N":"1"}})");
  u = ok("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"ADD c :one SET d = :s","ExpressionAttributeValues":{":one":{"N":"1"},":s":{"S":"x"}},"ReturnValues":"UPDATED_OLD"})");
  EXPECT_EQ(json(u["Attributes"]), R"({"c":{"N":"1"}})");
  u = ok("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"ADD c :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"})");
  EXPECT_EQ(json(u["Attributes"]), R"({"c":{"N":"3"}})");
  Reply bad = call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET pk = :s","ExpressionAttributeValues":{":s":{"S":"x"}}})");
  EXPECT_EQ(bad.message(), "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
  Reply unused = call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET c = :one","ExpressionAttributeValues":{":one":{"N":"1"},":two":{"N":"2"}}})");
  EXPECT_EQ(unused.message(), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:two}");
}

TEST_F(ServiceItems, ConsumedCapacity) {
  createHashRange();
  Reply p = ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(p["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 1.0);
  EXPECT_STREQ(p["ConsumedCapacity"]["TableName"].GetString(), "Tbl");
  Reply g = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(g["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 0.5);
  g = ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ConsistentRead":true,"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(g["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 1.0);
  std::string v(3000, 'x');
  p = ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"b"},"sk":{"N":"1"},"v":{"S":")" + v + R"("}},"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_EQ(p["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 3.0);
}

TEST_F(ServiceItems, TagsAndTtlSettings) {
  createHashRange();
  const std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl";
  EXPECT_EQ(ok("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"env","Value":"dev"},{"Key":"team","Value":"a"}]})").body, "");  // no output members: no body
  EXPECT_EQ(ok("UntagResource", R"({"ResourceArn":")" + arn + R"(","TagKeys":["team"]})").body, "");
  Reply t = ok("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})");
  EXPECT_EQ(json(t["Tags"]), R"([{"Key":"env","Value":"dev"}])");
  Reply d = ok("DescribeTimeToLive", R"({"TableName":"Tbl"})");
  EXPECT_STREQ(d["TimeToLiveDescription"]["TimeToLiveStatus"].GetString(), "DISABLED");
  ok("UpdateTimeToLive", R"({"TableName":"Tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  d = ok("DescribeTimeToLive", R"({"TableName":"Tbl"})");
  EXPECT_STREQ(d["TimeToLiveDescription"]["TimeToLiveStatus"].GetString(), "ENABLED");
  EXPECT_STREQ(d["TimeToLiveDescription"]["AttributeName"].GetString(), "exp");
}

TEST_F(ServiceItems, TtlSweepDeletesExpiredItemsWithFakeClock) {
  createHashRange();
  ok("UpdateTimeToLive", R"({"TableName":"Tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  int64_t now = clock_.wallSeconds();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"exp":{"N":")" + std::to_string(now - 10) + R"("}}})");
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"2"},"exp":{"N":")" + std::to_string(now + 100) + R"("}}})");
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"3"},"exp":{"S":"not a number"}}})");
  EXPECT_EQ(service_->sweepTtl(now), 1u);
  EXPECT_EQ(ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})").body, "{}");
  clock_.advanceSeconds(200);
  EXPECT_EQ(service_->sweepTtl(clock_.wallSeconds()), 1u);
  Reply s = ok("Scan", R"({"TableName":"Tbl"})");
  EXPECT_EQ(s["Count"].GetInt(), 1);
  EXPECT_EQ(ok("DescribeTable", R"({"TableName":"Tbl"})")["Table"]["ItemCount"].GetInt(), 1);
}

}  // namespace
}  // namespace cdnlab::store

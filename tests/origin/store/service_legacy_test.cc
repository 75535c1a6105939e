// AWS's error shapes and validation order, and the legacy (pre-expression) parameters.
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

class ServiceLegacy : public StoreFixture {};

std::string rawType(const Reply& r) { return r.doc["__type"].GetString(); }

TEST_F(ServiceLegacy, WrongJsonTypeIsSerializationExceptionWithCoralWording) {
  Reply r = call("GetItem", R"({"TableName":1,"Key":{}})");
  EXPECT_EQ(rawType(r), "com.amazon.coral.service#SerializationException");
  EXPECT_STREQ(r.doc["Message"].GetString(), "NUMBER_VALUE cannot be converted to String");
  r = call("BatchGetItem", R"({"RequestItems":[]})");
  EXPECT_EQ(rawType(r), "com.amazon.coral.service#SerializationException");
  EXPECT_STREQ(r.doc["Message"].GetString(),
               "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.KeysAndAttributes>");
  r = call("PutItem", R"({"TableName":"abc","Item":{"a":{"S":true}}})");
  EXPECT_STREQ(r.doc["Message"].GetString(), "TRUE_VALUE cannot be converted to String");
  r = call("Scan", R"({"TableName":"abc","Limit":"5"})");
  EXPECT_STREQ(r.doc["Message"].GetString(), "STRING_VALUE cannot be converted to Integer");
}

TEST_F(ServiceLegacy, ConstraintErrorsAreListedBeforeTheTableLookup) {
  Reply r = call("Scan", R"({"TableName":"a;","Limit":0,"Select":"x"})");
  EXPECT_EQ(rawType(r), "com.amazon.coral.validate#ValidationException");
  EXPECT_EQ(r.message(),
            "4 validation errors detected: "
            "Value 'x' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; "
            "Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
            "Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; "
            "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  // An invalid request on a missing table is a ValidationException, not ResourceNotFoundException.
  r = call("PutItem", R"({"TableName":"missing","Item":{"a":{"S":"x"}},"Expected":{"a":{"Exists":false}},"ConditionExpression":"a = :v"})");
  EXPECT_EQ(r.message(),
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}");
  r = call("GetItem", R"({"TableName":"missing","Key":{"a":{"S":"x"}}})");
  EXPECT_EQ(rawType(r), "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
  r = call("GetItem", R"({"TableName":"missing","Key":{"a":{"S":"x"}},"ExpressionAttributeNames":{"#a":"a"}})");
  EXPECT_EQ(r.message(), "ExpressionAttributeNames can only be specified when using expressions");
}

TEST_F(ServiceLegacy, ExpectedWithEachComparisonOperator) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"n":{"N":"5"},"s":{"S":"hello"},"ss":{"SS":["x","y"]}}})");
  auto put = [&](const std::string& expected, const char* op = nullptr) {
    std::string body = R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"n":{"N":"5"},"s":{"S":"hello"},"ss":{"SS":["x","y"]}},"Expected":)" +
                       expected + (op ? std::string(R"(,"ConditionalOperator":")") + op + "\"" : "") + "}";
    return call("PutItem", body);
  };
  EXPECT_EQ(put(R"({"n":{"Value":{"N":"5"}}})").status, 200);
  EXPECT_EQ(put(R"({"n":{"Value":{"N":"6"}}})").type(), "ConditionalCheckFailedException");
  EXPECT_EQ(put(R"({"zz":{"Exists":false}})").status, 200);
  EXPECT_EQ(put(R"({"n":{"Exists":false}})").type(), "ConditionalCheckFailedException");
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"4"}]}})").status, 200);
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"4"}]}})").type(), "ConditionalCheckFailedException");
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"LE","AttributeValueList":[{"N":"5"}]}})").status, 200);
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"GE","AttributeValueList":[{"N":"6"}]}})").type(), "ConditionalCheckFailedException");
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"5"}]}})").status, 200);
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"},{"N":"9"}]}})").status, 200);
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"1"},{"N":"5"}]}})").status, 200);
  EXPECT_EQ(put(R"({"s":{"ComparisonOperator":"BEGINS_WITH","AttributeValueList":[{"S":"he"}]}})").status, 200);
  EXPECT_EQ(put(R"({"ss":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"S":"x"}]}})").status, 200);
  EXPECT_EQ(put(R"({"ss":{"ComparisonOperator":"NOT_CONTAINS","AttributeValueList":[{"S":"x"}]}})").type(), "ConditionalCheckFailedException");
  EXPECT_EQ(put(R"({"zz":{"ComparisonOperator":"NULL"}})").status, 200);
  EXPECT_EQ(put(R"({"zz":{"ComparisonOperator":"NOT_NULL"}})").type(), "ConditionalCheckFailedException");
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"NE","AttributeValueList":[{"N":"5"}]}})").type(), "ConditionalCheckFailedException");
  EXPECT_EQ(put(R"({"zz":{"ComparisonOperator":"NOT_NULL"},"n":{"Value":{"N":"5"}}})", "OR").status, 200);
  EXPECT_EQ(put(R"({"zz":{"ComparisonOperator":"NOT_NULL"},"n":{"Value":{"N":"5"}}})", "AND").type(), "ConditionalCheckFailedException");
  // Argument counts and combinations, worded as AWS words them.
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"}]}})").message(),
            "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator");
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"NULL","AttributeValueList":[{"N":"1"}]}})").message(),
            "One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator");
  EXPECT_EQ(put(R"({"n":{"Exists":true}})").message(),
            "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: n");
  EXPECT_EQ(put(R"({"n":{"Exists":false,"Value":{"N":"1"}}})").message(),
            "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: n");
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"EQ","Exists":true,"Value":{"N":"1"}}})").message(),
            "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: n");
  EXPECT_EQ(put(R"({"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"9"},{"N":"1"}]}})").message(),
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
}

TEST_F(ServiceLegacy, AttributeUpdatesPutAddDelete) {
  createHashRange();
  Reply r = ok("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{
      "n":{"Action":"ADD","Value":{"N":"2"}},"s":{"Value":{"S":"x"}},"set":{"Action":"ADD","Value":{"SS":["a","b"]}},
      "l":{"Action":"ADD","Value":{"L":[{"N":"1"}]}}},"ReturnValues":"ALL_NEW"})");
  EXPECT_EQ(json(r["Attributes"]),
            R"({"l":{"L":[{"N":"1"}]},"n":{"N":"2"},"pk":{"S":"a"},"s":{"S":"x"},"set":{"SS":["a","b"]},"sk":{"N":"1"}})");
  r = ok("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{
      "n":{"Action":"ADD","Value":{"N":"3"}},"s":{"Action":"DELETE"},"set":{"Action":"DELETE","Value":{"SS":["a"]}},
      "l":{"Action":"ADD","Value":{"L":[{"N":"2"}]}}},"Expected":{"n":{"Value":{"N":"2"}}},"ReturnValues":"ALL_NEW"})");
  EXPECT_EQ(json(r["Attributes"]), R"({"l":{"L":[{"N":"1"},{"N":"2"}]},"n":{"N":"5"},"pk":{"S":"a"},"set":{"SS":["b"]},"sk":{"N":"1"}})");
  r = call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{"n":{"Action":"PUT"}}})");
  EXPECT_EQ(r.message(), "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified");
  r = call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{"n":{"Action":"ADD","Value":{"S":"x"}}}})");
  EXPECT_EQ(r.message(), "One or more parameter values were invalid: ADD action is not supported for the type S");
  r = call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{"n":{"Action":"PUT","Value":{"S":"x"}}},"UpdateExpression":"SET a = :a","ExpressionAttributeValues":{":a":{"S":"1"}}})");
  EXPECT_EQ(r.message(), "Can not use both expression and non-expression parameters in the same request: "
                         "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}");
}

TEST_F(ServiceLegacy, KeyConditionsQueryFilterAndScanFilter) {
  createHashRange();
  for (int i = 1; i <= 5; ++i)
    ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":")" + std::to_string(i) + R"("},"v":{"N":")" +
                      std::to_string(i % 2) + R"("}}})");
  Reply r = ok("Query", R"({"TableName":"Tbl","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]},
      "sk":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"2"},{"N":"4"}]}},
      "QueryFilter":{"v":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]}},"AttributesToGet":["sk"]})");
  EXPECT_EQ(json(r["Items"]), R"([{"sk":{"N":"3"}}])");
  EXPECT_EQ(r["ScannedCount"].GetInt(), 3);
  r = ok("Scan", R"({"TableName":"Tbl","ScanFilter":{"sk":{"ComparisonOperator":"GE","AttributeValueList":[{"N":"4"}]},
      "v":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]}},"ConditionalOperator":"OR"})");
  EXPECT_EQ(r["Count"].GetInt(), 4);  // sk 1, 3, 5 (v=1) and 4
  r = call("Query", R"({"TableName":"Tbl","KeyConditions":{"sk":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]}}})");
  EXPECT_EQ(r.message(), "Query condition missed key schema element: pk");
  r = call("Query", R"({"TableName":"Tbl","KeyConditions":{"pk":{"ComparisonOperator":"NE","AttributeValueList":[{"S":"a"}]}}})");
  EXPECT_EQ(r.message(), "Attempted conditional constraint is not an indexable operation");
  r = call("Scan", R"({"TableName":"Tbl","ScanFilter":{"v":{"ComparisonOperator":"LT","AttributeValueList":[{"SS":["a"]}]}}})");
  EXPECT_EQ(r.message(), "One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type");
  r = call("Query", R"({"TableName":"Tbl"})");
  EXPECT_EQ(r.message(), "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
}

}  // namespace
}  // namespace cdnlab::store

namespace cdnlab::store {
namespace {

class ServiceBackups : public StoreFixture {};

TEST_F(ServiceBackups, ContinuousBackupsFlagPersistsInTheTable) {
  createHashRange();
  Reply d = ok("DescribeContinuousBackups", R"({"TableName":"Tbl"})");
  EXPECT_STREQ(d["ContinuousBackupsDescription"]["ContinuousBackupsStatus"].GetString(), "ENABLED");
  EXPECT_STREQ(d["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"].GetString(), "DISABLED");
  ok("UpdateContinuousBackups", R"({"TableName":"Tbl","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})");
  d = ok("DescribeContinuousBackups", R"({"TableName":"Tbl"})");
  EXPECT_STREQ(d["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"].GetString(), "ENABLED");
  EXPECT_EQ(call("DescribeContinuousBackups", R"({"TableName":"Nope"})").type(), "TableNotFoundException");
  EXPECT_EQ(call("UpdateContinuousBackups", R"({"TableName":"Tbl"})").message(),
            "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null");
}

}  // namespace
}  // namespace cdnlab::store

namespace cdnlab::store {
namespace {

class ServiceUpdateSemantics : public StoreFixture {};

TEST_F(ServiceUpdateSemantics, SetPastTheEndAppendsInIndexOrderAndScalarParentIsRefused) {
  createHashRange();
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"l":{"L":[{"S":"x"}]},"s":{"S":"scalar"}}})");
  Reply r = ok("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET l[9] = :a, l[5] = :b","ExpressionAttributeValues":{":a":{"S":"a"},":b":{"S":"b"}},"ReturnValues":"ALL_NEW"})");
  EXPECT_EQ(json(r["Attributes"]["l"]), R"({"L":[{"S":"x"},{"S":"b"},{"S":"a"}]})");
  r = call("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET s.b = :a","ExpressionAttributeValues":{":a":{"S":"a"}}})");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_EQ(r.message(), "The document path provided in the update expression is invalid for update");
  // An update that only removes does not create a missing item, so ALL_NEW has no Attributes (seen on
  // DynamoDB by ScyllaDB Alternator's test_item.py and test_returnvalues.py, run against AWS).
  r = ok("UpdateItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"new"},"sk":{"N":"2"}},"UpdateExpression":"REMOVE x","ReturnValues":"ALL_NEW"})");
  EXPECT_FALSE(r.has("Attributes")) << r.body;
  EXPECT_FALSE(ok("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"new"},"sk":{"N":"2"}}})").has("Item"));
}

}  // namespace
}  // namespace cdnlab::store

namespace cdnlab::store {
namespace {

class ServiceLimits : public StoreFixture {};

TEST_F(ServiceLimits, TagKeyAndKeyAttributeNameLengths) {
  std::string longKey(129, 'k');
  Reply r = call("TagResource", R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Missing","Tags":[{"Key":")" + longKey + R"(","Value":"v"}]})");
  EXPECT_EQ(r.message(), "1 validation error detected: Value '" + longKey +
                             "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128");
  std::string longName(256, 'a');
  r = call("CreateTable", R"({"TableName":"Lim","AttributeDefinitions":[{"AttributeName":")" + longName + R"(","AttributeType":"S"}],"KeySchema":[{"AttributeName":")" + longName + R"(","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("Member must have length less than or equal to 255"), std::string::npos) << r.message();
}

TEST_F(ServiceLimits, BatchRequestsAreValidatedBeforeTheirTablesAreLookedUp) {
  std::string big(401 * 1024, 'x');
  Reply r = call("BatchWriteItem", R"({"RequestItems":{"Missing":[{"PutRequest":{"Item":{"a":{"S":")" + big + R"("}}}}]}})");
  EXPECT_EQ(r.message(), "Item size has exceeded the maximum allowed size");
  r = call("BatchGetItem", R"({"RequestItems":{"Missing":{"Keys":[{"a":{"S":"x"}}],"ProjectionExpression":"a","AttributesToGet":["a"]}}})");
  EXPECT_EQ(r.type(), "ValidationException");
  r = call("BatchGetItem", R"({"RequestItems":{"Missing":{"Keys":[{"a":{"S":"x"}}]}}})");
  EXPECT_EQ(r.type(), "ResourceNotFoundException");
}

}  // namespace
}  // namespace cdnlab::store

// Global secondary indexes with multi-attribute keys (up to four HASH and four RANGE attributes):
// the key schema CreateTable / UpdateTable accept and DescribeTable returns, the entries writes keep,
// Query's key conditions over the tuples, pagination and Scan of such an index.
#include "origin/store/table.h"
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

class MultiKeyGsi : public StoreFixture {
 protected:
  // Table pk; GSI "gsi": HASH (tenant S, region N), RANGE (status S, due N).
  void createTable() {
    ok("CreateTable", R"({"TableName":"Orders","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"tenant","AttributeType":"S"},
        {"AttributeName":"region","AttributeType":"N"},{"AttributeName":"status","AttributeType":"S"},
        {"AttributeName":"due","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","Projection":{"ProjectionType":"ALL"},"KeySchema":[
        {"AttributeName":"tenant","KeyType":"HASH"},{"AttributeName":"region","KeyType":"HASH"},
        {"AttributeName":"status","KeyType":"RANGE"},{"AttributeName":"due","KeyType":"RANGE"}]}]})");
  }
  void put(const std::string& pk, const std::string& tenant, int region, const std::string& status, int due) {
    ok("PutItem", R"({"TableName":"Orders","Item":{"pk":{"S":")" + pk + R"("},"tenant":{"S":")" + tenant +
                      R"("},"region":{"N":")" + std::to_string(region) + R"("},"status":{"S":")" + status +
                      R"("},"due":{"N":")" + std::to_string(due) + R"("}}})");
  }
  void fill() {
    put("o1", "acme", 1, "open", 30);
    put("o2", "acme", 1, "open", 10);
    put("o3", "acme", 1, "done", 20);
    put("o4", "acme", 1, "open", 20);
    put("o5", "acme", 2, "open", 5);   // another partition: same tenant, other region
    put("o6", "beta", 1, "open", 15);  // another partition: other tenant
  }
  // A Query on the index; :t (acme), :r (1), #r and #s are there when `cond` uses them. `values`
  // adds to ExpressionAttributeValues (with a leading comma), `extra` to the request.
  Reply query(const std::string& cond, const std::string& values, const std::string& extra = "") {
    auto uses = [&](const char* p) { return cond.find(p) != std::string::npos; };
    std::string names;
    if (uses("#r")) names += R"("#r":"region")";
    if (uses("#s")) names += std::string(names.empty() ? "" : ",") + R"("#s":"status")";
    std::string vals = R"(":t":{"S":"acme"})";
    if (uses(":r")) vals += R"(,":r":{"N":"1"})";
    return call("Query", R"({"TableName":"Orders","IndexName":"gsi","KeyConditionExpression":")" + cond +
                             R"(","ExpressionAttributeValues":{)" + vals + values + "}" +
                             (names.empty() ? "" : R"(,"ExpressionAttributeNames":{)" + names + "}") + extra + "}");
  }
  static std::string pks(const rapidjson::Value& items) {
    std::string out;
    for (const auto& i : items.GetArray()) out += std::string(out.empty() ? "" : ",") + i["pk"]["S"].GetString();
    return out;
  }
  Reply createGsi(const std::string& keySchema, const std::string& defs) {
    return call("CreateTable", R"({"TableName":"Bad","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[)" + defs +
                                   R"(],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"GlobalSecondaryIndexes":[{"IndexName":"gsi","Projection":{"ProjectionType":"ALL"},"KeySchema":[)" +
                                   keySchema + "]}]}");
  }
};

std::string defs(std::initializer_list<const char*> names) {
  std::string out;
  for (const char* n : names) out += std::string(out.empty() ? "" : ",") + R"({"AttributeName":")" + n + R"(","AttributeType":"S"})";
  return out;
}
std::string elements(std::initializer_list<std::pair<const char*, const char*>> e) {
  std::string out;
  for (const auto& [n, t] : e) out += std::string(out.empty() ? "" : ",") + R"({"AttributeName":")" + n + R"(","KeyType":")" + t + "\"}";
  return out;
}

TEST_F(MultiKeyGsi, DescribeTableReturnsTheKeySchemaAsCreated) {
  createTable();
  Reply d = ok("DescribeTable", R"({"TableName":"Orders"})");
  EXPECT_EQ(json(d["Table"]["GlobalSecondaryIndexes"][0]["KeySchema"]),
            R"([{"AttributeName":"tenant","KeyType":"HASH"},{"AttributeName":"region","KeyType":"HASH"},)"
            R"({"AttributeName":"status","KeyType":"RANGE"},{"AttributeName":"due","KeyType":"RANGE"}])");
}

TEST_F(MultiKeyGsi, KeySchemaSurvivesTheMetadataRecord) {
  // The metadata record is what a restart reads the schema from.
  TableDesc t;
  t.name = "T";
  t.key.hash = {{"pk", ValueType::S}};
  IndexDesc i;
  i.name = "g";
  i.global = true;
  i.key.hash = {{"a", ValueType::S}, {"b", ValueType::N}};
  i.key.range = {{"c", ValueType::B}, {"d", ValueType::N}, {"e", ValueType::S}};
  t.indexes.push_back(i);
  auto back = decodeTable(encodeTable(t));
  ASSERT_TRUE(back.ok());
  const auto& k = back->indexes.at(0).key;
  ASSERT_EQ(k.hash.size(), 2u);
  ASSERT_EQ(k.range.size(), 3u);
  EXPECT_EQ(k.hash[1].name, "b");
  EXPECT_EQ(k.hash[1].type, ValueType::N);
  EXPECT_EQ(k.range[0].type, ValueType::B);
  EXPECT_EQ(k.range[2].name, "e");
  EXPECT_EQ(back->key.hash.size(), 1u);
  EXPECT_TRUE(back->key.range.empty());
}

TEST_F(MultiKeyGsi, FourOfEachIsTheLimit) {
  auto all = defs({"pk", "h1", "h2", "h3", "h4", "h5", "r1", "r2", "r3", "r4", "r5"});
  ok("CreateTable", R"({"TableName":"Max","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[)" +
                        defs({"pk", "h1", "h2", "h3", "h4", "r1", "r2", "r3", "r4"}) +
                        R"(],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"GlobalSecondaryIndexes":[{"IndexName":"gsi","Projection":{"ProjectionType":"ALL"},"KeySchema":[)" +
                        elements({{"h1", "HASH"}, {"h2", "HASH"}, {"h3", "HASH"}, {"h4", "HASH"},
                                  {"r1", "RANGE"}, {"r2", "RANGE"}, {"r3", "RANGE"}, {"r4", "RANGE"}}) + "]}]}");
  Reply r = createGsi(elements({{"h1", "HASH"}, {"h2", "HASH"}, {"h3", "HASH"}, {"h4", "HASH"}, {"h5", "HASH"}}), all);
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("more than 4 HASH"), std::string::npos) << r.message();
  r = createGsi(elements({{"h1", "HASH"}, {"r1", "RANGE"}, {"r2", "RANGE"}, {"r3", "RANGE"}, {"r4", "RANGE"}, {"r5", "RANGE"}}), all);
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("more than 4 RANGE"), std::string::npos) << r.message();
}

TEST_F(MultiKeyGsi, RefusesHashAfterRangeDuplicatesAndUndefinedAttributes) {
  auto d = defs({"pk", "h1", "h2", "r1"});
  Reply r = createGsi(elements({{"h1", "HASH"}, {"r1", "RANGE"}, {"h2", "HASH"}}), d);
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("HASH key element cannot follow a RANGE"), std::string::npos) << r.message();
  r = createGsi(elements({{"r1", "RANGE"}, {"h1", "HASH"}}), d);
  EXPECT_EQ(r.message(), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  r = createGsi(elements({{"h1", "HASH"}, {"r1", "RANGE"}, {"r1", "RANGE"}}), d);
  EXPECT_NE(r.message().find("Duplicate key attribute r1"), std::string::npos) << r.message();
  r = createGsi(elements({{"h1", "HASH"}, {"h1", "RANGE"}}), d);
  EXPECT_EQ(r.message(), "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  r = createGsi(elements({{"h1", "HASH"}, {"h2", "HASH"}, {"zz", "RANGE"}}), d);
  EXPECT_EQ(r.message(), "One or more parameter values were invalid: Some index key attributes are not defined in "
                         "AttributeDefinitions. Keys: [zz], AttributeDefinitions: [pk, h1, h2, r1]");
}

TEST_F(MultiKeyGsi, TableAndLocalIndexKeepOneHashAndOneRange) {
  Reply r = call("CreateTable", R"({"TableName":"T3","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[)" +
                                    defs({"pk", "a", "b"}) + R"(],"KeySchema":[)" +
                                    elements({{"pk", "HASH"}, {"a", "RANGE"}, {"b", "RANGE"}}) + "]}");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2"),
            std::string::npos) << r.message();
  r = call("CreateTable", R"({"TableName":"L3","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[)" +
                              defs({"pk", "sk", "a", "b"}) + R"(],"KeySchema":[)" + elements({{"pk", "HASH"}, {"sk", "RANGE"}}) +
                              R"(],"LocalSecondaryIndexes":[{"IndexName":"lsi","Projection":{"ProjectionType":"ALL"},"KeySchema":[)" +
                              elements({{"pk", "HASH"}, {"a", "RANGE"}, {"b", "RANGE"}}) + "]}]}");
  EXPECT_EQ(r.type(), "ValidationException");
  EXPECT_NE(r.message().find("at 'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: Member must have length less than or equal to 2"),
            std::string::npos) << r.message();
}

TEST_F(MultiKeyGsi, EntriesSortByTheRangeTupleWithinThePartitionTuple) {
  createTable();
  fill();
  Reply r = ok("Query", R"({"TableName":"Orders","IndexName":"gsi","KeyConditionExpression":"tenant = :t AND #r = :r",
    "ExpressionAttributeNames":{"#r":"region"},"ExpressionAttributeValues":{":t":{"S":"acme"},":r":{"N":"1"}}})");
  // (done,20) < (open,10) < (open,20) < (open,30); region 2 and tenant beta are other partitions.
  EXPECT_EQ(pks(r["Items"]), "o3,o2,o4,o1");
  r = ok("Query", R"({"TableName":"Orders","IndexName":"gsi","KeyConditionExpression":"tenant = :t AND #r = :r",
    "ExpressionAttributeNames":{"#r":"region"},"ExpressionAttributeValues":{":t":{"S":"acme"},":r":{"N":"1"}},"ScanIndexForward":false})");
  EXPECT_EQ(pks(r["Items"]), "o1,o4,o2,o3");
}

TEST_F(MultiKeyGsi, KeyConditionsOnTheRangeAttributesLeftToRight) {
  createTable();
  fill();
  auto items = [&](const std::string& cond, const std::string& values) {
    Reply r = query(cond, values);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? pks(r["Items"]) : r.message();
  };
  EXPECT_EQ(items("tenant = :t AND #r = :r AND #s = :s", R"(,":s":{"S":"open"})"), "o2,o4,o1");
  EXPECT_EQ(items("tenant = :t AND #r = :r AND #s > :s", R"(,":s":{"S":"done"})"), "o2,o4,o1");
  EXPECT_EQ(items("tenant = :t AND #r = :r AND begins_with(#s, :s)", R"(,":s":{"S":"d"})"), "o3");
  EXPECT_EQ(items("tenant = :t AND #r = :r AND #s = :s AND due = :d", R"(,":s":{"S":"open"},":d":{"N":"20"})"), "o4");
  EXPECT_EQ(items("tenant = :t AND #r = :r AND #s = :s AND due > :d", R"(,":s":{"S":"open"},":d":{"N":"10"})"), "o4,o1");
  EXPECT_EQ(items("tenant = :t AND #r = :r AND #s = :s AND due <= :d", R"(,":s":{"S":"open"},":d":{"N":"20"})"), "o2,o4");
  EXPECT_EQ(items("tenant = :t AND #r = :r AND #s = :s AND due < :d", R"(,":s":{"S":"open"},":d":{"N":"20"})"), "o2");
  EXPECT_EQ(items("tenant = :t AND #r = :r AND #s = :s AND due >= :d", R"(,":s":{"S":"open"},":d":{"N":"30"})"), "o1");
  EXPECT_EQ(items("tenant = :t AND #r = :r AND #s = :s AND due BETWEEN :a AND :b",
                  R"(,":s":{"S":"open"},":a":{"N":"15"},":b":{"N":"30"})"), "o4,o1");
  // Conditions in any order, as for a table's key.
  EXPECT_EQ(items("due = :d AND #s = :s AND #r = :r AND tenant = :t", R"(,":s":{"S":"done"},":d":{"N":"20"})"), "o3");
}

TEST_F(MultiKeyGsi, KeyConditionErrors) {
  createTable();
  auto message = [&](const std::string& cond, const std::string& values) {
    Reply r = query(cond, values);
    EXPECT_EQ(r.type(), "ValidationException") << cond;
    return r.message();
  };
  // Every partition attribute needs an equality.
  EXPECT_EQ(message("tenant = :t AND #s = :s", R"(,":s":{"S":"open"})"), "Query condition missed key schema element: region");
  EXPECT_EQ(message("tenant = :t AND #r > :r", ""), "Query key condition not supported");
  // A sort attribute cannot be skipped, and only the last one given may have a range condition.
  EXPECT_EQ(message("tenant = :t AND #r = :r AND due > :d", R"(,":d":{"N":"1"})"),
            "Query condition missed key schema element: status");
  EXPECT_EQ(message("tenant = :t AND #r = :r AND #s > :s AND due = :d", R"(,":s":{"S":"a"},":d":{"N":"1"})"),
            "Query key condition not supported");
  EXPECT_EQ(message("tenant = :t AND #r = :r AND #s = :s AND due = :d AND pk = :p",
                    R"(,":s":{"S":"a"},":d":{"N":"1"},":p":{"S":"x"})"),
            "Conditions can be of length 1 or 2 only");
  EXPECT_EQ(message("tenant = :t AND #r = :r AND #s = :s AND due = :d AND tenant = :t", R"(,":s":{"S":"a"},":d":{"N":"1"})"),
            "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(message("tenant = :t AND #r = :r AND #s = :s", R"(,":s":{"N":"1"})"),
            "One or more parameter values were invalid: Condition parameter type does not match schema type");
  EXPECT_EQ(message("tenant = :t AND #r = :r AND #s = :s AND begins_with(due, :d)", R"(,":s":{"S":"a"},":d":{"N":"1"})"),
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
}

TEST_F(MultiKeyGsi, LegacyKeyConditionsOnAMultiAttributeKey) {
  createTable();
  fill();
  Reply r = ok("Query", R"({"TableName":"Orders","IndexName":"gsi","KeyConditions":{
    "tenant":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"acme"}]},
    "region":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]},
    "status":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"open"}]},
    "due":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"10"}]}}})");
  EXPECT_EQ(pks(r["Items"]), "o4,o1");
  r = call("Query", R"({"TableName":"Orders","IndexName":"gsi","KeyConditions":{
    "tenant":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"acme"}]},
    "region":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]},
    "due":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"10"}]}}})");
  EXPECT_EQ(r.message(), "Query condition missed key schema element: status");
  r = call("Query", R"({"TableName":"Orders","IndexName":"gsi","KeyConditions":{
    "tenant":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"acme"}]},
    "region":{"ComparisonOperator":"EQ","AttributeValueList":[{"N":"1"}]},
    "status":{"ComparisonOperator":"GT","AttributeValueList":[{"S":"a"}]},
    "due":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"10"}]}}})");
  EXPECT_EQ(r.message(), "Query key condition not supported");
}

TEST_F(MultiKeyGsi, AnItemIsIndexedOnlyWithEveryKeyAttribute) {
  createTable();
  put("full", "acme", 1, "open", 1);
  ok("PutItem", R"({"TableName":"Orders","Item":{"pk":{"S":"noDue"},"tenant":{"S":"acme"},"region":{"N":"1"},"status":{"S":"open"}}})");
  ok("PutItem", R"({"TableName":"Orders","Item":{"pk":{"S":"noRegion"},"tenant":{"S":"acme"},"status":{"S":"open"},"due":{"N":"2"}}})");
  Reply r = ok("Scan", R"({"TableName":"Orders","IndexName":"gsi"})");
  EXPECT_EQ(pks(r["Items"]), "full");
  Reply d = ok("DescribeTable", R"({"TableName":"Orders"})");
  EXPECT_EQ(d["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"].GetInt(), 1);
  // Removing one key attribute takes the item out; adding the missing one puts it in.
  ok("UpdateItem", R"({"TableName":"Orders","Key":{"pk":{"S":"full"}},"UpdateExpression":"REMOVE due"})");
  ok("UpdateItem", R"({"TableName":"Orders","Key":{"pk":{"S":"noDue"}},"UpdateExpression":"SET due = :d","ExpressionAttributeValues":{":d":{"N":"7"}}})");
  r = ok("Scan", R"({"TableName":"Orders","IndexName":"gsi"})");
  EXPECT_EQ(pks(r["Items"]), "noDue");
  // A key attribute of the index with another type than defined is refused, second ones included.
  r = call("PutItem", R"({"TableName":"Orders","Item":{"pk":{"S":"bad"},"tenant":{"S":"acme"},"region":{"N":"1"},"status":{"S":"open"},"due":{"S":"soon"}}})");
  EXPECT_EQ(r.message(), "One or more parameter values were invalid: Type mismatch for Index Key due Expected: N Actual: S IndexName: gsi");
}

TEST_F(MultiKeyGsi, ChangingASecondSortAttributeMovesTheEntry) {
  createTable();
  fill();
  ok("UpdateItem", R"({"TableName":"Orders","Key":{"pk":{"S":"o1"}},"UpdateExpression":"SET due = :d","ExpressionAttributeValues":{":d":{"N":"1"}}})");
  Reply r = query("tenant = :t AND #r = :r AND #s = :s", R"(,":s":{"S":"open"})");
  EXPECT_EQ(pks(r["Items"]), "o1,o2,o4");
}

TEST_F(MultiKeyGsi, LastEvaluatedKeyCarriesEveryKeyAttributeAndResumes) {
  createTable();
  fill();
  std::string esk, all;
  for (int page = 0; page < 10; ++page) {
    Reply r = query("tenant = :t AND #r = :r", "",
                    R"(,"Limit":2)" + (esk.empty() ? "" : ",\"ExclusiveStartKey\":" + esk));
    ASSERT_EQ(r.status, 200) << r.body;
    // The page that stops at Limit on the last entry carries a LastEvaluatedKey; the next is empty.
    if (r["Items"].Size() > 0) all += (all.empty() ? "" : ",") + pks(r["Items"]);
    if (!r.has("LastEvaluatedKey")) break;
    const auto& lek = r["LastEvaluatedKey"];
    EXPECT_EQ(lek.MemberCount(), 5u) << json(lek);
    for (const char* n : {"pk", "tenant", "region", "status", "due"}) EXPECT_TRUE(lek.HasMember(n)) << n;
    esk = json(lek);
  }
  EXPECT_EQ(all, "o3,o2,o4,o1");
  // A start key from another partition or outside the sort condition is refused.
  Reply r = query("tenant = :t AND #r = :r", "",
                  R"(,"ExclusiveStartKey":{"pk":{"S":"o5"},"tenant":{"S":"acme"},"region":{"N":"2"},"status":{"S":"open"},"due":{"N":"5"}})");
  EXPECT_EQ(r.message(), "The provided starting key is outside query boundaries based on provided conditions");
  r = query("tenant = :t AND #r = :r AND #s = :s AND due > :d", R"(,":s":{"S":"open"},":d":{"N":"1"})",
            R"(,"ExclusiveStartKey":{"pk":{"S":"o3"},"tenant":{"S":"acme"},"region":{"N":"1"},"status":{"S":"done"},"due":{"N":"20"}})");
  EXPECT_EQ(r.message(), "The provided starting key does not match the range key predicate");
  r = query("tenant = :t AND #r = :r", "",
            R"(,"ExclusiveStartKey":{"pk":{"S":"o3"},"tenant":{"S":"acme"},"region":{"N":"1"},"status":{"S":"done"}})");
  EXPECT_EQ(r.message(), "The provided starting key is invalid");
}

TEST_F(MultiKeyGsi, UpdateTableCreatesAMultiAttributeIndexAndBackfills) {
  ok("CreateTable", R"({"TableName":"Orders","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})");
  put("o1", "acme", 1, "open", 30);
  put("o2", "acme", 1, "open", 10);
  ok("PutItem", R"({"TableName":"Orders","Item":{"pk":{"S":"partial"},"tenant":{"S":"acme"},"region":{"N":"1"}}})");
  ok("UpdateTable", R"({"TableName":"Orders","AttributeDefinitions":[{"AttributeName":"tenant","AttributeType":"S"},
    {"AttributeName":"region","AttributeType":"N"},{"AttributeName":"status","AttributeType":"S"},{"AttributeName":"due","AttributeType":"N"}],
    "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"gsi","Projection":{"ProjectionType":"KEYS_ONLY"},"KeySchema":[
      {"AttributeName":"tenant","KeyType":"HASH"},{"AttributeName":"region","KeyType":"HASH"},
      {"AttributeName":"status","KeyType":"RANGE"},{"AttributeName":"due","KeyType":"RANGE"}]}}]})");
  Reply d = ok("DescribeTable", R"({"TableName":"Orders"})");
  EXPECT_STREQ(d["Table"]["GlobalSecondaryIndexes"][0]["IndexStatus"].GetString(), "ACTIVE");
  EXPECT_EQ(d["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"].GetInt(), 2);
  EXPECT_EQ(json(d["Table"]["GlobalSecondaryIndexes"][0]["KeySchema"]),
            R"([{"AttributeName":"tenant","KeyType":"HASH"},{"AttributeName":"region","KeyType":"HASH"},)"
            R"({"AttributeName":"status","KeyType":"RANGE"},{"AttributeName":"due","KeyType":"RANGE"}])");
  Reply r = query("tenant = :t AND #r = :r", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r["Items"]),
            R"([{"due":{"N":"10"},"pk":{"S":"o2"},"region":{"N":"1"},"status":{"S":"open"},"tenant":{"S":"acme"}},)"
            R"({"due":{"N":"30"},"pk":{"S":"o1"},"region":{"N":"1"},"status":{"S":"open"},"tenant":{"S":"acme"}}])");
}

}  // namespace
}  // namespace cdnlab::store

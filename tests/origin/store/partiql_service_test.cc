// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction through Service::handleRequest:
// DynamoDB's documented PartiQL behaviour (INSERT is not an upsert, an UPDATE needs its item, a
// DELETE of a missing item is no error, RETURNING, paging with NextToken, the index qualifier)
// and its answers to mistakes.
#include <set>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

class PartiqlServiceTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    createHashRange("Tbl");  // pk S, sk N
  }
  Reply exec(const std::string& statement, const std::string& extra = "") {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.String(statement.c_str());
    return call("ExecuteStatement", std::string(R"({"Statement":)") + sb.GetString() + extra + "}");
  }
  Reply execOk(const std::string& statement, const std::string& extra = "") {
    Reply r = exec(statement, extra);
    EXPECT_EQ(r.status, 200) << statement << " -> " << r.body;
    return r;
  }
};

TEST_F(PartiqlServiceTest, InsertIsNotAnUpsert) {
  Reply first = execOk("INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1, 'v': 'first'}");
  EXPECT_EQ(first.body, R"({"Items":[]})");
  Reply again = exec("INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1, 'v': 'second'}");
  EXPECT_EQ(again.type(), "DuplicateItemException");
  EXPECT_EQ(again.message(), "Duplicate primary key exists in table");
  Reply got = execOk("SELECT v FROM Tbl WHERE pk = 'a' AND sk = 1");
  EXPECT_EQ(json(got["Items"]), R"([{"v":{"S":"first"}}])");
}

TEST_F(PartiqlServiceTest, UpdateNeedsTheItemAndItsCondition) {
  Reply missing = exec("UPDATE Tbl SET v = 1 WHERE pk = 'none' AND sk = 1");
  EXPECT_EQ(missing.type(), "ConditionalCheckFailedException");
  Reply created = call("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"none"},"sk":{"N":"1"}}})");
  EXPECT_FALSE(created.has("Item"));  // no upsert

  execOk("INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1, 'n': 1, 'tags': <<'x'>>, 'l': [1]}");
  Reply updated = execOk("UPDATE Tbl SET n = n + 2 SET tags = set_add(tags, <<'y'>>), l = list_append(l, [2]) "
                         "WHERE pk = 'a' AND sk = 1 AND n = 1 RETURNING MODIFIED NEW *");
  EXPECT_EQ(json(updated["Items"]),
            R"([{"l":{"L":[{"N":"1"},{"N":"2"}]},"n":{"N":"3"},"tags":{"SS":["x","y"]}}])");
  Reply stale = exec("UPDATE Tbl SET n = 9 WHERE pk = 'a' AND sk = 1 AND n = 1",
                     R"(,"ReturnValuesOnConditionCheckFailure":"ALL_OLD")");
  EXPECT_EQ(stale.type(), "ConditionalCheckFailedException");
  EXPECT_EQ(stale["Item"]["n"]["N"].GetString(), std::string("3"));

  Reply key = exec("UPDATE Tbl SET v = 1 WHERE pk = 'a'");
  EXPECT_EQ(key.type(), "ValidationException");
  EXPECT_EQ(key.message(), "Where clause does not contain a mandatory equality on all key attributes");
  Reply keyAttr = exec("UPDATE Tbl SET sk = 2 WHERE pk = 'a' AND sk = 1");
  EXPECT_EQ(keyAttr.message(), "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key");
}

TEST_F(PartiqlServiceTest, DeleteOfAMissingItemIsNoErrorAndReturnsAllOld) {
  EXPECT_EQ(execOk("DELETE FROM Tbl WHERE pk = 'none' AND sk = 1").body, R"({"Items":[]})");
  execOk("INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1, 'v': 'x'}");
  EXPECT_EQ(exec("DELETE FROM Tbl WHERE pk = 'a' AND sk = 1 AND v = 'y'").type(), "ConditionalCheckFailedException");
  Reply gone = execOk("DELETE FROM Tbl WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *");
  EXPECT_EQ(json(gone["Items"]), R"([{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"x"}}])");
  Reply wrong = exec("DELETE FROM Tbl WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED OLD *");
  EXPECT_EQ(wrong.message(), "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.");
}

TEST_F(PartiqlServiceTest, ScanPagesWithNextTokenAndLimit) {
  for (int i = 0; i < 7; ++i)
    execOk("INSERT INTO Tbl VALUE {'pk': 'p" + std::to_string(i % 3) + "', 'sk': " + std::to_string(i) + ", 'odd': " +
           (i % 2 ? "true" : "false") + "}");
  std::multiset<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    std::string extra = R"(,"Limit":2)";
    if (!token.empty()) extra += R"(,"NextToken":")" + token + "\"";
    Reply page = execOk("SELECT sk FROM Tbl WHERE odd = false", extra);
    for (const auto& it : page["Items"].GetArray()) seen.insert(it["sk"]["N"].GetString());
    token = page.has("NextToken") ? page["NextToken"].GetString() : "";
    ASSERT_LT(++pages, 10);
  } while (!token.empty());
  EXPECT_EQ(seen, (std::multiset<std::string>{"0", "2", "4", "6"}));
  EXPECT_EQ(exec("SELECT * FROM Tbl", R"(,"NextToken":"AAAA")").type(), "ValidationException");

  Reply query = execOk("SELECT sk FROM Tbl WHERE pk = 'p0' AND sk > 0 ORDER BY sk DESC");
  EXPECT_EQ(json(query["Items"]), R"([{"sk":{"N":"6"}},{"sk":{"N":"3"}}])");
}

TEST_F(PartiqlServiceTest, ChecksRunInDynamoDbsOrder) {
  Reply operand = exec("SELECT * FROM Nope1 WHERE pk = 'a' AND v < ?", R"(,"Parameters":[{"BOOL":true}])");
  EXPECT_EQ(operand.message(), "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL");
  EXPECT_EQ(exec("SELECT * FROM Nope1 WHERE pk = 'a'").type(), "ResourceNotFoundException");
  EXPECT_EQ(exec("SELECT * FROM \"\" WHERE pk = 'a'").message(), "Path component cannot be an empty string");
  EXPECT_EQ(exec("SELECT * FROM Tbl WHERE pk = ?").message(), "Number of parameters in request and statement don't match.");
  EXPECT_TRUE(exec("SELEC * FROM Tbl").message().starts_with("Statement wasn't well formed, can't be processed"));
  EXPECT_EQ(call("ExecuteStatement", "{}").message(),
            "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not be null");
}

TEST_F(PartiqlServiceTest, IndexQualifierReadsTheIndexAndReachesBackOnlyThroughAnLsi) {
  ok("CreateTable", R"({"TableName":"Idx","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},
      {"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
    "GlobalSecondaryIndexes":[{"IndexName":"gkeys","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
    "LocalSecondaryIndexes":[{"IndexName":"lkeys","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]})");
  for (int i = 0; i < 3; ++i)
    execOk("INSERT INTO Idx VALUE {'pk': 'p', 'sk': 's" + std::to_string(i) + "', 'g': 'x', 'l': 'l" + std::to_string(i) + "', 'other': 1}");
  Reply keysOnly = execOk(R"(SELECT * FROM "Idx"."gkeys" WHERE g = 'x')", R"(,"ReturnConsumedCapacity":"INDEXES")");
  EXPECT_EQ(keysOnly["Items"].Size(), 3u);
  EXPECT_FALSE(keysOnly["Items"][0].HasMember("other"));
  EXPECT_EQ(keysOnly["ConsumedCapacity"]["Table"]["CapacityUnits"].GetDouble(), 0);
  EXPECT_EQ(exec(R"(SELECT other FROM "Idx"."gkeys" WHERE g = 'x')").message(),
            "One or more parameter values were invalid: Global secondary index gkeys does not project [other]");
  EXPECT_EQ(exec(R"(SELECT pk FROM "Idx"."lkeys" WHERE pk = 'p' AND other = 1)").message(),
            "One or more parameter values were invalid: Secondary index lkeys does not project one or more filter attributes: [other]");
  Reply reach = execOk(R"(SELECT other FROM "Idx"."lkeys" WHERE pk = 'p')", R"(,"ReturnConsumedCapacity":"INDEXES","ConsistentRead":true)");
  EXPECT_EQ(reach["Items"].Size(), 3u);
  EXPECT_EQ(reach["ConsumedCapacity"]["Table"]["CapacityUnits"].GetDouble(), 3);  // one strongly consistent read per row
  EXPECT_EQ(reach["ConsumedCapacity"]["LocalSecondaryIndexes"]["lkeys"]["CapacityUnits"].GetDouble(), 1);
  EXPECT_EQ(exec(R"(SELECT * FROM "Idx"."nope" WHERE pk = 'p')").message(), "The table does not have the specified index");
  EXPECT_EQ(exec(R"(SELECT * FROM "Idx"."gkeys" WHERE g = 'x')", R"(,"ConsistentRead":true)").message(),
            "Strongly consistent read is not supported on Global Secondary Indexes");
}

TEST_F(PartiqlServiceTest, BatchAnswersEachStatementOnItsOwn) {
  execOk("INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1}");
  Reply r = ok("BatchExecuteStatement", R"({"Statements":[
    {"Statement":"SELECT * FROM Tbl WHERE pk = 'a' AND sk = 1"},
    {"Statement":"SELECT * FROM Nope1 WHERE pk = 'a'"},
    {"Statement":"SELECT * FROM Tbl WHERE pk = ? AND sk = 2","Parameters":[{"S":"a"}]}]})");
  ASSERT_EQ(r["Responses"].Size(), 3u);
  EXPECT_EQ(r["Responses"][0]["Item"]["pk"]["S"].GetString(), std::string("a"));
  EXPECT_EQ(r["Responses"][1]["Error"]["Code"].GetString(), std::string("ResourceNotFound"));
  EXPECT_FALSE(r["Responses"][2].HasMember("Item"));
  Reply w = ok("BatchExecuteStatement", R"({"Statements":[
    {"Statement":"INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1}"},
    {"Statement":"INSERT INTO Tbl VALUE {'pk': 'b', 'sk': 1}"}]})");
  EXPECT_EQ(w["Responses"][0]["Error"]["Code"].GetString(), std::string("DuplicateItem"));
  EXPECT_FALSE(w["Responses"][1].HasMember("Error"));
  std::string many = R"({"Statements":[)";
  for (int i = 0; i < 26; ++i) many += std::string(i ? "," : "") + R"({"Statement":"SELECT * FROM Tbl WHERE pk = 'a' AND sk = 1"})";
  EXPECT_EQ(call("BatchExecuteStatement", many + "]}").type(), "ValidationException");
  EXPECT_EQ(call("BatchExecuteStatement", R"({"Statements":[]})").type(), "ValidationException");
}

TEST_F(PartiqlServiceTest, TransactionIsAllOrNothingWithReasons) {
  execOk("INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1, 'v': 'old'}");
  execOk("INSERT INTO Tbl VALUE {'pk': 'c', 'sk': 1, 'v': 'old'}");
  Reply cancelled = call("ExecuteTransaction", R"({"TransactStatements":[
    {"Statement":"INSERT INTO Tbl VALUE {'pk': 'b', 'sk': 1}"},
    {"Statement":"INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1}"},
    {"Statement":"UPDATE Tbl SET v = 'new' WHERE pk = 'c' AND sk = 1 AND v = 'other'"}]})");
  EXPECT_EQ(cancelled.type(), "TransactionCanceledException");
  EXPECT_EQ(json(cancelled["CancellationReasons"]),
            R"([{"Code":"None"},{"Code":"DuplicateItem","Message":"Duplicate primary key exists in table"},)"
            R"({"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}])");
  EXPECT_FALSE(call("GetItem", R"({"TableName":"Tbl","Key":{"pk":{"S":"b"},"sk":{"N":"1"}}})").has("Item"));

  const std::string body = R"x({"ClientRequestToken":"tok","TransactStatements":[
    {"Statement":"UPDATE Tbl SET n = 1 WHERE pk = 'a' AND sk = 1"},
    {"Statement":"DELETE FROM Tbl WHERE pk = 'z' AND sk = 1"},
    {"Statement":"EXISTS(SELECT * FROM Tbl WHERE pk = 'a' AND sk = 1)"}]})x";
  EXPECT_EQ(call("ExecuteTransaction", body).status, 400);  // two statements on one item
  const std::string good = R"x({"ClientRequestToken":"tok","TransactStatements":[
    {"Statement":"UPDATE Tbl SET n = n + 1 WHERE pk = 'a' AND sk = 1 AND attribute_exists(v)"},
    {"Statement":"INSERT INTO Tbl VALUE {'pk': 'd', 'sk': 1}"}]})x";
  ok("ExecuteTransaction", R"({"ClientRequestToken":"tok","TransactStatements":[{"Statement":"UPDATE Tbl SET n = 0 WHERE pk = 'a' AND sk = 1"}]})");
  EXPECT_EQ(call("ExecuteTransaction", good).type(), "IdempotentParameterMismatchException");
  // A transaction of writes answers an empty Responses list, as DynamoDB does.
  Reply first = ok("ExecuteTransaction", R"({"ClientRequestToken":"tok2","TransactStatements":[{"Statement":"UPDATE Tbl SET n = n + 1 WHERE pk = 'a' AND sk = 1"}]})");
  ASSERT_TRUE(first.has("Responses")) << first.body;
  EXPECT_EQ(json(first["Responses"]), "[]");
  // The retry names its members in another order: the same request, replayed.
  ok("ExecuteTransaction", R"({"TransactStatements":[{"Statement":"UPDATE Tbl SET n = n + 1 WHERE pk = 'a' AND sk = 1"}],"ClientRequestToken":"tok2"})");
  // A statement whose Parameters come before its text is the same statement: replayed, so the
  // INSERT is not run twice (which would be a duplicate item).
  ok("ExecuteTransaction", R"({"ClientRequestToken":"tok3","TransactStatements":[{"Statement":"INSERT INTO Tbl VALUE {'pk': ?, 'sk': 1}","Parameters":[{"S":"r"}]}]})");
  ok("ExecuteTransaction", R"({"ClientRequestToken":"tok3","TransactStatements":[{"Parameters":[{"S":"r"}],"Statement":"INSERT INTO Tbl VALUE {'pk': ?, 'sk': 1}"}]})");
  Reply reads = ok("ExecuteTransaction", R"({"TransactStatements":[
    {"Statement":"SELECT n FROM Tbl WHERE pk = 'a' AND sk = 1"},{"Statement":"SELECT * FROM Tbl WHERE pk = 'q' AND sk = 1"}]})");
  EXPECT_EQ(json(reads["Responses"]), R"([{"Item":{"n":{"N":"1"}}},{}])");  // the replay applied nothing
  EXPECT_EQ(call("ExecuteTransaction", R"({"TransactStatements":[{"Statement":"UPDATE Tbl SET n = 1 WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *"}]})").message(),
            "Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.");
  EXPECT_EQ(call("ExecuteTransaction", R"({"TransactStatements":[]})").type(), "ValidationException");
}

TEST_F(PartiqlServiceTest, WritesFollowDynamoDbsEdges) {
  // A DELETE of a missing item does not evaluate its condition; of a present one it does.
  EXPECT_EQ(execOk("DELETE FROM Tbl WHERE pk = 'none' AND sk = 1 AND v = 'x'").body, R"({"Items":[]})");
  // MODIFIED projects the statement's own paths: an append past the end names no element.
  execOk("INSERT INTO Tbl VALUE {'pk': 'l', 'sk': 1, 'tags': ['a', 'b', 'c']}");
  EXPECT_EQ(execOk("UPDATE Tbl SET tags[9] = 'd' WHERE pk = 'l' AND sk = 1 RETURNING MODIFIED NEW *").body, R"({"Items":[]})");
  EXPECT_EQ(json(execOk("UPDATE Tbl SET tags[2] = 'y', tags[0] = 'x' WHERE pk = 'l' AND sk = 1 RETURNING MODIFIED OLD *")["Items"]),
            R"([{"tags":{"L":[{"S":"a"},{"S":"c"}]}}])");
  EXPECT_EQ(json(execOk("UPDATE Tbl REMOVE tags[1] WHERE pk = 'l' AND sk = 1 RETURNING MODIFIED NEW *")["Items"]),
            R"([{"tags":{"L":[{"S":"y"}]}}])");  // [x, b, y, d] less b: index 1 now holds y
  // The qualifier on a write: INSERT's grammar has no room for it, UPDATE and DELETE refuse it.
  EXPECT_EQ(exec(R"(INSERT INTO "Tbl"."idx" VALUE {'pk': 'a', 'sk': 1})").message(),
            "Statement wasn't well formed, can't be processed: FROM clause may only contain a single table name");
  ok("CreateTable", R"({"TableName":"G1x","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
    "GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]})");
  EXPECT_EQ(exec(R"(DELETE FROM "G1x"."byg" WHERE pk = 'a')").message(), "This operation is not supported on an index");
  EXPECT_EQ(exec(R"(UPDATE "G1x"."byg" SET v = 1 WHERE pk = 'a')").message(), "This operation is not supported on an index");
  // A write's capacity counts its index entries, as PutItem's does.
  Reply indexed = execOk("INSERT INTO G1x VALUE {'pk': 'a', 'g': 'x'}", R"(,"ReturnConsumedCapacity":"INDEXES")");
  EXPECT_EQ(indexed["ConsumedCapacity"]["CapacityUnits"].GetDouble(), 2);
  EXPECT_EQ(indexed["ConsumedCapacity"]["GlobalSecondaryIndexes"]["byg"]["CapacityUnits"].GetDouble(), 1);
  EXPECT_EQ(exec("SLECT * FROM Tbl").message(), "Statement wasn't well formed, can't be processed: Expected data manipulation");
}

TEST_F(PartiqlServiceTest, BatchMembersAnswerAsDynamoDbDoes) {
  execOk("INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1, 'v': 'here'}");
  Reply r = ok("BatchExecuteStatement", R"({"ReturnConsumedCapacity":"TOTAL","Statements":[
    {"Statement":"SELECT * FROM Tbl WHERE v = 'here'"},
    {"Statement":"SELECT * FROM Tbl WHERE pk = 'a' AND sk = 1","ConsistentRead":true},
    {"Statement":"SELECT * FROM Tbl WHERE pk = 'a' AND sk = 1"}]})");
  EXPECT_EQ(json(r["Responses"][0]), R"({"Error":{"Code":"ValidationError","Message":"Select statements within BatchExecuteStatement must specify the primary key in the where clause"}})");
  EXPECT_EQ(r["ConsumedCapacity"][0]["CapacityUnits"].GetDouble(), 1.5);  // each member at its own rate
  Reply w = ok("BatchExecuteStatement", R"({"Statements":[
    {"Statement":"UPDATE Tbl SET v = 'x' WHERE pk = 'a' AND sk = 1 AND v = 'no'","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}]})");
  EXPECT_EQ(json(w["Responses"][0]), R"({"TableName":"Tbl","Error":{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}})");
}

TEST_F(PartiqlServiceTest, TransactionCapacityNamesReadsAndWrites) {
  execOk("INSERT INTO Tbl VALUE {'pk': 'a', 'sk': 1, 'n': 0}");
  const std::string body = R"({"ClientRequestToken":"t1","ReturnConsumedCapacity":"TOTAL","TransactStatements":[
    {"Statement":"UPDATE Tbl SET n = n + 1 WHERE pk = 'a' AND sk = 1"}]})";
  EXPECT_EQ(json(ok("ExecuteTransaction", body)["ConsumedCapacity"]),
            R"([{"TableName":"Tbl","CapacityUnits":2.0,"WriteCapacityUnits":2.0}])");
  EXPECT_EQ(json(ok("ExecuteTransaction", body)["ConsumedCapacity"]),  // the replay reads the result
            R"([{"TableName":"Tbl","CapacityUnits":2.0,"ReadCapacityUnits":2.0}])");
}

}  // namespace
}  // namespace cdnlab::store

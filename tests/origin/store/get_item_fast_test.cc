// GetItem's fast path (get_item_reader.h, ops_get_fast.cc): the reader accepts exactly the common
// request and declines the rest; through the Service, every request answers byte for byte as the
// general path does (a second Service on the same engine with the fast paths off), found or
// absent, for each accepted form, and every error case falls through to the general path's error.
#include <memory>
#include <string>
#include <vector>

#include "origin/store/get_item_reader.h"
#include "origin/store/store_metrics.h"
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

TEST(GetItemReader, ReadsTheCommonRequest) {
  auto r = readSimpleGetItem(R"({"TableName":"usertable","Key":{"ycsb_key":{"S":"user1"}}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->table, "usertable");
  ASSERT_EQ(r->keyCount, 1);
  EXPECT_EQ(r->key[0].name, "ycsb_key");
  EXPECT_EQ(r->key[0].value, "user1");
  EXPECT_FALSE(r->consistentRead);
}

TEST(GetItemReader, ReadsEveryAcceptedMemberInAnyOrderWithWhitespace) {
  auto r = readSimpleGetItem(
      " {\n\t\"ConsistentRead\" : true , \"Key\":{ \"pk\":{\"S\":\"a b\"},\"sk\" :{ \"S\" :\"x\"} },"
      "\"ReturnConsumedCapacity\":\"NONE\",\"TableName\":\"T-1.x_y\"}\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->table, "T-1.x_y");
  ASSERT_EQ(r->keyCount, 2);
  EXPECT_EQ(r->key[0].name, "pk");
  EXPECT_EQ(r->key[0].value, "a b");
  EXPECT_EQ(r->key[1].name, "sk");
  EXPECT_EQ(r->key[1].value, "x");
  EXPECT_TRUE(r->consistentRead);
  auto f = readSimpleGetItem(R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"ConsistentRead":false})");
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->consistentRead);
}

TEST(GetItemReader, DeclinesEverythingElse) {
  const std::vector<std::string> declined = {
      "",
      "{}",
      "[]",
      R"({"TableName":"tbl"})",                                                // no Key
      R"({"Key":{"k":{"S":"v"}}})",                                           // no TableName
      R"({"TableName":"tbl","Key":{}})",                                      // an empty key
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}})",                          // unterminated
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}}} x)",                       // trailing text
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}}}{})",                       // two documents
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},})",                        // trailing comma
      R"({"TableName":"tbl","TableName":"tbl","Key":{"k":{"S":"v"}}})",       // a duplicate member
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"Key":{"k":{"S":"v"}}})",
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"ConsistentRead":true,"ConsistentRead":true})",
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"ProjectionExpression":"a"})",  // another member
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"AttributesToGet":["a"]})",
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"ReturnConsumedCapacity":"TOTAL"})",
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"ConsistentRead":"true"})",
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"ConsistentRead":null})",
      R"({"TableName":"tbl","Key":{"k":{"S":"v"}},"ConsistentRead":truex})",
      R"({"TableName":"t\u0062l","Key":{"k":{"S":"v"}}})",                  // an escape
      R"({"TableName":"tbl","Key":{"k":{"S":"v\"w"}}})",
      R"({"TableName":"tbl","Key":{"k":{"S":""}}})",                          // an empty string
      R"({"TableName":"","Key":{"k":{"S":"v"}}})",
      R"({"TableName":"tbl","Key":{"":{"S":"v"}}})",
      "{\"TableName\":\"tbl\",\"Key\":{\"k\":{\"S\":\"caf\xc3\xa9\"}}}",      // beyond ASCII
      "{\"TableName\":\"tbl\",\"Key\":{\"k\":{\"S\":\"a\tb\"}}}",              // a control character
      R"({"TableName":"tbl","Key":{"k":{"N":"1"}}})",                         // not an S key
      R"({"TableName":"tbl","Key":{"k":{"S":"v","N":"1"}}})",
      R"({"TableName":"tbl","Key":{"k":{"S":1}}})",
      R"({"TableName":"tbl","Key":{"k":{"S":"v"},"k":{"S":"w"}}})",           // a repeated key name
      R"({"TableName":"tbl","Key":{"a":{"S":"v"},"b":{"S":"w"},"c":{"S":"x"}}})",  // three attributes
      R"({"TableName":tbl,"Key":{"k":{"S":"v"}}})",
      R"({"TableName":"tbl" "Key":{"k":{"S":"v"}}})",
  };
  for (const auto& body : declined) EXPECT_FALSE(readSimpleGetItem(body)) << body;
}

class GetItemFastPath : public StoreFixture {
 protected:
  void SetUp() override {
    enforceThroughput_ = true;  // only the provisioned table below throttles
    StoreFixture::SetUp();
    ok("CreateTable", R"({"TableName":"Hash","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
    createHashRange("Range");  // pk S, sk N
    ok("CreateTable", R"({"TableName":"StrRange","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})");
    ok("CreateTable", R"({"TableName":"Prov","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":1000,"WriteCapacityUnits":1000}})");
    ok("CreateTable", R"({"TableName":"Gone","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
    ok("PutItem", R"({"TableName":"Hash","Item":{"id":{"S":"k1"},"n":{"N":"-0012.50"},"b":{"B":"AAEC"},"m":{"M":{"z":{"L":[{"NULL":true},{"BOOL":false}]},"a":{"SS":["y","x"]}}},"u":{"S":"caf\u00e9 \"q\" \\ \u0001"},"ns":{"NS":["3","1e2"]}}})");
    ok("PutItem", R"({"TableName":"Hash","Item":{"id":{"S":"a b"}}})");
    ok("PutItem", R"({"TableName":"StrRange","Item":{"pk":{"S":"p"},"sk":{"S":"s"},"v":{"N":"7"}}})");
    ok("PutItem", R"({"TableName":"Prov","Item":{"id":{"S":"k1"},"v":{"S":"x"}}})");
    ok("PutItem", R"({"TableName":"Gone","Item":{"id":{"S":"k1"}}})");
    ok("DeleteTable", R"({"TableName":"Gone"})");
    ServiceOptions so;
    so.ttlSweepIntervalMs = 0;
    so.enforceThroughput = true;
    so.requestFastPaths = false;
    general_ = std::make_unique<Service>(*engine_, so, clock_);
    ASSERT_TRUE(general_->start().ok());
  }
  void TearDown() override {
    general_.reset();
    StoreFixture::TearDown();
  }

  struct Answer {
    int status;
    std::string body;
    double readUnits;
  };
  static Answer ask(Service& s, const std::string& body) {
    capacityMeter() = {};
    ApiResponse r = s.handleRequestBlocking("DynamoDB_20120810.GetItem", body);
    return {r.status, r.body, capacityMeter().readUnits};
  }
  // Asks both services; the answers must be the same bytes. Returns whether the fast path ran.
  bool same(const std::string& body) {
    const uint64_t before = service_->fastPathAnswers.load();
    Answer fast = ask(*service_, body);
    const bool tookFastPath = service_->fastPathAnswers.load() != before;
    Answer slow = ask(*general_, body);
    EXPECT_EQ(fast.status, slow.status) << body;
    EXPECT_EQ(fast.body, slow.body) << body;
    EXPECT_EQ(fast.readUnits, slow.readUnits) << body;
    EXPECT_EQ(general_->fastPathAnswers.load(), 0u);
    return tookFastPath;
  }

  std::unique_ptr<Service> general_;
};

TEST_F(GetItemFastPath, AnswersAsTheGeneralPathForEveryAcceptedForm) {
  const std::vector<std::string> fast = {
      R"({"TableName":"Hash","Key":{"id":{"S":"k1"}}})",  // an item of every type, escapes stored
      R"({"TableName":"Hash","Key":{"id":{"S":"a b"}}})",
      R"({"TableName":"Hash","Key":{"id":{"S":"absent"}}})",
      R"({"Key":{"id":{"S":"k1"}},"TableName":"Hash","ConsistentRead":true})",
      R"({"TableName":"Hash","Key":{"id":{"S":"k1"}},"ConsistentRead":false,"ReturnConsumedCapacity":"NONE"})",
      " { \"TableName\" : \"Hash\" ,\n\"Key\" : { \"id\" : { \"S\" : \"k1\" } } } ",
      R"({"TableName":"StrRange","Key":{"pk":{"S":"p"},"sk":{"S":"s"}}})",
      R"({"TableName":"StrRange","Key":{"sk":{"S":"s"},"pk":{"S":"p"}}})",
      R"({"TableName":"StrRange","Key":{"pk":{"S":"p"},"sk":{"S":"none"}},"ConsistentRead":true})",
  };
  for (const auto& body : fast) EXPECT_TRUE(same(body)) << body;
  Answer found = ask(*service_, fast[0]);
  EXPECT_EQ(found.status, 200);
  EXPECT_EQ(found.body.rfind(R"({"Item":{)", 0), 0u) << found.body;
  EXPECT_EQ(ask(*service_, fast[2]).body, "{}");
}

TEST_F(GetItemFastPath, EveryErrorIsTheGeneralPathsOwn) {
  const std::vector<std::string> errors = {
      R"({"TableName":"Nope","Key":{"id":{"S":"k1"}}})",                     // no such table
      R"({"TableName":"Gone","Key":{"id":{"S":"k1"}}})",                     // deleted
      R"({"TableName":"ab","Key":{"id":{"S":"k1"}}})",                       // name too short
      R"({"TableName":"bad name!","Key":{"id":{"S":"k1"}}})",                // name pattern
      R"({"TableName":"Hash","Key":{"other":{"S":"k1"}}})",                  // not the schema
      R"({"TableName":"Hash","Key":{"id":{"S":"k1"},"extra":{"S":"x"}}})",
      R"({"TableName":"Range","Key":{"pk":{"S":"p"},"sk":{"S":"1"}}})",      // sk is N
      R"({"TableName":"Range","Key":{"pk":{"S":"p"}}})",                     // half a key
      R"({"TableName":"StrRange","Key":{"pk":{"S":"p"}}})",
  };
  for (const auto& body : errors) {
    EXPECT_FALSE(same(body)) << body;
    EXPECT_EQ(ask(*service_, body).status, 400) << body;
  }
  // A key past the 2048-byte partition key limit answers as the general path does, whichever runs.
  same("{\"TableName\":\"Hash\",\"Key\":{\"id\":{\"S\":\"" + std::string(2049, 'k') + "\"}}}");
}

TEST_F(GetItemFastPath, RequestsItDeclinesStillAnswerAsBefore) {
  const std::vector<std::string> general = {
      R"({"TableName":"Prov","Key":{"id":{"S":"k1"}}})",  // throttled: the bucket needs the size
      R"({"TableName":"Hash","Key":{"id":{"S":"k1"}},"ReturnConsumedCapacity":"TOTAL"})",
      R"({"TableName":"Hash","Key":{"id":{"S":"k1"}},"ProjectionExpression":"n, m.z[1]"})",
      R"({"TableName":"H\u0061sh","Key":{"id":{"S":"k1"}}})",
      R"({"TableName":"Hash","TableName":"Hash","Key":{"id":{"S":"k1"}}})",
      R"({"TableName":"Hash","Key":{"id":{"S":""}}})",
      R"({"TableName":"Hash","Key":{"id":{"S":"k1"}},"ConsistentRead":"yes"})",
      R"({"TableName":"Hash","Key":{"id":{"S":"k1"}}} trailing)",
      R"({"TableName":"Hash"})",
      "not json",
  };
  for (const auto& body : general) EXPECT_FALSE(same(body)) << body;
}

}  // namespace
}  // namespace cdnlab::store

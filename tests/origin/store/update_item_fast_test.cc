// UpdateItem's fast path (update_item_reader.h, ops_update_fast.cc): the reader accepts exactly the
// common field update; through the Service, every request answers byte for byte as the general path
// does (a second Service on its own engine with the fast paths off, given the same tables and items),
// leaves the same stored item and the same table size, and everything it does not handle - errors
// included - is answered by the general path.
#include <memory>
#include <string>
#include <vector>

#include "origin/store/field_update_plan.h"
#include "origin/store/store_metrics.h"
#include "origin/store/update_item_reader.h"
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

TEST(UpdateItemReader, ReadsYcsbsFieldUpdate) {
  auto r = readSimpleUpdateItem(
      R"({"TableName":"usertable","Key":{"id":{"S":"user000000001"}},"UpdateExpression":"SET #f = :v",)"
      R"("ExpressionAttributeNames":{"#f":"field3"},"ExpressionAttributeValues":{":v":{"S":"xyz"}}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->table, "usertable");
  ASSERT_EQ(r->keyCount, 1);
  EXPECT_EQ(r->key[0].value, "user000000001");
  EXPECT_EQ(r->updateExpression, "SET #f = :v");
  ASSERT_EQ(r->nameCount, 1);
  EXPECT_EQ(r->names[0].name, "#f");
  EXPECT_EQ(r->names[0].value, "field3");
  ASSERT_EQ(r->valueCount, 1);
  EXPECT_EQ(r->values[0].name, ":v");
  EXPECT_EQ(r->values[0].value, "xyz");
  auto plain = readSimpleUpdateItem(
      R"( { "ReturnValues" : "NONE", "ReturnConsumedCapacity":"NONE", "UpdateExpression":"SET a = :a, b = :b",)"
      R"("ExpressionAttributeValues":{":a":{"S":"1"},":b":{"S":"2"}},"Key":{"h":{"S":"x"},"r":{"S":"y"}},"TableName":"tbl"} )");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->nameCount, 0);
  EXPECT_EQ(plain->valueCount, 2);
  EXPECT_EQ(plain->keyCount, 2);
}

TEST(UpdateItemReader, DeclinesEverythingElse) {
  const std::string key = R"("TableName":"tbl","Key":{"k":{"S":"v"}})";
  const std::vector<std::string> declined = {
      "{" + key + "}",  // no UpdateExpression
      "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"1"}}})",
      "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":""}}})",
      "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{}})",
      "{" + key + R"(,"UpdateExpression":"SET #a = :v","ExpressionAttributeNames":{},"ExpressionAttributeValues":{":v":{"S":"x"}}})",
      "{" + key + R"(,"UpdateExpression":"SET #a = :v","ExpressionAttributeNames":{"#a":"x","#a":"y"},"ExpressionAttributeValues":{":v":{"S":"x"}}})",
      "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"},":v":{"S":"y"}}})",
      "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValues":"ALL_NEW"})",
      "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnConsumedCapacity":"TOTAL"})",
      "{" + key + R"J(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ConditionExpression":"attribute_exists(a)"})J",
      "{" + key + R"(,"AttributeUpdates":{"a":{"Action":"PUT","Value":{"S":"x"}}}})",
      "{" + key + R"(,"UpdateExpression":"SET a = :v","UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"}}})",
      "{" + key + R"(,"UpdateExpression":"SET a = :v\u0020","ExpressionAttributeValues":{":v":{"S":"x"}}})",
      "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":"x"}}} x)",
      "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":a":{"S":"1"},":b":{"S":"1"},":c":{"S":"1"},":d":{"S":"1"},":e":{"S":"1"},":f":{"S":"1"},":g":{"S":"1"},":h":{"S":"1"},":i":{"S":"1"}}})",
  };
  for (const auto& body : declined) EXPECT_FALSE(readSimpleUpdateItem(body)) << body;
}

class UpdateItemFastPath : public StoreFixture {
 protected:
  void SetUp() override {
    enforceThroughput_ = true;  // only the provisioned table throttles
    StoreFixture::SetUp();
    EngineOptions eo;
    eo.inMemory = true;
    auto e = Engine::open(eo);
    ASSERT_TRUE(e.ok());
    generalEngine_ = std::move(*e);
    ServiceOptions so;
    so.ttlSweepIntervalMs = 0;
    so.enforceThroughput = true;
    so.requestFastPaths = false;
    general_ = std::make_unique<Service>(*generalEngine_, so, clock_);
    ASSERT_TRUE(general_->start().ok());
    const std::string s = R"(","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}])";
    // Table ids and stream labels differ between the two: the answers are not compared.
    auto create = [&](const std::string& body) {
      EXPECT_EQ(ask(*service_, "CreateTable", body).status, 200) << body;
      EXPECT_EQ(ask(*general_, "CreateTable", body).status, 200) << body;
    };
    create(R"({"TableName":"Plain)" + s + R"(,"BillingMode":"PAY_PER_REQUEST"})");
    create(R"({"TableName":"Strm)" + s + R"(,"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}})");
    create(R"({"TableName":"Prov)" + s + R"(,"ProvisionedThroughput":{"ReadCapacityUnits":1000,"WriteCapacityUnits":1000}})");
    create(R"({"TableName":"Pair","AttributeDefinitions":[{"AttributeName":"h","AttributeType":"S"},{"AttributeName":"r","AttributeType":"S"}],"KeySchema":[{"AttributeName":"h","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})");
    const std::string item = R"("b":{"N":"1.50"},"field3":{"S":"old"},"m":{"M":{"x":{"SS":["b","a"]}}},"z":{"S":"old \"z\""})";
    for (const char* t : {"Plain", "Strm", "Prov"}) both("PutItem", std::string(R"({"TableName":")") + t + R"(","Item":{"id":{"S":"k"},)" + item + "}}");
    both("PutItem", R"({"TableName":"Pair","Item":{"h":{"S":"x"},"r":{"S":"y"},"v":{"S":"1"}}})");
  }
  void TearDown() override {
    general_.reset();
    if (generalEngine_) generalEngine_->close();
    generalEngine_.reset();
    StoreFixture::TearDown();
  }

  struct Answer {
    int status;
    std::string body;
    double writeUnits;
  };
  static Answer ask(Service& s, const std::string& op, const std::string& body) {
    capacityMeter() = {};
    ApiResponse r = s.handleRequestBlocking("DynamoDB_20120810." + op, body);
    return {r.status, r.body, capacityMeter().writeUnits};
  }
  // Runs `body` on both services; the answers must be the same bytes. True when a fast path ran.
  bool both(const std::string& op, const std::string& body) {
    const uint64_t before = service_->fastPathAnswers.load();
    Answer fast = ask(*service_, op, body);
    const bool tookFastPath = service_->fastPathAnswers.load() != before;
    Answer slow = ask(*general_, op, body);
    EXPECT_EQ(fast.status, slow.status) << body;
    EXPECT_EQ(fast.body, slow.body) << body;
    EXPECT_EQ(fast.writeUnits, slow.writeUnits) << body;
    return tookFastPath;
  }
  // The stored item and the table's counters must be the same on both sides.
  void sameState(const std::string& table, const std::string& key) {
    const std::string get = R"({"TableName":")" + table + R"(","Key":)" + key + R"(,"ConsistentRead":true})";
    EXPECT_EQ(ask(*service_, "GetItem", get).body, ask(*general_, "GetItem", get).body) << key;
    rapidjson::Document a, b;
    a.Parse(ask(*service_, "DescribeTable", R"({"TableName":")" + table + R"("})").body.c_str());
    b.Parse(ask(*general_, "DescribeTable", R"({"TableName":")" + table + R"("})").body.c_str());
    EXPECT_EQ(a["Table"]["TableSizeBytes"].GetInt64(), b["Table"]["TableSizeBytes"].GetInt64()) << table;
    EXPECT_EQ(a["Table"]["ItemCount"].GetInt64(), b["Table"]["ItemCount"].GetInt64()) << table;
  }

  std::unique_ptr<Engine> generalEngine_;
  std::unique_ptr<Service> general_;
};

TEST_F(UpdateItemFastPath, FieldUpdatesAnswerAndStoreAsTheGeneralPath) {
  const std::string k = R"({"TableName":"Plain","Key":{"id":{"S":"k"}},)";
  const std::vector<std::string> fast = {
      k + R"("UpdateExpression":"SET #f = :v","ExpressionAttributeNames":{"#f":"field3"},"ExpressionAttributeValues":{":v":{"S":"new value"}}})",
      k + R"("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":"again"}},"ReturnValues":"NONE","ReturnConsumedCapacity":"NONE"})",
      k + R"("UpdateExpression":"SET a = :v, zz = :w, c = :v","ExpressionAttributeValues":{":v":{"S":"first"},":w":{"S":"last"}}})",  // new attributes around the stored ones
      k + R"("UpdateExpression":"SET b = :v","ExpressionAttributeValues":{":v":{"S":"was a number"}}})",
      k + R"("UpdateExpression":"SET m = :v","ExpressionAttributeValues":{":v":{"S":"was a map"}}})",
      k + R"("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":")" + std::string(5000, 'x') + R"("}}})",  // more write units
      R"({"TableName":"Pair","Key":{"r":{"S":"y"},"h":{"S":"x"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"2"}}})",
  };
  for (const auto& body : fast) {
    EXPECT_TRUE(both("UpdateItem", body)) << body;
    sameState("Plain", R"({"id":{"S":"k"}})");
  }
  sameState("Pair", R"({"h":{"S":"x"},"r":{"S":"y"}})");
}

TEST_F(UpdateItemFastPath, EverythingElseIsTheGeneralPathsAnswer) {
  const std::string k = R"({"TableName":"Plain","Key":{"id":{"S":"k"}},)";
  const std::string set = R"("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":"x"}})";
  const std::vector<std::string> general = {
      R"({"TableName":"Plain","Key":{"id":{"S":"new"}},)" + set + "}",  // no item yet: built from the key
      R"({"TableName":"Strm","Key":{"id":{"S":"k"}},)" + set + "}",     // a stream record needs both images
      R"({"TableName":"Prov","Key":{"id":{"S":"k"}},)" + set + "}",     // throttled
      R"({"TableName":"Nope","Key":{"id":{"S":"k"}},)" + set + "}",
      R"({"TableName":"ab","Key":{"id":{"S":"k"}},)" + set + "}",
      R"({"TableName":"Plain","Key":{"other":{"S":"k"}},)" + set + "}",
      k + R"("UpdateExpression":"SET id = :v","ExpressionAttributeValues":{":v":{"S":"x"}}})",          // a key attribute
      k + R"("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":"x"},":w":{"S":"y"}}})",  // unused value
      k + R"("UpdateExpression":"SET #f = :v","ExpressionAttributeNames":{"#f":"a","#g":"b"},"ExpressionAttributeValues":{":v":{"S":"x"}}})",
      k + R"("UpdateExpression":"SET #f = :v","ExpressionAttributeNames":{"#f":"a","#g-h":"b"},"ExpressionAttributeValues":{":v":{"S":"x"}}})",  // not a placeholder
      k + R"("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":"x"},"v":{"S":"y"}}})",
      k + R"("UpdateExpression":"SET field3 = :nope","ExpressionAttributeValues":{":v":{"S":"x"}}})",   // undefined value
      k + R"("UpdateExpression":"SET field3 = :v REMOVE z","ExpressionAttributeValues":{":v":{"S":"x"}}})",
      k + R"("UpdateExpression":"SET m.x = :v","ExpressionAttributeValues":{":v":{"S":"x"}}})",         // a nested path
      k + R"("UpdateExpression":"SET field3 = :v, field3 = :v","ExpressionAttributeValues":{":v":{"S":"x"}}})",  // overlapping paths
      k + R"("UpdateExpression":"SET field3 = :v,","ExpressionAttributeValues":{":v":{"S":"x"}}})",    // a syntax error
      k + R"("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValues":"ALL_OLD"})",
      k + R"("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ReturnValues":"BOGUS"})",
      k + R"J("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":"x"}},"ConditionExpression":"attribute_exists(id)"})J",
      k + R"("UpdateExpression":"SET field3 = :v","ExpressionAttributeValues":{":v":{"S":")" + std::string(420 * 1024, 'x') + R"("}}})",  // past 400 KB
  };
  for (const auto& body : general) {
    EXPECT_FALSE(both("UpdateItem", body)) << body.substr(0, 300);
    sameState("Plain", R"({"id":{"S":"k"}})");
    sameState("Plain", R"({"id":{"S":"new"}})");
  }
  sameState("Strm", R"({"id":{"S":"k"}})");
  sameState("Prov", R"({"id":{"S":"k"}})");
}

// One text, many requests: the first parse leaves a plan of the text (field_update_plan.h), the
// rest resolve it against their own placeholders. Each still answers and stores as the general path
// does, and each that the parser would refuse or that the splice cannot take - an undefined or
// unused placeholder, two names for one attribute, the key attribute - goes to the general path.
TEST_F(UpdateItemFastPath, ARepeatedTextAnswersFromItsPlanAsTheGeneralPath) {
  const std::string text = "SET #f = :v, zfield = :w";
  const std::string k = R"({"TableName":"Plain","Key":{"id":{"S":"k"}},"UpdateExpression":")" + text + R"(",)";
  auto body = [&](const std::string& names, const std::string& values) {
    std::string b = k;
    if (!names.empty()) b += R"("ExpressionAttributeNames":)" + names + ",";
    return b + R"("ExpressionAttributeValues":)" + values + "}";
  };
  FieldUpdatePlans& plans = FieldUpdatePlans::forThisThread();
  ASSERT_EQ(plans.find(text), nullptr);
  EXPECT_TRUE(both("UpdateItem", body(R"({"#f":"field3"})", R"({":v":{"S":"first"},":w":{"S":"w1"}})")));
  const FieldUpdatePlan* plan = plans.find(text);
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->sets.size(), 2u);
  sameState("Plain", R"({"id":{"S":"k"}})");
  struct Case {
    std::string body;
    bool fast;
  };
  const std::vector<Case> cases = {
      {body(R"({"#f":"field3"})", R"({":v":{"S":"second"},":w":{"S":"w2"}})"), true},
      {body(R"({"#f":"b"})", R"({":v":{"S":"now b"},":w":{"S":"w3"}})"), true},   // another attribute, same text
      {body(R"({"#f":"zz"})", R"({":v":{"S":"new"},":w":{"S":"w4"}})"), true},
      {body(R"({"#g":"field3"})", R"({":v":{"S":"x"},":w":{"S":"y"}})"), false},  // #f undefined, #g unused
      {body(R"({"#f":"field3","#g":"b"})", R"({":v":{"S":"x"},":w":{"S":"y"}})"), false},  // #g unused
      {body(R"({"#f":"field3"})", R"({":v":{"S":"x"}})"), false},                  // :w undefined
      {body(R"({"#f":"field3"})", R"({":v":{"S":"x"},":w":{"S":"y"},":u":{"S":"z"}})"), false},  // :u unused
      {body(R"({"#f":"zfield"})", R"({":v":{"S":"x"},":w":{"S":"y"}})"), false},   // two SETs of zfield
      {body(R"({"#f":"id"})", R"({":v":{"S":"x"},":w":{"S":"y"}})"), false},      // the key attribute
      {body("", R"({":v":{"S":"x"},":w":{"S":"y"}})"), false},                    // no names at all
      {body(R"({"#f":"field3"})", R"({":v":{"S":"third"},":w":{"S":"w5"}})"), true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(both("UpdateItem", c.body), c.fast) << c.body;
    EXPECT_EQ(plans.find(text), plan) << c.body;  // the plan stays as the first request left it
    sameState("Plain", R"({"id":{"S":"k"}})");
  }
}

}  // namespace
}  // namespace cdnlab::store

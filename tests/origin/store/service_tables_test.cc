// The control plane's answers field by field, as AWS's API reference describes TableDescription:
// status per operation, ProvisionedThroughput's change history, BillingModeSummary,
// TableClassSummary, DeletionProtectionEnabled, indexes, counters, ids and ARNs; ListTables paging.
#include <unistd.h>

#include <filesystem>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using ServiceTables = StoreFixture;

const char* kProvisioned =
    R"({"TableName":"Tbl","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"N"}],)"
    R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},)"
    R"("GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],)"
    R"("Projection":{"ProjectionType":"KEYS_ONLY"},"ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":2}}]})";

TEST_F(ServiceTables, DescribeTableReportsEveryField) {
  Reply c = ok("CreateTable", kProvisioned);
  const auto& ct = c["TableDescription"];
  EXPECT_STREQ(ct["TableStatus"].GetString(), "CREATING");
  EXPECT_FALSE(ct["DeletionProtectionEnabled"].GetBool());
  EXPECT_FALSE(ct.HasMember("BillingModeSummary"));  // provisioned from the start
  EXPECT_FALSE(ct.HasMember("TableClassSummary"));   // no TableClass given
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"a"},"g":{"N":"1"}}})");
  ok("PutItem", R"({"TableName":"Tbl","Item":{"pk":{"S":"b"}}})");

  Reply d = ok("DescribeTable", R"({"TableName":"Tbl"})");
  const auto& t = d["Table"];
  EXPECT_STREQ(t["TableStatus"].GetString(), "ACTIVE");
  EXPECT_STREQ(t["TableName"].GetString(), "Tbl");
  EXPECT_STREQ(t["TableArn"].GetString(), "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl");
  EXPECT_EQ(std::string(t["TableId"].GetString()).size(), 36u);  // a UUID
  EXPECT_EQ(t["CreationDateTime"].GetDouble(), 1704067200.0);
  EXPECT_EQ(t["ItemCount"].GetInt64(), 2);
  EXPECT_GT(t["TableSizeBytes"].GetInt64(), 0);
  const auto& pt = t["ProvisionedThroughput"];
  EXPECT_EQ(pt["ReadCapacityUnits"].GetInt64(), 5);
  EXPECT_EQ(pt["WriteCapacityUnits"].GetInt64(), 5);
  EXPECT_EQ(pt["NumberOfDecreasesToday"].GetInt64(), 0);
  EXPECT_FALSE(pt.HasMember("LastIncreaseDateTime"));
  EXPECT_FALSE(pt.HasMember("LastDecreaseDateTime"));
  ASSERT_EQ(t["GlobalSecondaryIndexes"].Size(), 1u);
  const auto& g = t["GlobalSecondaryIndexes"][0];
  EXPECT_STREQ(g["IndexName"].GetString(), "byG");
  EXPECT_STREQ(g["IndexStatus"].GetString(), "ACTIVE");
  EXPECT_STREQ(g["IndexArn"].GetString(), "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl/index/byG");
  EXPECT_STREQ(g["Projection"]["ProjectionType"].GetString(), "KEYS_ONLY");
  EXPECT_EQ(g["ItemCount"].GetInt64(), 1);  // only "a" has g
  EXPECT_GT(g["IndexSizeBytes"].GetInt64(), 0);
  EXPECT_EQ(g["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt64(), 2);
  EXPECT_FALSE(t.HasMember("StreamSpecification"));
  EXPECT_FALSE(t.HasMember("LatestStreamArn"));
}

TEST_F(ServiceTables, UpdateTableRecordsThroughputChanges) {
  ok("CreateTable", kProvisioned);
  clock_.advanceSeconds(60);
  Reply up = ok("UpdateTable", R"({"TableName":"Tbl","ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":5}})");
  EXPECT_STREQ(up["TableDescription"]["TableStatus"].GetString(), "UPDATING");
  EXPECT_EQ(up["TableDescription"]["ProvisionedThroughput"]["LastIncreaseDateTime"].GetDouble(), 1704067260.0);
  clock_.advanceSeconds(60);
  ok("UpdateTable", R"({"TableName":"Tbl","ProvisionedThroughput":{"ReadCapacityUnits":4,"WriteCapacityUnits":5}})");
  ok("UpdateTable", R"({"TableName":"Tbl","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":5}})");
  Reply d = ok("DescribeTable", R"({"TableName":"Tbl"})");
  const auto& p = d["Table"]["ProvisionedThroughput"];
  EXPECT_EQ(p["ReadCapacityUnits"].GetInt64(), 3);
  EXPECT_EQ(p["LastIncreaseDateTime"].GetDouble(), 1704067260.0);
  EXPECT_EQ(p["LastDecreaseDateTime"].GetDouble(), 1704067320.0);
  EXPECT_EQ(p["NumberOfDecreasesToday"].GetInt64(), 2);
  EXPECT_STREQ(d["Table"]["TableStatus"].GetString(), "ACTIVE");
  // The count is per UTC day.
  clock_.advanceSeconds(86400);
  EXPECT_EQ(ok("DescribeTable", R"({"TableName":"Tbl"})")["Table"]["ProvisionedThroughput"]["NumberOfDecreasesToday"].GetInt64(), 0);
  // Asking for what the table already has is refused with AWS's words.
  Reply same = call("UpdateTable", R"({"TableName":"Tbl","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":5}})");
  EXPECT_EQ(same.type(), "ValidationException");
  EXPECT_EQ(same.message(),
            "The provisioned throughput for the table will not change. The requested value equals the current value. "
            "Current ReadCapacityUnits provisioned for the table: 3. Requested ReadCapacityUnits: 3. Current "
            "WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon "
            "DynamoDB Developer Guide for current limits and how to request higher limits.");
  // Naming the billing mode the table already has does not make the same capacity a change.
  Reply sameMode = call("UpdateTable", R"({"TableName":"Tbl","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":5}})");
  EXPECT_EQ(sameMode.type(), "ValidationException");
  EXPECT_EQ(sameMode.message(), same.message());
  // An index's throughput has its own history.
  ok("UpdateTable", R"({"TableName":"Tbl","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"byG","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":2}}}]})");
  const auto& gp = ok("DescribeTable", R"({"TableName":"Tbl"})");
  EXPECT_EQ(gp["Table"]["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["NumberOfDecreasesToday"].GetInt64(), 1);
}

// AWS refuses an UpdateTable without a change, before it looks the table up.
TEST_F(ServiceTables, UpdateTableWithoutAChangeIsRefusedFirst) {
  const char* want =
      "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
      "SSESpecification or ReplicaUpdates is required";
  Reply missing = call("UpdateTable", R"({"TableName":"Nope"})");
  EXPECT_EQ(missing.type(), "ValidationException");
  EXPECT_EQ(missing.message(), want);
  ok("CreateTable", kProvisioned);
  EXPECT_EQ(call("UpdateTable", R"({"TableName":"Tbl","GlobalSecondaryIndexUpdates":[]})").message(), want);
  EXPECT_EQ(call("UpdateTable", R"({"TableName":"Nope","TableClass":"STANDARD"})").type(), "ResourceNotFoundException");
}

TEST_F(ServiceTables, BillingModeSummaryFollowsSwitches) {
  ok("CreateTable", kProvisioned);
  clock_.advanceSeconds(100);
  Reply toOnDemand = ok("UpdateTable", R"({"TableName":"Tbl","BillingMode":"PAY_PER_REQUEST"})");
  const auto& od = toOnDemand["TableDescription"];
  EXPECT_STREQ(od["TableStatus"].GetString(), "UPDATING");
  EXPECT_STREQ(od["BillingModeSummary"]["BillingMode"].GetString(), "PAY_PER_REQUEST");
  EXPECT_EQ(od["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"].GetDouble(), 1704067300.0);
  EXPECT_EQ(od["ProvisionedThroughput"]["ReadCapacityUnits"].GetInt64(), 0);
  clock_.advanceSeconds(100);
  Reply back = ok("UpdateTable", R"({"TableName":"Tbl","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},)"
                                 R"("GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"byG","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}]})");
  const auto& pr = back["TableDescription"]["BillingModeSummary"];
  EXPECT_STREQ(pr["BillingMode"].GetString(), "PROVISIONED");
  EXPECT_EQ(pr["LastUpdateToPayPerRequestDateTime"].GetDouble(), 1704067300.0);

  // On demand from the start: the summary dates from the creation.
  Reply c = ok("CreateTable", R"({"TableName":"Prot","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  const auto& ps = c["TableDescription"]["BillingModeSummary"];
  EXPECT_STREQ(ps["BillingMode"].GetString(), "PAY_PER_REQUEST");
  EXPECT_EQ(ps["LastUpdateToPayPerRequestDateTime"].GetDouble(), 1704067400.0);
}

TEST_F(ServiceTables, TableClassAndDeletionProtection) {
  Reply c = ok("CreateTable", R"({"TableName":"Prot","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],)"
                              R"("BillingMode":"PAY_PER_REQUEST","TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":true})");
  const auto& t = c["TableDescription"];
  EXPECT_TRUE(t["DeletionProtectionEnabled"].GetBool());
  EXPECT_STREQ(t["TableClassSummary"]["TableClass"].GetString(), "STANDARD_INFREQUENT_ACCESS");
  // LastUpdateDateTime dates an UpdateTable that changed the class, not the creation.
  EXPECT_FALSE(t["TableClassSummary"].HasMember("LastUpdateDateTime"));

  Reply refused = call("DeleteTable", R"({"TableName":"Prot"})");
  EXPECT_EQ(refused.type(), "ValidationException");
  EXPECT_EQ(refused.message(),
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
  ok("DescribeTable", R"({"TableName":"Prot"})");  // still there

  clock_.advanceSeconds(10);
  Reply u = ok("UpdateTable", R"({"TableName":"Prot","TableClass":"STANDARD","DeletionProtectionEnabled":false})");
  EXPECT_STREQ(u["TableDescription"]["TableClassSummary"]["TableClass"].GetString(), "STANDARD");
  EXPECT_EQ(u["TableDescription"]["TableClassSummary"]["LastUpdateDateTime"].GetDouble(), 1704067210.0);
  EXPECT_FALSE(u["TableDescription"]["DeletionProtectionEnabled"].GetBool());
  Reply bad = call("UpdateTable", R"({"TableName":"Prot","TableClass":"GLACIER"})");
  EXPECT_EQ(bad.type(), "ValidationException");
  EXPECT_EQ(bad.message(),
            "Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].");
  Reply lower = call("CreateTable", R"({"TableName":"Low","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","TableClass":"standard"})");
  EXPECT_EQ(lower.message(), bad.message());  // case-sensitive, and checked before the table is made
  EXPECT_EQ(call("DescribeTable", R"({"TableName":"Low"})").type(), "ResourceNotFoundException");
  EXPECT_EQ(call("CreateTable", R"({"TableName":"Qqq","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","DeletionProtectionEnabled":"maybe"})")
                .type(),
            "SerializationException");

  Reply del = ok("DeleteTable", R"({"TableName":"Prot"})");
  EXPECT_STREQ(del["TableDescription"]["TableStatus"].GetString(), "DELETING");
  EXPECT_STREQ(del["TableDescription"]["TableName"].GetString(), "Prot");
  EXPECT_EQ(call("DescribeTable", R"({"TableName":"Prot"})").type(), "ResourceNotFoundException");
}

TEST_F(ServiceTables, DescriptionSurvivesARestartWithItsHistory) {
  dir_ = (std::filesystem::temp_directory_path() / ("cdnlab-tables-test-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir_);
  close();
  open();
  ok("CreateTable", kProvisioned);
  clock_.advanceSeconds(5);
  ok("UpdateTable", R"({"TableName":"Tbl","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":9},"TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":true})");
  close();
  open();
  Reply d = ok("DescribeTable", R"({"TableName":"Tbl"})");
  const auto& p = d["Table"]["ProvisionedThroughput"];
  EXPECT_EQ(p["LastIncreaseDateTime"].GetDouble(), 1704067205.0);
  EXPECT_EQ(p["LastDecreaseDateTime"].GetDouble(), 1704067205.0);
  EXPECT_EQ(p["NumberOfDecreasesToday"].GetInt64(), 1);
  EXPECT_TRUE(d["Table"]["DeletionProtectionEnabled"].GetBool());
  EXPECT_STREQ(d["Table"]["TableClassSummary"]["TableClass"].GetString(), "STANDARD_INFREQUENT_ACCESS");
  ok("UpdateTable", R"({"TableName":"Tbl","DeletionProtectionEnabled":"no"})");  // AWS's reader takes "no"
  EXPECT_FALSE(ok("DescribeTable", R"({"TableName":"Tbl"})")["Table"]["DeletionProtectionEnabled"].GetBool());
  close();
  std::filesystem::remove_all(dir_);
  dir_.clear();
  open();
}

// A global index's OnDemandThroughput (API reference, GlobalSecondaryIndex,
// CreateGlobalSecondaryIndexAction, UpdateGlobalSecondaryIndexAction): given at CreateTable or by
// an UpdateTable's Create, changed by an Update (alone, without ProvisionedThroughput), reported
// on the index; refused on a provisioned table and out of range in DynamoDB's words.
TEST_F(ServiceTables, GlobalIndexesKeepTheirOnDemandThroughput) {
  const std::string defs = R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}])";
  const std::string gsi = R"({"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}})";
  auto indexOf = [](const Reply& r, const char* top) -> const rapidjson::Value& { return r[top]["GlobalSecondaryIndexes"][0]; };
  Reply c = ok("CreateTable", R"({"TableName":"Odt",)" + defs + R"(,"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[)" + gsi.substr(0, gsi.size() - 1) +
                                  R"(,"OnDemandThroughput":{"MaxReadRequestUnits":40}}]})");
  ASSERT_TRUE(indexOf(c, "TableDescription").HasMember("OnDemandThroughput")) << c.body;
  EXPECT_EQ(indexOf(c, "TableDescription")["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), 40);
  EXPECT_EQ(indexOf(c, "TableDescription")["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), -1);
  EXPECT_FALSE(c["TableDescription"].HasMember("OnDemandThroughput"));  // the table's own stays unset

  ok("UpdateTable", R"({"TableName":"Odt","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsi","OnDemandThroughput":{"MaxWriteRequestUnits":12}}}]})");
  Reply d = ok("DescribeTable", R"({"TableName":"Odt"})");
  EXPECT_EQ(indexOf(d, "Table")["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), 40);
  EXPECT_EQ(indexOf(d, "Table")["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 12);
  ok("UpdateTable", R"({"TableName":"Odt","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsi","OnDemandThroughput":{"MaxReadRequestUnits":-1}}}]})");
  d = ok("DescribeTable", R"({"TableName":"Odt"})");
  EXPECT_EQ(indexOf(d, "Table")["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), -1);

  // An index added later takes its own.
  ok("UpdateTable", R"({"TableName":"Odt","AttributeDefinitions":[{"AttributeName":"h","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"later","KeySchema":[{"AttributeName":"h","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"},"OnDemandThroughput":{"MaxReadRequestUnits":5,"MaxWriteRequestUnits":6}}}]})");
  d = ok("DescribeTable", R"({"TableName":"Odt"})");
  bool seen = false;
  for (const auto& i : d["Table"]["GlobalSecondaryIndexes"].GetArray())
    if (std::string(i["IndexName"].GetString()) == "later") {
      seen = true;
      EXPECT_EQ(i["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 6);
    }
  EXPECT_TRUE(seen) << d.body;

  // Out of range: below 1, and -1 where there is nothing to lift (an index being created).
  Reply zero = call("UpdateTable", R"({"TableName":"Odt","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsi","OnDemandThroughput":{"MaxWriteRequestUnits":0}}}]})");
  EXPECT_EQ(zero.message(), "One or more parameter values were invalid: Requested MaxWriteRequestUnits for OnDemandThroughput for index : gsi is outside of valid range");
  Reply lifted = call("CreateTable", R"({"TableName":"Odt2",)" + defs + R"(,"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[)" +
                                          gsi.substr(0, gsi.size() - 1) + R"(,"OnDemandThroughput":{"MaxReadRequestUnits":-1}}]})");
  EXPECT_EQ(lifted.message(), "One or more parameter values were invalid: Requested MaxReadRequestUnits for OnDemandThroughput for index : gsi is outside of valid range") << lifted.body;
  // An on-demand table's index takes no ProvisionedThroughput update.
  Reply pt = call("UpdateTable", R"({"TableName":"Odt","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsi","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}]})");
  EXPECT_EQ(pt.message(), "One or more parameter values were invalid: The only Updates for index: gsi when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput");
  EXPECT_EQ(call("UpdateTable", R"({"TableName":"Odt","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"gsi","OnDemandThroughput":{"MaxReadRequestUnits":"x"}}}]})").type(),
            "SerializationException");

  // A provisioned table's index (and the table) take no maxima.
  Reply prov = call("CreateTable", R"({"TableName":"Prov",)" + defs + R"(,"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},"GlobalSecondaryIndexes":[)" +
                                        gsi.substr(0, gsi.size() - 1) + R"(,"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},"OnDemandThroughput":{"MaxReadRequestUnits":5}}]})");
  EXPECT_EQ(prov.message(), "One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput for index : gsi cannot be specified when the table BillingMode is PROVISIONED") << prov.body;
  ok("CreateTable", R"({"TableName":"Prov","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}})");
  Reply provTable = call("UpdateTable", R"({"TableName":"Prov","OnDemandThroughput":{"MaxWriteRequestUnits":5}})");
  EXPECT_EQ(provTable.message(), "One or more parameter values were invalid: MaxWriteRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED");

  // Kept across a restart.
  dir_ = (std::filesystem::temp_directory_path() / ("cdnlab-gsi-ondemand-test-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir_);
  close();
  open();
  ok("CreateTable", R"({"TableName":"Odt",)" + defs + R"(,"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[)" + gsi.substr(0, gsi.size() - 1) +
                         R"(,"OnDemandThroughput":{"MaxWriteRequestUnits":9}}]})");
  close();
  open();
  d = ok("DescribeTable", R"({"TableName":"Odt"})");
  EXPECT_EQ(indexOf(d, "Table")["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 9);
  close();
  std::filesystem::remove_all(dir_);
}

// OnDemandThroughput (API reference): the maxima an on-demand table was given, changed by
// UpdateTable member by member, -1 lifting one; absent from a table never given any.
TEST_F(ServiceTables, OnDemandThroughputIsKeptAndUpdated) {
  const std::string keys = R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST")";
  Reply plain = ok("CreateTable", R"({"TableName":"Plain",)" + keys + "}");
  EXPECT_FALSE(plain["TableDescription"].HasMember("OnDemandThroughput"));
  Reply c = ok("CreateTable", R"({"TableName":"Capped",)" + keys + R"(,"OnDemandThroughput":{"MaxReadRequestUnits":10,"MaxWriteRequestUnits":5}})");
  ASSERT_TRUE(c["TableDescription"].HasMember("OnDemandThroughput"));
  EXPECT_EQ(c["TableDescription"]["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), 10);
  EXPECT_EQ(c["TableDescription"]["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 5);

  Reply u = ok("UpdateTable", R"({"TableName":"Capped","OnDemandThroughput":{"MaxReadRequestUnits":20,"MaxWriteRequestUnits":15}})");
  EXPECT_STREQ(u["TableDescription"]["TableStatus"].GetString(), "UPDATING");
  Reply d = ok("DescribeTable", R"({"TableName":"Capped"})");
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), 20);
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 15);
  // One member alone changes that maximum only; -1 lifts it.
  ok("UpdateTable", R"({"TableName":"Capped","OnDemandThroughput":{"MaxReadRequestUnits":-1}})");
  d = ok("DescribeTable", R"({"TableName":"Capped"})");
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), -1);
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 15);
  // A table given only one maximum reports the other as none.
  ok("UpdateTable", R"({"TableName":"Plain","OnDemandThroughput":{"MaxWriteRequestUnits":7}})");
  d = ok("DescribeTable", R"({"TableName":"Plain"})");
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), -1);
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 7);

  Reply zero = call("CreateTable", R"({"TableName":"Zero",)" + keys + R"(,"OnDemandThroughput":{"MaxReadRequestUnits":10,"MaxWriteRequestUnits":0}})");
  EXPECT_EQ(zero.type(), "ValidationException");
  EXPECT_EQ(zero.message(), "One or more parameter values were invalid: Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside of valid range");
  EXPECT_EQ(call("DescribeTable", R"({"TableName":"Zero"})").type(), "ResourceNotFoundException");
  Reply below = call("UpdateTable", R"({"TableName":"Capped","OnDemandThroughput":{"MaxReadRequestUnits":-2}})");
  EXPECT_EQ(below.message(), "One or more parameter values were invalid: Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range");
  EXPECT_EQ(call("UpdateTable", R"({"TableName":"Capped","OnDemandThroughput":{"MaxReadRequestUnits":"ten"}})").type(), "SerializationException");
  EXPECT_EQ(ok("DescribeTable", R"({"TableName":"Capped"})")["Table"]["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 15);

  // The maxima are part of the stored description.
  dir_ = (std::filesystem::temp_directory_path() / ("cdnlab-ondemand-test-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir_);
  close();
  open();
  ok("CreateTable", R"({"TableName":"Kept",)" + keys + R"(,"OnDemandThroughput":{"MaxReadRequestUnits":30}})");
  close();
  open();
  d = ok("DescribeTable", R"({"TableName":"Kept"})");
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), 30);
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), -1);
  close();
  std::filesystem::remove_all(dir_);
  dir_.clear();
  open();
}

TEST_F(ServiceTables, ListTablesPagesWithExclusiveStartAndLimit) {
  for (const char* n : {"tb1", "tb2", "tb3", "tb4", "tb5"}) createHashRange(n);
  Reply p1 = ok("ListTables", R"({"Limit":2})");
  EXPECT_EQ(json(p1["TableNames"]), R"(["tb1","tb2"])");
  EXPECT_STREQ(p1["LastEvaluatedTableName"].GetString(), "tb2");
  Reply p2 = ok("ListTables", R"({"Limit":2,"ExclusiveStartTableName":"tb2"})");
  EXPECT_EQ(json(p2["TableNames"]), R"(["tb3","tb4"])");
  Reply p3 = ok("ListTables", R"({"Limit":2,"ExclusiveStartTableName":"tb4"})");
  EXPECT_EQ(json(p3["TableNames"]), R"(["tb5"])");
  EXPECT_FALSE(p3.has("LastEvaluatedTableName"));
  // A start name that is not a table still starts after it in name order.
  EXPECT_EQ(json(ok("ListTables", R"({"ExclusiveStartTableName":"tb35"})")["TableNames"]), R"(["tb4","tb5"])");
  EXPECT_EQ(call("ListTables", R"({"Limit":0})").type(), "ValidationException");
  EXPECT_EQ(call("ListTables", R"({"Limit":101})").type(), "ValidationException");
  EXPECT_EQ(call("ListTables", R"({"Limit":"2"})").type(), "SerializationException");
}

}  // namespace
}  // namespace cdnlab::store

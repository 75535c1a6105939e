// CreateTable's SSESpecification and OnDemandThroughput as DescribeTable reports them (API
// reference, SSESpecification / SSEDescription / OnDemandThroughput): an enabled specification is
// a KMS key, the account's AWS-managed one unless KMSMasterKeyId names another; without one the
// table uses the AWS-owned key and has no SSEDescription.
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

using TableEncryption = StoreFixture;

std::string create(const std::string& name, const std::string& extra) {
  return R"({"TableName":")" + name +
         R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST")" +
         extra + "}";
}

TEST_F(TableEncryption, EnabledIsTheAwsManagedKmsKey) {
  ok("CreateTable", create("Enc", R"(,"SSESpecification":{"Enabled":true})"));
  Reply d = ok("DescribeTable", R"({"TableName":"Enc"})");
  const auto& sse = d["Table"]["SSEDescription"];
  EXPECT_STREQ(sse["Status"].GetString(), "ENABLED");
  EXPECT_STREQ(sse["SSEType"].GetString(), "KMS");
  const std::string arn = sse["KMSMasterKeyArn"].GetString();
  EXPECT_EQ(arn.rfind("arn:aws:kms:us-east-1:000000000000:key/", 0), 0u) << arn;
  // One AWS-managed key per account and region: every such table names the same one.
  ok("CreateTable", create("Enc2", R"(,"SSESpecification":{"Enabled":true,"SSEType":"KMS"})"));
  EXPECT_EQ(std::string(ok("DescribeTable", R"({"TableName":"Enc2"})")["Table"]["SSEDescription"]["KMSMasterKeyArn"].GetString()), arn);
}

TEST_F(TableEncryption, AGivenKeyIsReportedAsItsArn) {
  ok("CreateTable", create("ById", R"(,"SSESpecification":{"Enabled":true,"KMSMasterKeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"})"));
  EXPECT_STREQ(ok("DescribeTable", R"({"TableName":"ById"})")["Table"]["SSEDescription"]["KMSMasterKeyArn"].GetString(),
               "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  const char* keyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  ok("CreateTable", create("ByArn", std::string(R"(,"SSESpecification":{"Enabled":true,"KMSMasterKeyId":")") + keyArn + "\"}"));
  EXPECT_STREQ(ok("DescribeTable", R"({"TableName":"ByArn"})")["Table"]["SSEDescription"]["KMSMasterKeyArn"].GetString(), keyArn);
}

TEST_F(TableEncryption, DisabledOrAbsentIsTheAwsOwnedKey) {
  ok("CreateTable", create("Off", R"(,"SSESpecification":{"Enabled":false})"));
  ok("CreateTable", create("None", ""));
  EXPECT_FALSE(ok("DescribeTable", R"({"TableName":"Off"})")["Table"].HasMember("SSEDescription"));
  Reply d = ok("DescribeTable", R"({"TableName":"None"})");
  EXPECT_FALSE(d["Table"].HasMember("SSEDescription"));
  EXPECT_FALSE(d["Table"].HasMember("OnDemandThroughput"));
}

// UpdateTable's SSESpecification changes the key: its answer shows the change under way
// (SSEDescription UPDATING; going back to the AWS-owned key it still names the KMS key being left),
// DescribeTable where it ends. The same specification again changes nothing.
TEST_F(TableEncryption, UpdateTableChangesTheKeyAndAnswersUpdating) {
  ok("CreateTable", create("Upd", R"(,"SSESpecification":{"Enabled":true})"));
  const std::string managed = ok("DescribeTable", R"({"TableName":"Upd"})")["Table"]["SSEDescription"]["KMSMasterKeyArn"].GetString();
  Reply same = ok("UpdateTable", R"({"TableName":"Upd","SSESpecification":{"Enabled":true}})");
  EXPECT_STREQ(same["TableDescription"]["SSEDescription"]["Status"].GetString(), "ENABLED");
  EXPECT_STREQ(same["TableDescription"]["TableStatus"].GetString(), "ACTIVE");

  Reply off = ok("UpdateTable", R"({"TableName":"Upd","SSESpecification":{"Enabled":false}})");
  const auto& sse = off["TableDescription"]["SSEDescription"];
  EXPECT_STREQ(sse["Status"].GetString(), "UPDATING");
  EXPECT_STREQ(sse["SSEType"].GetString(), "KMS");
  EXPECT_EQ(std::string(sse["KMSMasterKeyArn"].GetString()), managed);
  EXPECT_STREQ(off["TableDescription"]["TableStatus"].GetString(), "UPDATING");
  EXPECT_FALSE(ok("DescribeTable", R"({"TableName":"Upd"})")["Table"].HasMember("SSEDescription"));

  Reply on = ok("UpdateTable", R"({"TableName":"Upd","SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"alias/mine"}})");
  EXPECT_STREQ(on["TableDescription"]["SSEDescription"]["Status"].GetString(), "UPDATING");
  Reply d = ok("DescribeTable", R"({"TableName":"Upd"})");
  EXPECT_STREQ(d["Table"]["SSEDescription"]["Status"].GetString(), "ENABLED");
  EXPECT_STREQ(d["Table"]["SSEDescription"]["KMSMasterKeyArn"].GetString(), "arn:aws:kms:us-east-1:000000000000:alias/mine");
}

TEST_F(TableEncryption, AnUnknownSseTypeIsRefused) {
  Reply r = call("CreateTable", create("Bad", R"(,"SSESpecification":{"Enabled":true,"SSEType":"DES"})"));
  EXPECT_EQ(r.type(), "ValidationException") << r.body;
  EXPECT_EQ(call("DescribeTable", R"({"TableName":"Bad"})").type(), "ResourceNotFoundException");
}

TEST_F(TableEncryption, KeyAndOnDemandThroughputSurviveARestart) {
  dir_ = (std::filesystem::temp_directory_path() / ("cdnlab-encryption-test-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir_);
  close();
  open();
  ok("CreateTable", create("OnDemand", R"(,"OnDemandThroughput":{"MaxReadRequestUnits":10,"MaxWriteRequestUnits":5},"SSESpecification":{"Enabled":true})"));
  close();
  open();
  Reply d = ok("DescribeTable", R"({"TableName":"OnDemand"})");
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxReadRequestUnits"].GetInt64(), 10);
  EXPECT_EQ(d["Table"]["OnDemandThroughput"]["MaxWriteRequestUnits"].GetInt64(), 5);
  EXPECT_STREQ(d["Table"]["SSEDescription"]["SSEType"].GetString(), "KMS");
  close();
  std::filesystem::remove_all(dir_);
  dir_.clear();
  open();
}

}  // namespace
}  // namespace cdnlab::store

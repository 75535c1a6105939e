// DynamoDB Streams: StreamSpecification, records per view type, iterator types, ordering, TTL
// deletions as service deletions, and records surviving a restart.
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "origin/store/streams/records.h"
#include "tests/origin/store/store_fixture.h"

namespace cdnlab::store {
namespace {

class ServiceStreams : public StoreFixture {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("cdnlab-streams-test-" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(dir_);
    StoreFixture::SetUp();
  }
  void TearDown() override {
    StoreFixture::TearDown();
    std::filesystem::remove_all(dir_);
  }

  Reply streamsCall(const std::string& op, const std::string& body) {
    ApiResponse r = service_->handleRequestBlocking("DynamoDBStreams_20120810." + op, body);
    Reply out;
    out.status = r.status;
    out.body = r.body;
    out.doc.Parse(r.body.c_str());
    return out;
  }
  Reply streamsOk(const std::string& op, const std::string& body) {
    Reply r = streamsCall(op, body);
    EXPECT_EQ(r.status, 200) << op << " " << body << " -> " << r.body;
    return r;
  }

  std::string create(const std::string& view) {
    Reply r = ok("CreateTable", R"({"TableName":"Str","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":")" +
                     view + R"("}})");
    EXPECT_STREQ(r["TableDescription"]["StreamSpecification"]["StreamViewType"].GetString(), view.c_str());
    return r["TableDescription"]["LatestStreamArn"].GetString();
  }

  std::string iterator(const std::string& arn, const std::string& type, const std::string& seq = "") {
    Reply d = streamsOk("DescribeStream", R"({"StreamArn":")" + arn + R"("})");
    std::string shard = d["StreamDescription"]["Shards"][0]["ShardId"].GetString();
    std::string body = R"({"StreamArn":")" + arn + R"(","ShardId":")" + shard + R"(","ShardIteratorType":")" + type + "\"" +
                       (seq.empty() ? "" : R"(,"SequenceNumber":")" + seq + "\"") + "}";
    return streamsOk("GetShardIterator", body)["ShardIterator"].GetString();
  }

  Reply records(const std::string& it) { return streamsOk("GetRecords", R"({"ShardIterator":")" + it + R"("})"); }
};

TEST_F(ServiceStreams, PutUpdateDeleteWithNewAndOldImagesInOrder) {
  std::string arn = create("NEW_AND_OLD_IMAGES");
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"a"},"v":{"N":"1"}}})");
  ok("UpdateItem", R"({"TableName":"Str","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"N":"2"}}})");
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"a"},"v":{"N":"2"}}})");  // no change: no record
  ok("DeleteItem", R"({"TableName":"Str","Key":{"pk":{"S":"a"}}})");
  ok("DeleteItem", R"({"TableName":"Str","Key":{"pk":{"S":"a"}}})");  // nothing deleted: no record
  Reply r = records(iterator(arn, "TRIM_HORIZON"));
  const auto& recs = r["Records"];
  ASSERT_EQ(recs.Size(), 3u) << r.body;
  EXPECT_STREQ(recs[0]["eventName"].GetString(), "INSERT");
  EXPECT_STREQ(recs[1]["eventName"].GetString(), "MODIFY");
  EXPECT_STREQ(recs[2]["eventName"].GetString(), "REMOVE");
  EXPECT_STREQ(recs[0]["eventSource"].GetString(), "aws:dynamodb");
  EXPECT_EQ(json(recs[0]["dynamodb"]["Keys"]), R"({"pk":{"S":"a"}})");
  EXPECT_FALSE(recs[0]["dynamodb"].HasMember("OldImage"));
  EXPECT_EQ(json(recs[1]["dynamodb"]["OldImage"]), R"({"pk":{"S":"a"},"v":{"N":"1"}})");
  EXPECT_EQ(json(recs[1]["dynamodb"]["NewImage"]), R"({"pk":{"S":"a"},"v":{"N":"2"}})");
  EXPECT_FALSE(recs[2]["dynamodb"].HasMember("NewImage"));
  EXPECT_FALSE(recs[2].HasMember("userIdentity"));
  std::string s0 = recs[0]["dynamodb"]["SequenceNumber"].GetString();
  std::string s1 = recs[1]["dynamodb"]["SequenceNumber"].GetString();
  EXPECT_LT(s0, s1);
  EXPECT_GE(s0.size(), 21u);
  // AT / AFTER_SEQUENCE_NUMBER, LATEST, and the next iterator.
  EXPECT_EQ(records(iterator(arn, "AT_SEQUENCE_NUMBER", s1))["Records"].Size(), 2u);
  EXPECT_EQ(records(iterator(arn, "AFTER_SEQUENCE_NUMBER", s1))["Records"].Size(), 1u);
  std::string latest = iterator(arn, "LATEST");
  Reply empty = records(latest);
  EXPECT_EQ(empty["Records"].Size(), 0u);
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"b"}}})");
  Reply next = records(empty["NextShardIterator"].GetString());
  ASSERT_EQ(next["Records"].Size(), 1u);
  EXPECT_EQ(json(next["Records"][0]["dynamodb"]["Keys"]), R"({"pk":{"S":"b"}})");
}

TEST_F(ServiceStreams, ViewTypesKeysOnlyAndUpdateTableEnable) {
  ok("CreateTable", R"({"TableName":"Str","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"before"}}})");
  Reply u = ok("UpdateTable", R"({"TableName":"Str","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})");
  std::string arn = u["TableDescription"]["LatestStreamArn"].GetString();
  EXPECT_NE(arn.find(":table/Str/stream/"), std::string::npos);
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"a"},"v":{"N":"1"}}})");
  Reply r = records(iterator(arn, "TRIM_HORIZON"));
  ASSERT_EQ(r["Records"].Size(), 1u);
  EXPECT_FALSE(r["Records"][0]["dynamodb"].HasMember("NewImage"));
  EXPECT_STREQ(r["Records"][0]["dynamodb"]["StreamViewType"].GetString(), "KEYS_ONLY");
  Reply l = streamsOk("ListStreams", R"({"TableName":"Str"})");
  ASSERT_EQ(l["Streams"].Size(), 1u);
  EXPECT_EQ(l["Streams"][0]["StreamArn"].GetString(), arn);
  EXPECT_EQ(call("UpdateTable", R"({"TableName":"Str","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}})").type(),
            "ValidationException");
  ok("UpdateTable", R"({"TableName":"Str","StreamSpecification":{"StreamEnabled":false}})");
  Reply d = streamsOk("DescribeStream", R"({"StreamArn":")" + arn + R"("})");
  EXPECT_STREQ(d["StreamDescription"]["StreamStatus"].GetString(), "DISABLED");
  EXPECT_EQ(streamsCall("DescribeStream", R"({"StreamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Str/stream/nope"})").type(),
            "ResourceNotFoundException");
  EXPECT_EQ(streamsCall("GetShardIterator", R"({"StreamArn":")" + arn + R"(","ShardId":"shardId-00000000000000000000-00000000","ShardIteratorType":"BOGUS"})").type(),
            "ValidationException");
}

TEST_F(ServiceStreams, TtlDeletionIsAServiceDeletionAndRecordsSurviveARestart) {
  std::string arn = create("OLD_IMAGE");
  ok("UpdateTimeToLive", R"({"TableName":"Str","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"t"},"exp":{"N":"100"}}})");
  EXPECT_EQ(service_->sweepTtl(1000), 1u);
  close();
  open();
  Reply r = records(iterator(arn, "TRIM_HORIZON"));
  ASSERT_EQ(r["Records"].Size(), 2u) << r.body;
  const auto& del = r["Records"][1];
  EXPECT_STREQ(del["eventName"].GetString(), "REMOVE");
  EXPECT_STREQ(del["userIdentity"]["Type"].GetString(), "Service");
  EXPECT_STREQ(del["userIdentity"]["PrincipalId"].GetString(), "dynamodb.amazonaws.com");
  EXPECT_EQ(json(del["dynamodb"]["OldImage"]), R"({"exp":{"N":"100"},"pk":{"S":"t"}})");
  // Sequence numbers keep counting after the restart.
  std::string before = del["dynamodb"]["SequenceNumber"].GetString();
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"u"}}})");
  Reply after = records(iterator(arn, "AFTER_SEQUENCE_NUMBER", before));
  ASSERT_EQ(after["Records"].Size(), 1u);
  EXPECT_GT(std::string(after["Records"][0]["dynamodb"]["SequenceNumber"].GetString()), before);
  // Retention: records older than 24 hours are trimmed.
  EXPECT_EQ(service_->trimStreams(streams::nowEpochMs() + 25LL * 3600 * 1000), 3u);
  EXPECT_EQ(records(iterator(arn, "TRIM_HORIZON"))["Records"].Size(), 0u);
}

// Shard iterators expire 15 minutes after they are issued; NextShardIterator is a fresh one.
TEST_F(ServiceStreams, IteratorsExpireAfterFifteenMinutes) {
  std::string arn = create("KEYS_ONLY");
  std::string it = iterator(arn, "TRIM_HORIZON");
  clock_.advanceSeconds(14 * 60);
  std::string next = records(it)["NextShardIterator"].GetString();
  clock_.advanceSeconds(2 * 60);  // `it` is 16 minutes old, `next` 2 minutes
  Reply expired = streamsCall("GetRecords", R"({"ShardIterator":")" + it + R"("})");
  EXPECT_EQ(expired.status, 400);
  EXPECT_EQ(expired.type(), "ExpiredIteratorException");
  EXPECT_EQ(expired.message(), "Shard iterator has expired");
  records(next);
  Reply garbage = streamsCall("GetRecords", R"({"ShardIterator":"not-an-iterator"})");
  EXPECT_EQ(garbage.type(), "ValidationException");
}

// Reading before the trim horizon: an iterator issued before its records were trimmed, and a
// sequence number retention removed, are TrimmedDataAccessException; the horizon survives a restart
// and sequence numbers keep counting after every record was trimmed.
TEST_F(ServiceStreams, ReadsBeforeTheTrimHorizonAreTrimmedDataAccess) {
  streamRetentionMs_ = 60 * 1000;  // configurable retention: one minute
  close();
  open();
  std::string arn = create("KEYS_ONLY");
  for (const char* pk : {"a", "b", "c"}) ok("PutItem", std::string(R"({"TableName":"Str","Item":{"pk":{"S":")") + pk + R"("}}})");
  Reply all = records(iterator(arn, "TRIM_HORIZON"));
  ASSERT_EQ(all["Records"].Size(), 3u);
  std::string first = all["Records"][0]["dynamodb"]["SequenceNumber"].GetString();
  std::string last = all["Records"][2]["dynamodb"]["SequenceNumber"].GetString();
  std::string atFirst = iterator(arn, "AT_SEQUENCE_NUMBER", first);

  // Within the retention nothing is trimmed; past it, all three records go.
  EXPECT_EQ(service_->trimStreams(streams::nowEpochMs() + 30 * 1000), 0u);
  EXPECT_EQ(records(atFirst)["Records"].Size(), 3u);
  EXPECT_EQ(service_->trimStreams(streams::nowEpochMs() + 61 * 1000), 3u);

  Reply stale = streamsCall("GetRecords", R"({"ShardIterator":")" + atFirst + R"("})");
  EXPECT_EQ(stale.status, 400);
  EXPECT_EQ(stale.type(), "TrimmedDataAccessException");
  EXPECT_EQ(stale.message(), "The data you are trying to access has been trimmed.");
  std::string shard = streamsOk("DescribeStream", R"({"StreamArn":")" + arn + R"("})")["StreamDescription"]["Shards"][0]["ShardId"].GetString();
  auto shardIterator = [&](const std::string& type, const std::string& seq) {
    return streamsCall("GetShardIterator", R"({"StreamArn":")" + arn + R"(","ShardId":")" + shard +
                                               R"(","ShardIteratorType":")" + type + R"(","SequenceNumber":")" + seq + "\"}");
  };
  EXPECT_EQ(shardIterator("AT_SEQUENCE_NUMBER", first).type(), "TrimmedDataAccessException");
  EXPECT_EQ(shardIterator("AT_SEQUENCE_NUMBER", last).type(), "TrimmedDataAccessException");
  EXPECT_EQ(shardIterator("AFTER_SEQUENCE_NUMBER", last).type(), "TrimmedDataAccessException");
  EXPECT_EQ(records(iterator(arn, "TRIM_HORIZON"))["Records"].Size(), 0u);

  // After a restart the horizon still holds and new records continue the sequence.
  close();
  open();
  EXPECT_EQ(shardIterator("AT_SEQUENCE_NUMBER", first).type(), "TrimmedDataAccessException");
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"d"}}})");
  Reply after = records(iterator(arn, "TRIM_HORIZON"));
  ASSERT_EQ(after["Records"].Size(), 1u);
  EXPECT_GT(std::string(after["Records"][0]["dynamodb"]["SequenceNumber"].GetString()), last);
}

// A shard's StartingSequenceNumber lies below its first record's, as DynamoDB's does; reading AT
// it starts at the first record at once (no record is held back as a gap). Iterators have
// DynamoDB's form, "<stream ARN>|1|<opaque>", and one that is not is refused.
TEST_F(ServiceStreams, ShardStartsBelowItsFirstRecordAndIteratorsNameTheStream) {
  std::string arn = create("NEW_IMAGE");
  for (const char* pk : {"a", "b"}) ok("PutItem", std::string(R"({"TableName":"Str","Item":{"pk":{"S":")") + pk + R"("}}})");
  Reply d = streamsOk("DescribeStream", R"({"StreamArn":")" + arn + R"("})");
  std::string start = d["StreamDescription"]["Shards"][0]["SequenceNumberRange"]["StartingSequenceNumber"].GetString();
  std::string it = iterator(arn, "AT_SEQUENCE_NUMBER", start);
  EXPECT_EQ(it.rfind(arn + "|1|", 0), 0u) << it;
  Reply r = records(it);
  ASSERT_EQ(r["Records"].Size(), 2u) << r.body;
  std::string first = r["Records"][0]["dynamodb"]["SequenceNumber"].GetString();
  ASSERT_EQ(first.size(), start.size());
  EXPECT_GT(first, start);
  std::string next = r["NextShardIterator"].GetString();
  EXPECT_EQ(next.rfind(arn + "|1|", 0), 0u) << next;
  EXPECT_EQ(records(iterator(arn, "AFTER_SEQUENCE_NUMBER", start))["Records"].Size(), 2u);
  EXPECT_EQ(records(iterator(arn, "TRIM_HORIZON"))["Records"].Size(), 2u);
  const std::vector<std::string> bad = {arn + "|1|", arn + "|1|!!", arn + "|2|MXwx",
                                       "arn:aws:dynamodb:us-east-1:000000000000:table/Str|1|MXwx", "|1|MXwx", "MXwx"};
  for (const auto& b : bad) {
    Reply g = streamsCall("GetRecords", R"({"ShardIterator":")" + b + R"("})");
    EXPECT_EQ(g.type(), "ValidationException") << b << " -> " << g.body;
  }
  // An iterator of a stream that is gone (another label) finds no shard.
  std::string other = arn.substr(0, arn.rfind('/') + 1) + "2000-01-01T00:00:00.000|1|" + it.substr(it.rfind('|') + 1);
  EXPECT_EQ(streamsCall("GetRecords", R"({"ShardIterator":")" + other + R"("})").type(), "ResourceNotFoundException");
}

// An empty stream's shard starts where its first record will follow.
TEST_F(ServiceStreams, AnEmptyShardStartsBeforeTheNextRecord) {
  std::string arn = create("KEYS_ONLY");
  Reply d = streamsOk("DescribeStream", R"({"StreamArn":")" + arn + R"("})");
  std::string start = d["StreamDescription"]["Shards"][0]["SequenceNumberRange"]["StartingSequenceNumber"].GetString();
  std::string it = iterator(arn, "AT_SEQUENCE_NUMBER", start);
  ok("PutItem", R"({"TableName":"Str","Item":{"pk":{"S":"a"}}})");
  Reply r = records(it);
  ASSERT_EQ(r["Records"].Size(), 1u) << r.body;
  EXPECT_GT(std::string(r["Records"][0]["dynamodb"]["SequenceNumber"].GetString()), start);
}

}  // namespace
}  // namespace cdnlab::store

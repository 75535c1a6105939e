// FunctionEventInvokeConfig: the request-body checks (AWS's ranges and destination ARN pattern),
// Put-replaces vs Update-merges, the API's JSON, the persisted record, and the asynchronous
// invocation rules and destination record (async_record.h).
#include "lambda/event_invoke_config.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "lambda/async_record.h"
#include "lambda/function_model.h"

namespace cdnlab::lambda {
namespace {

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

TEST(EventInvokeConfig, RangesAreAwsValidationErrors) {
  auto tooMany = parseEventInvokeConfigChange(R"({"MaximumRetryAttempts":3})");
  ASSERT_FALSE(tooMany.ok());
  EXPECT_EQ(tooMany.error().type, "ValidationException");
  EXPECT_EQ(tooMany.error().message,
            "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must "
            "have value less than or equal to 2");
  auto negative = parseEventInvokeConfigChange(R"({"MaximumRetryAttempts":-1})");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().message.find("greater than or equal to 0"), std::string::npos);
  auto young = parseEventInvokeConfigChange(R"({"MaximumEventAgeInSeconds":59})");
  ASSERT_FALSE(young.ok());
  EXPECT_NE(young.error().message.find("'maximumEventAgeInSeconds'"), std::string::npos);
  EXPECT_FALSE(parseEventInvokeConfigChange(R"({"MaximumEventAgeInSeconds":21601})").ok());
  EXPECT_FALSE(parseEventInvokeConfigChange(R"({"MaximumRetryAttempts":"1"})").ok());
  EXPECT_FALSE(parseEventInvokeConfigChange("[1]").ok());
  EXPECT_FALSE(parseEventInvokeConfigChange("{").ok());
  auto edges = parseEventInvokeConfigChange(R"({"MaximumRetryAttempts":0,"MaximumEventAgeInSeconds":21600})");
  ASSERT_TRUE(edges.ok());
  EXPECT_EQ(*edges->maximumRetryAttempts, 0);
  EXPECT_EQ(*edges->maximumEventAgeSeconds, 21600);
  EXPECT_TRUE(parseEventInvokeConfigChange("{}")->empty());
}

TEST(EventInvokeConfig, DestinationArnPattern) {
  auto bad = parseEventInvokeConfigChange(R"({"DestinationConfig":{"OnFailure":{"Destination":"not-an-arn"}}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().type, "ValidationException");
  EXPECT_NE(bad.error().message.find("'destinationConfig.onFailure.destination'"), std::string::npos);
  auto badOk = parseEventInvokeConfigChange(R"({"DestinationConfig":{"OnSuccess":{"Destination":"arn:aws:x"}}})");
  ASSERT_FALSE(badOk.ok());
  EXPECT_NE(badOk.error().message.find("'destinationConfig.onSuccess.destination'"), std::string::npos);
  auto ok = parseEventInvokeConfigChange(
      R"({"DestinationConfig":{"OnSuccess":{"Destination":"arn:aws:lambda:us-east-1:000000000000:function:sink"},"OnFailure":{}}})");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->hasDestination);
  EXPECT_EQ(*ok->onSuccess, "arn:aws:lambda:us-east-1:000000000000:function:sink");
  EXPECT_EQ(*ok->onFailure, "");
  // An empty destination ARN is allowed and means none.
  EXPECT_TRUE(parseEventInvokeConfigChange(R"({"DestinationConfig":{"OnFailure":{"Destination":""}}})").ok());
}

TEST(EventInvokeConfig, ParseDestination) {
  auto f = parseDestination("arn:aws:lambda:us-east-1:000000000000:function:sink:live");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->service, "lambda");
  EXPECT_EQ(f->function, "sink");
  EXPECT_EQ(f->qualifier, "live");
  EXPECT_EQ(parseDestination("arn:aws:sqs:us-east-1:000000000000:q")->service, "sqs");
  EXPECT_FALSE(parseDestination("arn:aws:lambda:us-east-1:000000000000:layer:x"));
  EXPECT_FALSE(parseDestination("arn:aws:lambda:us-east-1:000000000000:function:bad name"));
  EXPECT_FALSE(parseDestination("arn:aws:lambda:us-east-1:000000000000:function:f:"));
}

TEST(EventInvokeConfig, PutReplacesUpdateMerges) {
  auto first = parseEventInvokeConfigChange(
      R"({"MaximumRetryAttempts":1,"DestinationConfig":{"OnFailure":{"Destination":"arn:aws:lambda:us-east-1:000000000000:function:dlq"}}})");
  ASSERT_TRUE(first.ok());
  EventInvokeConfig c = putEventInvokeConfig(*first, 1000);
  auto age = parseEventInvokeConfigChange(R"({"MaximumEventAgeInSeconds":120})");
  ASSERT_TRUE(age.ok());
  EventInvokeConfig merged = updateEventInvokeConfig(c, *age, 2000);
  EXPECT_EQ(merged.retries(), 1);
  EXPECT_EQ(merged.maxAgeSeconds(), 120);
  EXPECT_EQ(merged.onFailure, "arn:aws:lambda:us-east-1:000000000000:function:dlq");
  EXPECT_EQ(merged.lastModifiedMs, 2000);
  EventInvokeConfig replaced = putEventInvokeConfig(*age, 3000);
  EXPECT_FALSE(replaced.maximumRetryAttempts);
  EXPECT_EQ(replaced.retries(), kDefaultAsyncRetries);
  EXPECT_EQ(replaced.onFailure, "");
}

TEST(EventInvokeConfig, ApiJsonAndRecordRoundTrip) {
  EventInvokeConfig c;
  c.maximumRetryAttempts = 0;
  c.onSuccess = "arn:aws:lambda:us-east-1:000000000000:function:ok";
  c.lastModifiedMs = 1573686021479;
  AccountInfo a;
  auto d = parse(eventInvokeConfigJson(a, "fn", "$LATEST", c));
  EXPECT_DOUBLE_EQ(d["LastModified"].GetDouble(), 1573686021.479);
  EXPECT_STREQ(d["FunctionArn"].GetString(), "arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST");
  EXPECT_EQ(d["MaximumRetryAttempts"].GetInt(), 0);
  EXPECT_FALSE(d.HasMember("MaximumEventAgeInSeconds"));
  EXPECT_STREQ(d["DestinationConfig"]["OnSuccess"]["Destination"].GetString(), c.onSuccess.c_str());
  EXPECT_TRUE(d["DestinationConfig"]["OnFailure"].IsObject());
  EXPECT_EQ(d["DestinationConfig"]["OnFailure"].MemberCount(), 0u);

  FunctionRecord r;
  r.name = "fn";
  r.latest.runtime = "cdnlab-native";
  r.latest.handler = "echo";
  r.eventInvokeConfigs["$LATEST"] = c;
  auto back = recordFromJson(recordToJson(r));
  ASSERT_TRUE(back.ok()) << back.error().message;
  const EventInvokeConfig& b = back->eventInvokeConfigs.at("$LATEST");
  EXPECT_EQ(b.maximumRetryAttempts, c.maximumRetryAttempts);
  EXPECT_EQ(b.maximumEventAgeSeconds, c.maximumEventAgeSeconds);
  EXPECT_EQ(b.onSuccess, c.onSuccess);
  EXPECT_EQ(b.lastModifiedMs, c.lastModifiedMs);

  auto bad = parse(R"({"retries":7})");
  auto err = readEventInvokeConfigRecord(bad, "$.eventInvokeConfigs.live");
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.error().message.find("$.eventInvokeConfigs.live.retries"), std::string::npos);
}

TEST(AsyncRecord, RulesForRetriesAndAge) {
  EXPECT_TRUE(asyncRetryLeft(1, 2));
  EXPECT_TRUE(asyncRetryLeft(2, 2));
  EXPECT_FALSE(asyncRetryLeft(3, 2));
  EXPECT_FALSE(asyncRetryLeft(1, 0));
  EXPECT_FALSE(asyncEventExpired(0, 60'000'000'000LL, 60));
  EXPECT_TRUE(asyncEventExpired(0, 60'000'000'001LL, 60));
}

TEST(AsyncRecord, ShapeOfFailureAndAgeRecords) {
  AsyncOutcome o;
  o.condition = AsyncCondition::RetriesExhausted;
  o.requestId = "r-1";
  o.functionArn = "arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST";
  o.approximateInvokeCount = 3;
  o.requestPayload = R"({"order":7})";
  o.invoked = true;
  o.executedVersion = "$LATEST";
  o.functionError = true;
  o.responsePayload = R"({"errorMessage":"boom","errorType":"Error"})";
  o.timestampMs = 1574633305651;
  auto d = parse(asyncInvocationRecord(o));
  EXPECT_STREQ(d["version"].GetString(), "1.0");
  EXPECT_STREQ(d["timestamp"].GetString(), "2019-11-24T22:08:25.651Z");
  EXPECT_STREQ(d["requestContext"]["condition"].GetString(), "RetriesExhausted");
  EXPECT_EQ(d["requestContext"]["approximateInvokeCount"].GetInt(), 3);
  EXPECT_STREQ(d["requestContext"]["functionArn"].GetString(), o.functionArn.c_str());
  EXPECT_EQ(d["requestPayload"]["order"].GetInt(), 7);
  EXPECT_EQ(d["responseContext"]["statusCode"].GetInt(), 200);
  EXPECT_STREQ(d["responseContext"]["executedVersion"].GetString(), "$LATEST");
  EXPECT_STREQ(d["responseContext"]["functionError"].GetString(), "Unhandled");
  EXPECT_STREQ(d["responsePayload"]["errorMessage"].GetString(), "boom");

  o.condition = AsyncCondition::EventAgeExceeded;
  o.invoked = false;
  o.approximateInvokeCount = 0;
  o.requestPayload = "not json";
  auto aged = parse(asyncInvocationRecord(o));
  EXPECT_STREQ(aged["requestContext"]["condition"].GetString(), "EventAgeExceeded");
  EXPECT_FALSE(aged.HasMember("responseContext"));
  EXPECT_FALSE(aged.HasMember("responsePayload"));
  EXPECT_STREQ(aged["requestPayload"].GetString(), "not json");

  o.condition = AsyncCondition::Success;
  o.invoked = true;
  o.functionError = false;
  o.responsePayload = "42";
  auto ok = parse(asyncInvocationRecord(o));
  EXPECT_FALSE(ok["responseContext"].HasMember("functionError"));
  EXPECT_EQ(ok["responsePayload"].GetInt(), 42);
}

}  // namespace
}  // namespace cdnlab::lambda

// Lambda's event filter patterns (lambda/event_filter.*) against DynamoDB stream records.
#include "lambda/event_filter.h"

#include <gtest/gtest.h>

namespace cdnlab::lambda {
namespace {

rapidjson::Document record(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

const char* kInsert = R"({"eventName":"INSERT","eventSource":"aws:dynamodb","dynamodb":{
  "Keys":{"pk":{"S":"order#17"}},
  "NewImage":{"pk":{"S":"order#17"},"status":{"S":"Shipped"},"total":{"N":"42.5"},"gift":{"BOOL":true},
              "note":{"NULL":true},"tags":{"SS":["red","blue"]},"file":{"S":"photo.PNG"}},
  "SequenceNumber":"100","SizeBytes":80,"StreamViewType":"NEW_AND_OLD_IMAGES"}})";

bool matches(const char* pattern, const char* rec = kInsert) {
  auto f = EventFilter::parse(pattern);
  EXPECT_TRUE(f.ok()) << pattern << ": " << (f ? "" : f.error().message);
  if (!f) return false;
  auto d = record(rec);
  return f->matches(d);
}

TEST(EventFilter, ExactValuesAndOr) {
  EXPECT_TRUE(matches(R"({"eventName":["INSERT"]})"));
  EXPECT_FALSE(matches(R"({"eventName":["REMOVE"]})"));
  EXPECT_TRUE(matches(R"({"eventName":["REMOVE","INSERT"]})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"Keys":{"pk":{"S":["order#17"]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"NewImage":{"gift":{"BOOL":[true]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"NewImage":{"gift":{"BOOL":[false]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"SizeBytes":[80]}})"));
  // AND across keys.
  EXPECT_FALSE(matches(R"({"eventName":["INSERT"],"dynamodb":{"NewImage":{"status":{"S":["Pending"]}}}})"));
  // A set matches when one member does.
  EXPECT_TRUE(matches(R"({"dynamodb":{"NewImage":{"tags":{"SS":["blue"]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"NewImage":{"tags":{"SS":["green"]}}}})"));
  // $or between whole sub-patterns.
  EXPECT_TRUE(matches(R"({"$or":[{"eventName":["REMOVE"]},{"dynamodb":{"NewImage":{"status":{"S":["Shipped"]}}}}]})"));
  EXPECT_FALSE(matches(R"({"$or":[{"eventName":["REMOVE"]},{"eventName":["MODIFY"]}]})"));
}

TEST(EventFilter, PrefixSuffixAndCase) {
  EXPECT_TRUE(matches(R"({"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"order#"}]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"user#"}]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"ORDER#"}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"Keys":{"pk":{"S":[{"prefix":{"equals-ignore-case":"ORDER#"}}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"NewImage":{"file":{"S":[{"suffix":".PNG"}]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"NewImage":{"file":{"S":[{"suffix":".png"}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"NewImage":{"status":{"S":[{"equals-ignore-case":"shipped"}]}}}})"));
}

TEST(EventFilter, NumericOnNumbersAndDynamoNumbers) {
  EXPECT_TRUE(matches(R"({"dynamodb":{"NewImage":{"total":{"N":[{"numeric":[">",40,"<=",42.5]}]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"NewImage":{"total":{"N":[{"numeric":[">",42.5]}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"NewImage":{"total":{"N":[{"numeric":["=",42.5]}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"SizeBytes":[{"numeric":["<",100]}]}})"));
  // A string that merely looks like a number is not one outside DynamoDB's "N".
  EXPECT_FALSE(matches(R"({"dynamodb":{"SequenceNumber":[{"numeric":[">",1]}]}})"));
}

TEST(EventFilter, ExistsNullAndEmpty) {
  EXPECT_TRUE(matches(R"({"dynamodb":{"NewImage":{"status":{"S":[{"exists":true}]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"NewImage":{"missing":{"S":[{"exists":true}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"NewImage":{"missing":{"S":[{"exists":false}]}}}})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"NewImage":{"status":{"S":[{"exists":false}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"OldImage":{"status":{"S":[{"exists":false}]}}}})"));
  // exists applies to leaves: an object is not one.
  EXPECT_FALSE(matches(R"({"dynamodb":{"NewImage":[{"exists":true}]}})"));
  EXPECT_TRUE(matches(R"({"x":[null]})", R"({"x":null})"));
  EXPECT_FALSE(matches(R"({"x":[null]})", R"({"y":1})"));
  EXPECT_TRUE(matches(R"({"x":[""]})", R"({"x":""})"));
  EXPECT_FALSE(matches(R"({"x":[""]})", R"({"x":"a"})"));
}

TEST(EventFilter, AnythingBut) {
  EXPECT_TRUE(matches(R"({"eventName":[{"anything-but":["REMOVE"]}]})"));
  EXPECT_FALSE(matches(R"({"eventName":[{"anything-but":["REMOVE","INSERT"]}]})"));
  EXPECT_FALSE(matches(R"({"eventName":[{"anything-but":"INSERT"}]})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"Keys":{"pk":{"S":[{"anything-but":{"prefix":"order#"}}]}}}})"));
  EXPECT_TRUE(matches(R"({"dynamodb":{"Keys":{"pk":{"S":[{"anything-but":{"suffix":"#99"}}]}}}})"));
  EXPECT_FALSE(matches(R"({"eventName":[{"anything-but":{"equals-ignore-case":["insert"]}}]})"));
  EXPECT_FALSE(matches(R"({"dynamodb":{"NewImage":{"total":{"N":[{"anything-but":[42.5]}]}}}})"));
  // A missing field is not "anything but".
  EXPECT_FALSE(matches(R"({"nope":[{"anything-but":["x"]}]})"));
}

TEST(EventFilter, CriteriaOrAcrossFilters) {
  FilterCriteria c;
  auto d = record(kInsert);
  EXPECT_TRUE(c.matches(d));  // no filters: everything
  ASSERT_TRUE(c.add(R"({"eventName":["REMOVE"]})").ok());
  EXPECT_FALSE(c.matches(d));
  ASSERT_TRUE(c.add(R"({"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"order"}]}}}})").ok());
  EXPECT_TRUE(c.matches(d));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.add(R"({"a":["b"]})").ok());
  EXPECT_FALSE(c.add(R"({"a":["b"]})").ok());  // a sixth filter
  FilterCriteria big;
  EXPECT_FALSE(big.add("{\"a\":[\"" + std::string(5000, 'x') + "\"]}").ok());
}

TEST(EventFilter, MalformedPatternsNameThePlace) {
  auto err = [](const char* p) {
    auto f = EventFilter::parse(p);
    return f ? std::string("(accepted)") : f.error().message;
  };
  EXPECT_EQ(err("not json"), "$: not valid JSON");
  EXPECT_EQ(err("[1]"), "$: must be a JSON object");
  EXPECT_EQ(err(R"({"eventName":"INSERT"})"), "$.eventName: must be an object (a nested field) or an array of matchers");
  EXPECT_NE(err(R"({"a":[{"numeric":[">"]}]})").find("$.a[0].numeric"), std::string::npos);
  EXPECT_NE(err(R"({"a":[{"numeric":[">",5,"<",1]}]})").find("lower bound"), std::string::npos);
  EXPECT_NE(err(R"({"a":[{"numeric":["=",5,"<",9]}]})").find("$.a[0].numeric"), std::string::npos);
  EXPECT_NE(err(R"({"a":[{"wildcard":"*"}]})").find("unsupported operator"), std::string::npos);
  EXPECT_NE(err(R"({"a":[{"exists":"yes"}]})").find("$.a[0].exists"), std::string::npos);
  EXPECT_NE(err(R"({"a":[{"prefix":"x","suffix":"y"}]})").find("exactly one"), std::string::npos);
  EXPECT_NE(err(R"({"$or":[{"a":["b"]}]})").find("$.$or"), std::string::npos);
  EXPECT_NE(err(R"({"a":[{"anything-but":[]}]})").find("must not be empty"), std::string::npos);
  EXPECT_NE(err(R"({"a":[[1]]})").find("$.a[0]"), std::string::npos);
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "{\"a\":";
  deep += "[1]";
  for (int i = 0; i < 40; ++i) deep += "}";
  EXPECT_NE(err(deep.c_str()).find("nested too deeply"), std::string::npos);
  // A pattern from a client nested 200,000 levels: refused, not a stack overflow in the parse.
  std::string deeper;
  for (int i = 0; i < 200000; ++i) deeper += "{\"a\":";
  deeper += "[1]" + std::string(200000, '}');
  EXPECT_NE(err(deeper.c_str()).find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::lambda

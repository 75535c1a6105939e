// Resource-based policy statements built from AddPermission's members, and their round trip
// through the persisted function record.
#include "lambda/policy.h"

#include <gtest/gtest.h>

namespace cdnlab::lambda {
namespace {

rapidjson::Document body(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  return d;
}

TEST(Policy, StatementShapes) {
  auto s = statementFromAddPermission(body(R"({"StatementId":"a","Action":"lambda:InvokeFunction","Principal":"s3.amazonaws.com","SourceArn":"arn:aws:s3:::b"})"),
                                      "arn:aws:lambda:us-east-1:000000000000:function:f");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sid, "a");
  EXPECT_EQ(s->json,
            R"({"Sid":"a","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction",)"
            R"("Resource":"arn:aws:lambda:us-east-1:000000000000:function:f","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"}}})");
  auto star = statementFromAddPermission(body(R"({"StatementId":"b","Action":"*","Principal":"*"})"), "r");
  ASSERT_TRUE(star.ok());
  EXPECT_NE(star->json.find(R"("Principal":"*")"), std::string::npos);
  EXPECT_EQ(star->json.find("Condition"), std::string::npos);
  auto role = statementFromAddPermission(body(R"({"StatementId":"c","Action":"lambda:*","Principal":"arn:aws:iam::123456789012:role/x"})"), "r");
  ASSERT_TRUE(role.ok());
  EXPECT_NE(role->json.find(R"("Principal":{"AWS":"arn:aws:iam::123456789012:role/x"})"), std::string::npos);
}

TEST(Policy, RefusesMalformedMembers) {
  for (const char* bad : {R"({"Action":"lambda:InvokeFunction","Principal":"*"})",
                          R"({"StatementId":"a b","Action":"lambda:InvokeFunction","Principal":"*"})",
                          R"({"StatementId":"a","Action":"s3:GetObject","Principal":"*"})",
                          R"({"StatementId":"a","Action":"lambda:Invoke1","Principal":"*"})",
                          R"({"StatementId":"a","Action":"*","Principal":"*","SourceAccount":"12"})",
                          R"({"StatementId":"a","Action":"*","Principal":"*","FunctionUrlAuthType":"X"})",
                          R"({"StatementId":"a","Action":"*","Principal":5})"}) {
    auto s = statementFromAddPermission(body(bad), "r");
    EXPECT_FALSE(s.ok()) << bad;
  }
}

TEST(Policy, RecordRoundTrip) {
  FunctionRecord r;
  r.name = "f";
  r.latest.runtime = "nodejs20.x";
  r.policies[""] = FunctionPolicy{{PolicyStatement{"a", R"({"Sid":"a"})"}}, "rev"};
  auto back = recordFromJson(recordToJson(r));
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->policies.at("").statements.size(), 1u);
  EXPECT_EQ(back->policies.at("").statements[0].json, R"({"Sid":"a"})");
  EXPECT_EQ(back->policies.at("").revisionId, "rev");
  EXPECT_EQ(policyDocument(back->policies.at("")), R"({"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"a"}]})");
  // A statement that is not an object is named, never read through.
  std::string text = recordToJson(r);
  size_t at = text.find(R"([{"sid":"a")");
  ASSERT_NE(at, std::string::npos);
  std::string broken = text.substr(0, at) + "[5]" + text.substr(text.find(']', at) + 1);
  auto bad = recordFromJson(broken);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("$.policies."), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace cdnlab::lambda

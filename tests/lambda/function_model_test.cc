// Function names and ARNs, configuration limits, base64, and the record round trip through its
// persisted JSON (including the error naming a bad field).
#include "lambda/function_model.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "lambda/codec.h"

namespace cdnlab::lambda {
namespace {

TEST(FunctionRef, NamesArnsAndQualifiers) {
  auto a = parseFunctionRef("my-fn");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->name, "my-fn");
  EXPECT_EQ(a->qualifier, "");
  auto b = parseFunctionRef("arn:aws:lambda:us-east-1:000000000000:function:my-fn:live");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->name, "my-fn");
  EXPECT_EQ(b->qualifier, "live");
  auto c = parseFunctionRef("000000000000:function:f:$LATEST");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->qualifier, "$LATEST");
  // Named: a temporary std::string's c_str() in the braced list dangles once the loop starts (ASan).
  const std::string tooLong(65, 'a');
  for (const char* bad : {"", "a b", "f:", "arn:aws:s3:::bucket", "x:y:z", tooLong.c_str()})
    EXPECT_FALSE(parseFunctionRef(bad).ok()) << bad;
}

TEST(FunctionModel, Limits) {
  EXPECT_FALSE(checkTimeout(1).has_value());
  EXPECT_FALSE(checkTimeout(900).has_value());
  EXPECT_EQ(checkTimeout(0)->type, "ValidationException");
  EXPECT_EQ(checkTimeout(901)->type, "ValidationException");
  EXPECT_EQ(checkMemory(127)->type, "ValidationException");
  EXPECT_EQ(checkRuntime("java8")->type, "ValidationException");
  EXPECT_FALSE(checkRuntime("cdnlab-native").has_value());
  EXPECT_EQ(checkEnvironment({{"AWS_REGION", "x"}})->type, "InvalidParameterValueException");
  EXPECT_EQ(checkEnvironment({{"1BAD", "x"}})->type, "ValidationException");
  EXPECT_FALSE(checkEnvironment({{"GOOD_1", "x"}}).has_value());
  EXPECT_TRUE(validAliasName("live"));
  EXPECT_FALSE(validAliasName("123"));
}

TEST(Codec, Base64RoundTripAndRejects) {
  for (std::string s : std::initializer_list<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)})
    EXPECT_EQ(base64Decode(base64Encode(s)).value(), s);
  EXPECT_FALSE(base64Decode("abc").has_value());
  EXPECT_FALSE(base64Decode("ab=c").has_value());
  EXPECT_FALSE(base64Decode("a b=").has_value());
  EXPECT_EQ(percentDecode("arn%3Aaws").value(), "arn:aws");
  EXPECT_FALSE(percentDecode("%zz").has_value());
  EXPECT_EQ(queryParam("Qualifier=live&MaxItems=2", "MaxItems").value(), "2");
}

TEST(FunctionModel, RecordRoundTripAndBadField) {
  FunctionRecord r;
  r.name = "f";
  r.latest.runtime = "nodejs20.x";
  r.latest.handler = "index.handler";
  r.latest.environment = {{"K", "V"}};
  r.latest.code.sha256 = "abc=";
  r.versions[1] = r.latest;
  r.versions[1].version = "1";
  r.lastVersion = 1;
  r.aliases["live"] = Alias{"live", "1", "", "rev"};
  r.reservedConcurrency = 4;
  r.provisioned["live"] = 2;
  r.tags = {{"team", "edge"}};
  r.versions[1].architecture = "arm64";
  auto back = recordFromJson(recordToJson(r));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->latest.environment.at("K"), "V");
  EXPECT_EQ(back->versions.at(1).version, "1");
  EXPECT_EQ(back->aliases.at("live").functionVersion, "1");
  EXPECT_EQ(*back->reservedConcurrency, 4);
  EXPECT_EQ(back->provisioned.at("live"), 2);
  EXPECT_EQ(back->tags.at("team"), "edge");
  EXPECT_EQ(back->versions.at(1).architecture, "arm64");
  EXPECT_EQ(back->latest.architecture, "x86_64");
  auto bad = recordFromJson(R"({"name":"f","latest":{"runtime":5}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("$.latest.runtime"), std::string::npos) << bad.error().message;
}

TEST(FunctionModel, RoleMustBeAnIamRoleArn) {
  for (const char* ok : {"arn:aws:iam::000000000000:role/lambda", "arn:aws-us-gov:iam::123456789012:role/a/b.c@d+e=f,g",
                         "arn::iam::123456789012:role/x", "arn:aws:iam::123456789012:roleX"})
    EXPECT_FALSE(checkRole(ok).has_value()) << ok;
  for (const char* bad : {"", "lambda", "arn:aws:iam::12345678901:role/x", "arn:aws:iam::123456789012:user/x",
                          "arn:aws:iam::123456789012:role/", "arn:aws:iam::123456789012:role/a b", "arn:aws:iam::123456789012:role:x",
                          "arn:aws:s3::123456789012:role/x"}) {
    auto e = checkRole(bad);
    ASSERT_TRUE(e.has_value()) << bad;
    EXPECT_EQ(e->type, "ValidationException");
    EXPECT_NE(e->message.find("at 'role'"), std::string::npos) << e->message;
  }
}

TEST(FunctionModel, ArchitecturesAndTags) {
  EXPECT_FALSE(checkArchitectures({"arm64"}).has_value());
  EXPECT_FALSE(checkArchitectures({"x86_64"}).has_value());
  EXPECT_TRUE(checkArchitectures({}).has_value());
  EXPECT_TRUE(checkArchitectures({"x86_64", "arm64"}).has_value());
  EXPECT_TRUE(checkArchitectures({"sparc"}).has_value());
  EXPECT_FALSE(checkTags({{"team", "edge"}, {"empty", ""}}).has_value());
  EXPECT_TRUE(checkTags({{"aws:x", "y"}}).has_value());
  EXPECT_TRUE(checkTags({{std::string(129, 'k'), "y"}}).has_value());
  EXPECT_TRUE(checkTags({{"k", std::string(257, 'v')}}).has_value());
  std::map<std::string, std::string> many;
  for (int i = 0; i < 51; ++i) many["k" + std::to_string(i)] = "v";
  EXPECT_TRUE(checkTags(many).has_value());
}

TEST(FunctionModel, FunctionArnShowsTheQualifierAskedFor) {
  AccountInfo a;
  FunctionConfig c;
  EXPECT_NE(functionConfigurationJson(a, "f", c).find(":function:f\""), std::string::npos);
  EXPECT_NE(functionConfigurationJson(a, "f", c, "$LATEST").find("\"arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST\""),
            std::string::npos);
  c.version = "3";
  EXPECT_NE(functionConfigurationJson(a, "f", c).find("function:f:3\""), std::string::npos);
  EXPECT_NE(functionConfigurationJson(a, "f", c, "live").find("function:f:live\""), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::lambda

// The Lambda service's readers of untrusted request bodies: an Invoke payload or an API body of a
// few MB nested arbitrarily deep is judged without recursion (the recursive parser overflowed the
// stack and ended `cdnlab lambda`).
#include "lambda/json.h"

#include <gtest/gtest.h>

#include <string>

namespace cdnlab::lambda {
namespace {

TEST(LambdaJson, DeepPayloadIsJudgedWithoutRecursing) {
  const std::string lists = std::string(1000000, '[') + std::string(1000000, ']');
  EXPECT_TRUE(isJsonValue(lists));  // valid JSON, however deep
  EXPECT_FALSE(isJsonValue(lists.substr(0, lists.size() - 1)));
  EXPECT_FALSE(isJsonValue(std::string(1000000, '[')));
  EXPECT_TRUE(isJsonValue(R"({"a":[1,"x",null]})"));
  EXPECT_FALSE(isJsonValue("{} {}"));
}

TEST(LambdaJson, DeepApiBodyIsReadWithoutRecursing) {
  const std::string body = R"({"FunctionName":"f","x":)" + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  auto d = parseObject(body);
  ASSERT_TRUE(d.ok());
  EXPECT_STREQ((*d)["FunctionName"].GetString(), "f");
  auto cut = parseObject(body.substr(0, body.size() - 2));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, 400);
}

}  // namespace
}  // namespace cdnlab::lambda

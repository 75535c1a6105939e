// The tagging operations' ARN form checks: the same answers as the regular expressions DynamoDB's
// wording was taken from, on every short string over the characters that matter, and a prompt
// answer on the longest ARN a request may carry (a backtracking regex took seconds at 120 bytes).
#include "origin/store/arn_form.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace cdnlab::store {
namespace {

const std::regex kAnyArn(R"(^.+:.+:.+:.+:.+:.+/.+$)");
const std::regex kTableArn(R"(^arn:aws:dynamodb:.+:\d+:table/[^/]{2}[^/]+$)");

TEST(ArnForm, AcceptsTableArnsAndRefusesOthers) {
  EXPECT_TRUE(looksLikeTableArn("arn:aws:dynamodb:us-east-1:000000000000:table/Music"));
  EXPECT_TRUE(looksLikeArn("arn:aws:dynamodb:us-east-1:000000000000:table/Music"));
  EXPECT_FALSE(looksLikeTableArn("arn:aws:dynamodb:us-east-1:000000000000:table/ab"));  // name too short
  EXPECT_FALSE(looksLikeTableArn("arn:aws:dynamodb::000000000000:table/Music"));        // no region
  EXPECT_FALSE(looksLikeTableArn("arn:aws:dynamodb:us-east-1:12a:table/Music"));        // account not digits
  EXPECT_FALSE(looksLikeTableArn("arn:aws:dynamodb:us-east-1:1:table/Music/index/x")); // an index
  EXPECT_FALSE(looksLikeArn("arn:aws:s3:::bucket"));
  EXPECT_FALSE(looksLikeArn("a:b:c:d:e:f/\n"));
}

TEST(ArnForm, ParsesATableArnIntoRegionAccountAndName) {
  auto t = parseTableArn("arn:aws:dynamodb:eu-west-1:111122223333:table/Music");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->region, "eu-west-1");
  EXPECT_EQ(t->account, "111122223333");
  EXPECT_EQ(t->name, "Music");
  EXPECT_FALSE(parseTableArn("Music"));
  EXPECT_FALSE(parseTableArn("arn:aws:dynamodb:us-east-1:000000000000:table/"));              // no name
  EXPECT_FALSE(parseTableArn("arn:aws:dynamodb:us-east-1:000000000000:table/Music/index/i"));  // an index
  EXPECT_FALSE(parseTableArn("arn:aws:dynamodb:us-east-1:000000000000:table/Music/stream/x"));
  EXPECT_FALSE(parseTableArn("arn:aws:s3:us-east-1:000000000000:table/Music"));
  EXPECT_FALSE(parseTableArn("arn:aws:dynamodb:us-east-1:table/Music"));  // no account part
}

// Every string of up to 6 characters over {a, :, /, 1, \n}, and the same behind the table
// prefix, against the regular expressions.
TEST(ArnForm, AgreesWithTheRegularExpressions) {
  const std::string alphabet = "a:/1\n";
  std::string s;
  size_t checked = 0;
  auto check = [&](const std::string& text) {
    ++checked;
    ASSERT_EQ(looksLikeArn(text), std::regex_match(text, kAnyArn)) << "any ARN: [" << text << "]";
    ASSERT_EQ(looksLikeTableArn(text), std::regex_match(text, kTableArn)) << "table ARN: [" << text << "]";
  };
  for (size_t len = 0; len <= 6; ++len) {
    size_t combos = 1;
    for (size_t i = 0; i < len; ++i) combos *= alphabet.size();
    for (size_t n = 0; n < combos; ++n) {
      s.clear();
      for (size_t i = 0, m = n; i < len; ++i, m /= alphabet.size()) s += alphabet[m % alphabet.size()];
      check(s);
      check("a:b:c:d:e:" + s);
      check("arn:aws:dynamodb:" + s);
      check("arn:aws:dynamodb:r:" + s + ":table/abc");
      check("arn:aws:dynamodb:" + s + "1:table/" + s);
    }
  }
  EXPECT_GT(checked, 80000u);
}

// 1283 characters (the API's limit for ResourceArn) that nearly fit both forms: with a regex
// these never finish.
TEST(ArnForm, LongNearMissesAreAnsweredAtOnce) {
  std::string colons;
  while (colons.size() < 1283) colons += "a:";
  EXPECT_FALSE(looksLikeArn(colons));
  std::string table = "arn:aws:dynamodb:";
  while (table.size() < 1270) table += "1:";
  EXPECT_FALSE(looksLikeTableArn(table + "table/a"));
  EXPECT_TRUE(looksLikeTableArn(table + "table/abc"));
}

}  // namespace
}  // namespace cdnlab::store

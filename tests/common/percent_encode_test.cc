// percentEncode: RFC 3986's unreserved characters stay, every other byte is %XX.
#include "common/percent_encode.h"

#include <gtest/gtest.h>

#include <string>

namespace cdnlab {
namespace {

TEST(PercentEncode, UnreservedStayEverythingElseIsEscaped) {
  EXPECT_EQ(percentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percentEncode("a b&c=d+e?f#g"), "a%20b%26c%3Dd%2Be%3Ff%23g");
  EXPECT_EQ(percentEncode("caf\xc3\xa9"), "caf%C3%A9");  // bytes, upper-case hex (RFC 3986 2.1)
  EXPECT_EQ(percentEncode(std::string("\0\x7f", 2)), "%00%7F");
  EXPECT_EQ(percentEncode("%41"), "%2541");  // an escape in the input is data, encoded again
  EXPECT_EQ(percentEncode(""), "");
}

TEST(PercentEncode, SlashStaysOnlyWhenAsked) {
  EXPECT_EQ(percentEncode("a/b c"), "a%2Fb%20c");
  EXPECT_EQ(percentEncode("a/b c", true), "a/b%20c");
}

}  // namespace
}  // namespace cdnlab

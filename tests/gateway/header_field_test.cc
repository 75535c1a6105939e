// safeHeaderField: what a REST mapping template or gateway response may set as a header.
#include "gateway/rest/header_field.h"

#include <gtest/gtest.h>

#include <string>

namespace cdnlab::gateway {
namespace {

TEST(HeaderField, NameIsAToken) {
  EXPECT_TRUE(safeHeaderField("X-Custom_1", "v"));
  EXPECT_TRUE(safeHeaderField("!#$%&'*+-.^_`|~", "v"));
  for (const char* bad : {"", "a b", "a:b", "a/b", "x(y)", "a\r\nb", "caf\xc3\xa9"})
    EXPECT_FALSE(safeHeaderField(bad, "v")) << bad;
}

TEST(HeaderField, ValueHasNoControlCharactersButTab) {
  EXPECT_TRUE(safeHeaderField("x", "a\tb c"));
  EXPECT_TRUE(safeHeaderField("x", ""));
  for (std::string bad : {std::string("a\rb"), std::string("a\nb"), std::string("a\0b", 3), std::string("a\x7f")})
    EXPECT_FALSE(safeHeaderField("x", bad));
  EXPECT_TRUE(safeHeaderField("x", std::string(8192, 'a')));
  EXPECT_FALSE(safeHeaderField("x", std::string(8193, 'a')));
}

}  // namespace
}  // namespace cdnlab::gateway

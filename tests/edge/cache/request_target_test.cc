// Request-target normalisation (RFC 3986 6.2.2): the one form that is both keyed and forwarded.
#include "edge/cache/request_target.h"

#include <gtest/gtest.h>

namespace cdnlab::edge::cache {
namespace {

std::string norm(std::string_view target) {
  auto n = normalizeTarget(target);
  return n.ok() ? n->originForm() : "ERROR";
}

TEST(RequestTarget, UnreservedEscapesAreDecoded) {
  EXPECT_EQ(norm("/obj/%36%30%31"), "/obj/601");
  EXPECT_EQ(norm("/%7euser/%41%2d%5F"), "/~user/A-_");
  EXPECT_EQ(norm("/a?x=%36"), "/a?x=6");
}

TEST(RequestTarget, OtherEscapesAreKeptUpperCased) {
  EXPECT_EQ(norm("/a%2fb"), "/a%2Fb");      // an escaped '/' is not a segment separator
  EXPECT_EQ(norm("/a%3fb?q=%26"), "/a%3Fb?q=%26");
  EXPECT_EQ(norm("/%e2%82%ac"), "/%E2%82%AC");
  EXPECT_EQ(norm("/%25"), "/%25");
}

TEST(RequestTarget, DotSegmentsAreRemoved) {  // RFC 3986 5.2.4 and 5.4 examples
  EXPECT_EQ(norm("/a/b/c/./../../g"), "/a/g");
  EXPECT_EQ(norm("/mid/content=5/../6"), "/mid/6");
  EXPECT_EQ(norm("/../../x"), "/x");
  EXPECT_EQ(norm("/a/.."), "/");
  EXPECT_EQ(norm("/a/."), "/a/");
  EXPECT_EQ(norm("/a/%2e%2E/b"), "/b");  // decoded dots are dot segments too
  EXPECT_EQ(norm("/a/..b/.c"), "/a/..b/.c");
  EXPECT_EQ(norm("/a//b"), "/a//b");       // empty segments are kept (RFC 3986 does)
  EXPECT_EQ(norm("/a?x=/../y"), "/a?x=/../y");  // the query is not a path
}

TEST(RequestTarget, DisallowedBytesAreEncoded) {
  EXPECT_EQ(norm("/caf\xc3\xa9"), "/caf%C3%A9");
  EXPECT_EQ(norm("/a\"<>\\^`{|}[]"), "/a%22%3C%3E%5C%5E%60%7B%7C%7D%5B%5D");
  EXPECT_EQ(norm("/a?b?c=d"), "/a?b?c=d");  // '?' is literal inside a query
}

TEST(RequestTarget, RefusedTargets) {
  using namespace std::string_view_literals;
  for (std::string_view bad : {"/a#b"sv, "/a?x#y"sv, "/a%"sv, "/a%4"sv, "/a%zz"sv, "/a b"sv, "/a\0b"sv,
                               "a/b"sv, ""sv, "*"sv, "http://u@h/x"sv, "ftp://h/x"sv, "/a%2"sv}) {
    auto n = normalizeTarget(bad);
    EXPECT_FALSE(n.ok()) << bad;
    if (!n.ok()) {
      EXPECT_EQ(n.error().code, 400) << bad;
    }
  }
}

TEST(RequestTarget, AbsoluteForm) {
  auto n = normalizeTarget("HTTP://Example.COM:8080/a/../b?q=%7e");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->authority, "example.com:8080");
  EXPECT_EQ(n->originForm(), "/b?q=~");
  auto bare = normalizeTarget("http://h");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->originForm(), "/");
}

TEST(RequestTarget, EmptyQueryIsKept) {
  EXPECT_EQ(norm("/a?"), "/a?");  // "/a?" and "/a" are different URIs to an origin
  EXPECT_EQ(norm("/a"), "/a");
}

TEST(RequestTarget, NormalisingTwiceChangesNothing) {
  for (std::string_view t : {"/obj/%36%30%31", "/a/%2e%2e/b%2f?x=%7E&y=%zz", "/caf\xc3\xa9/./x?%41", "/%25%32%35"}) {
    std::string once = norm(t);
    if (once == "ERROR") continue;
    EXPECT_EQ(norm(once), once) << t;
  }
}

}  // namespace
}  // namespace cdnlab::edge::cache

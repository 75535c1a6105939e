// Headers, HTTP dates, reason phrases.
#include "common/http/message.h"

#include <gtest/gtest.h>

namespace cdnlab::http {
namespace {

TEST(Headers, CaseInsensitiveOrderedAndDuplicates) {
  Headers h;
  h.add("Cache-Control", "max-age=60");
  h.add("X-A", "1");
  h.add("cache-control", "public");
  EXPECT_EQ(h.get("CACHE-CONTROL"), "max-age=60");
  EXPECT_EQ(h.getAll("cache-control"), "max-age=60, public");
  EXPECT_TRUE(h.has("x-a"));
  EXPECT_FALSE(h.has("x-b"));
  EXPECT_EQ(h.getAll("x-b"), "");
  h.set("Cache-Control", "no-store");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].name, "Cache-Control");
  EXPECT_EQ(h[0].value, "no-store");
  EXPECT_EQ(h[1].name, "X-A");
  h.set("New", "v");
  EXPECT_EQ(h[2].name, "New");
  EXPECT_EQ(h.remove("x-a"), 1u);
  EXPECT_EQ(h.remove("x-a"), 0u);
  EXPECT_EQ(h.size(), 2u);
}

TEST(Headers, ListTokens) {
  EXPECT_TRUE(listHasToken("keep-alive, Upgrade", "upgrade"));
  EXPECT_TRUE(listHasToken(" close ", "close"));
  EXPECT_FALSE(listHasToken("closed", "close"));
  EXPECT_EQ(trimOws(" \t a b \t"), "a b");
}

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(httpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(httpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(HttpDate, ParsesAllThreeForms) {
  EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parseHttpDate("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_EQ(parseHttpDate(" Sun, 06 Nov 1994 08:49:37 GMT "), 784111777);
  EXPECT_FALSE(parseHttpDate("Sun, 06 Nov 1994 08:49:37 UTC"));
  EXPECT_FALSE(parseHttpDate("yesterday"));
  EXPECT_FALSE(parseHttpDate("0"));
  EXPECT_FALSE(parseHttpDate("Sun, 32 Nov 1994 08:49:37 GMT"));
  EXPECT_FALSE(parseHttpDate(""));
}

TEST(HttpDate, RoundTrips) {
  for (time_t t : {time_t{0}, time_t{951782400}, time_t{1704067200}, time_t{4102444799}})
    EXPECT_EQ(parseHttpDate(httpDate(t)), t);
}

TEST(Reason, KnownAndUnknown) {
  EXPECT_STREQ(reasonPhrase(200), "OK");
  EXPECT_STREQ(reasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_STREQ(reasonPhrase(299), "Unknown");
  EXPECT_TRUE(isIdempotentMethod("GET"));
  EXPECT_FALSE(isIdempotentMethod("POST"));
  EXPECT_TRUE(statusHasNoBody(304));
  EXPECT_FALSE(statusHasNoBody(200));
}

}  // namespace
}  // namespace cdnlab::http

// Conditional requests (RFC 9110 13.1.2, 13.1.3, 13.2.2): which validators make a 304.
#include "origin/catalog/conditional.h"

#include <gtest/gtest.h>

namespace cdnlab::origin::catalog {
namespace {

constexpr std::string_view kTag = "\"abc\"";
constexpr std::time_t kLastModified = 1767225600;  // Thu, 01 Jan 2026 00:00:00 GMT

TEST(IfNoneMatch, WeakComparisonOverAList) {
  struct Case {
    const char* header;
    bool match;
  } cases[] = {
      {"\"abc\"", true},
      {"W/\"abc\"", true},  // weak comparison: W/ ignored (13.1.2)
      {"\"x\", \"abc\"", true},
      {"\"x\",\"abc\"", true},
      {"  \"x\" ,  W/\"abc\" ", true},
      {"*", true},
      {"\"abd\"", false},
      {"abc", false},       // not an entity-tag
      {"\"abc", false},     // unterminated
      {"\"a,b\", \"c\"", false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(ifNoneMatchMatches(c.header, kTag), c.match) << c.header;
  EXPECT_TRUE(ifNoneMatchMatches("\"a,b\"", "\"a,b\""));  // commas inside a tag are legal
}

http::Headers headers(std::initializer_list<std::pair<const char*, const char*>> fields) {
  http::Headers h;
  for (auto& [n, v] : fields) h.add(n, v);
  return h;
}

TEST(NotModified, DecisionTable) {
  struct Case {
    http::Headers h;
    bool notModified;
    const char* why;
  } cases[] = {
      {headers({}), false, "no validators"},
      {headers({{"If-None-Match", "\"abc\""}}), true, "etag matches"},
      {headers({{"If-None-Match", "\"zzz\""}}), false, "etag differs"},
      {headers({{"If-Modified-Since", "Thu, 01 Jan 2026 00:00:00 GMT"}}), true, "not modified since exactly then"},
      {headers({{"If-Modified-Since", "Fri, 02 Jan 2026 00:00:00 GMT"}}), true, "not modified since later"},
      {headers({{"If-Modified-Since", "Wed, 31 Dec 2025 23:59:59 GMT"}}), false, "modified after the date"},
      {headers({{"If-Modified-Since", "yesterday"}}), false, "invalid date ignored"},
      {headers({{"If-None-Match", "\"zzz\""}, {"If-Modified-Since", "Fri, 02 Jan 2026 00:00:00 GMT"}}), false,
       "If-None-Match wins over If-Modified-Since"},
      {headers({{"If-None-Match", "\"abc\""}, {"If-Modified-Since", "Wed, 31 Dec 2025 00:00:00 GMT"}}), true,
       "If-None-Match wins (match)"},
      {headers({{"If-None-Match", "\"zzz\""}, {"If-None-Match", "\"abc\""}}), true, "list split over two fields"},
  };
  for (const auto& c : cases) EXPECT_EQ(notModified(c.h, kTag, kLastModified), c.notModified) << c.why;
}

}  // namespace
}  // namespace cdnlab::origin::catalog

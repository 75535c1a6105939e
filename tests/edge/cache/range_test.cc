// Range parsing and If-Range (RFC 9110 14.1.2, 14.2, 13.1.5).
#include "edge/cache/range.h"

#include <gtest/gtest.h>

#include "tests/edge/cache/test_util.h"

namespace cdnlab::edge::cache {
namespace {

using namespace cdnlab::edge::cache::testing;

std::string show(const RangePlan& p) {
  switch (p.verdict) {
    case RangeVerdict::Ignore: return "ignore";
    case RangeVerdict::Unsatisfiable: return "416";
    case RangeVerdict::Satisfiable: break;
  }
  std::string out;
  for (const ByteRange& r : p.ranges) out += (out.empty() ? "" : ",") + std::to_string(r.first) + "-" + std::to_string(r.last);
  return out;
}

TEST(Range, RfcExamples) {  // RFC 9110 14.1.2 with a 10000-byte representation
  EXPECT_EQ(show(planRange("bytes=0-499", 10000)), "0-499");
  EXPECT_EQ(show(planRange("bytes=500-999", 10000)), "500-999");
  EXPECT_EQ(show(planRange("bytes=-500", 10000)), "9500-9999");
  EXPECT_EQ(show(planRange("bytes=9500-", 10000)), "9500-9999");
  EXPECT_EQ(show(planRange("bytes=0-0,-1", 10000)), "0-0,9999-9999");
  EXPECT_EQ(show(planRange("bytes= 0-999, 4500-5499, -1000", 10000)), "0-999,4500-5499,9000-9999");
  EXPECT_EQ(show(planRange("bytes=500-600,601-999", 10000)), "500-999");  // coalesced
}

TEST(Range, ClampingAndSatisfiability) {
  EXPECT_EQ(show(planRange("bytes=0-99999", 100)), "0-99");
  EXPECT_EQ(show(planRange("bytes=-1000", 100)), "0-99");
  EXPECT_EQ(show(planRange("bytes=100-", 100)), "416");
  EXPECT_EQ(show(planRange("bytes=-0", 100)), "416");
  EXPECT_EQ(show(planRange("bytes=200-300, 50-60", 100)), "50-60");  // the satisfiable part
  EXPECT_EQ(show(planRange("bytes=0-", 0)), "416");
}

TEST(Range, InvalidOrUnknownIsIgnored) {
  for (const char* v : {"", "bytes", "bytes=", "bytes=5-1", "bytes=a-b", "bytes=1-2-3", "items=0-5", "bytes=--5",
                        "bytes=0x1-2", "bytes=1 -2"})
    EXPECT_EQ(show(planRange(v, 100)), "ignore") << v;
  std::string many = "bytes=";
  for (size_t i = 0; i <= kMaxRanges; ++i) many += std::to_string(i * 2) + "-" + std::to_string(i * 2) + ",";
  EXPECT_EQ(show(planRange(many, 1000)), "ignore");
  EXPECT_EQ(show(planRange("Bytes=0-1", 100)), "0-1");  // range units are case-insensitive
}

TEST(Range, IfRange) {
  Headers etagReq = H({{"If-Range", "\"v1\""}});
  EXPECT_TRUE(ifRangeMatches(&etagReq, "\"v1\"", "", 0));
  EXPECT_FALSE(ifRangeMatches(&etagReq, "\"v2\"", "", 0));
  EXPECT_FALSE(ifRangeMatches(&etagReq, "W/\"v1\"", "", 0));
  Headers weak = H({{"If-Range", "W/\"v1\""}});
  EXPECT_FALSE(ifRangeMatches(&weak, "W/\"v1\"", "", 0));
  const char* lm = "Sun, 06 Nov 1994 08:49:37 GMT";
  Headers dateReq = H({{"If-Range", lm}});
  int64_t lmS = parseHttpDate(lm).value();
  EXPECT_TRUE(ifRangeMatches(&dateReq, "", lm, lmS + 60));
  EXPECT_FALSE(ifRangeMatches(&dateReq, "", lm, lmS)) << "a Last-Modified equal to Date is weak";
  EXPECT_FALSE(ifRangeMatches(&dateReq, "", "Sun, 06 Nov 1994 08:49:38 GMT", lmS + 60));
  EXPECT_TRUE(ifRangeMatches(nullptr, "", "", 0));
  Headers none = H({{"X", "y"}});
  EXPECT_TRUE(ifRangeMatches(&none, "", "", 0));
}

TEST(Range, MultipartBody) {
  std::string body = multipartBody("0123456789", {{0, 1}, {8, 9}}, "text/plain", "B");
  EXPECT_EQ(body,
            "\r\n--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
            "\r\n--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 8-9/10\r\n\r\n89"
            "\r\n--B--\r\n");
}

}  // namespace
}  // namespace cdnlab::edge::cache

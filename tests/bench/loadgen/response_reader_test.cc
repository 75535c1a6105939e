// The hot-path response parser: fields it keeps, bytes split anywhere, back-to-back responses,
// connection close, malformed input.
#include <gtest/gtest.h>

#include <string>

#include "bench/loadgen/prometheus_text.h"
#include "bench/loadgen/response_reader.h"

namespace cdnlab::loadgen {
namespace {

const std::string kHit =
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Cache: Hit, Miss\r\nx-served-by: shield-nyc, fra\r\n"
    "Age: 3\r\n\r\nhello";

TEST(ResponseReader, KeepsStatusTeachingHeadersAndBodyLength) {
  ResponseReader r;
  auto s = r.feed(kHit.data(), kHit.size());
  ASSERT_EQ(s.event, ResponseReader::Event::Complete);
  EXPECT_EQ(s.consumed, kHit.size());
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.xCache(), "Hit, Miss");
  EXPECT_EQ(r.servedBy(), "shield-nyc, fra");
  EXPECT_EQ(r.bodyBytes(), 5u);
  EXPECT_TRUE(r.keepAlive());
}

TEST(ResponseReader, BytesSplitAtEveryPosition) {
  for (size_t cut = 1; cut < kHit.size(); ++cut) {
    ResponseReader r;
    auto a = r.feed(kHit.data(), cut);
    ASSERT_EQ(a.event, ResponseReader::Event::NeedMore) << cut;
    auto b = r.feed(kHit.data() + cut, kHit.size() - cut);
    ASSERT_EQ(b.event, ResponseReader::Event::Complete) << cut;
    EXPECT_EQ(r.xCache(), "Hit, Miss") << cut;
    EXPECT_EQ(r.servedBy(), "shield-nyc, fra") << cut;
    EXPECT_EQ(r.bodyBytes(), 5u);
  }
}

TEST(ResponseReader, TwoResponsesInOneReadAndReset) {
  std::string two = kHit + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nX-Cache: Miss\r\nConnection: close\r\n\r\n";
  ResponseReader r;
  auto a = r.feed(two.data(), two.size());
  ASSERT_EQ(a.event, ResponseReader::Event::Complete);
  EXPECT_EQ(a.consumed, kHit.size());
  r.reset();
  auto b = r.feed(two.data() + a.consumed, two.size() - a.consumed);
  ASSERT_EQ(b.event, ResponseReader::Event::Complete);
  EXPECT_EQ(r.status(), 404);
  EXPECT_EQ(r.xCache(), "Miss");
  EXPECT_EQ(r.servedBy(), "");
  EXPECT_FALSE(r.keepAlive());
}

TEST(ResponseReader, ChunkedBodyAndLongValuesAreTruncatedNotOverrun) {
  std::string longId(300, 'p');
  std::string resp = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Served-By: " + longId +
                     "\r\nX-Some-Very-Long-Header-Name-Here: x\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  ResponseReader r;
  ASSERT_EQ(r.feed(resp.data(), resp.size()).event, ResponseReader::Event::Complete);
  EXPECT_EQ(r.bodyBytes(), 5u);
  EXPECT_EQ(r.servedBy().size(), ResponseReader::kMaxValue);
}

TEST(ResponseReader, MalformedIsAnError) {
  ResponseReader r;
  std::string junk = "NOT HTTP AT ALL\r\n\r\n";
  EXPECT_EQ(r.feed(junk.data(), junk.size()).event, ResponseReader::Event::Error);
}

TEST(PrometheusText, SumsEveryLabelSetOfOneName) {
  std::string text =
      "# HELP cdnlab_origin_requests_total x\n# TYPE cdnlab_origin_requests_total counter\n"
      "cdnlab_origin_requests_total{status=\"200\"} 40\ncdnlab_origin_requests_total{status=\"304\"} 2\n"
      "cdnlab_origin_requests_total_extra 1000\ncdnlab_origin_body_bytes_total 81920\nbroken{ 5\n"
      "cdnlab_origin_requests_total{status=\"other\"} \n";
  EXPECT_EQ(metricSum(text, "cdnlab_origin_requests_total"), 42.0);
  EXPECT_EQ(metricSum(text, "cdnlab_origin_body_bytes_total"), 81920.0);
  EXPECT_FALSE(metricSum(text, "absent").has_value());
}

}  // namespace
}  // namespace cdnlab::loadgen

// The CloudFront-format access log: header lines, the 33 fields in CloudFront's order, "-" for
// empty values, encoding that keeps a field in one column, result types from PoP outcomes, and
// the record built from a request and its response.
#include "edge/pop/access_log.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace cdnlab::edge::pop {
namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

TEST(AccessLog, HeaderNamesCloudFrontsFieldsInOrder) {
  const std::string h = accessLogHeader();
  ASSERT_EQ(h.rfind("#Version: 1.0\n#Fields: ", 0), 0u) << h;
  const std::string fields = h.substr(h.find("#Fields: ") + 9, h.size() - h.find("#Fields: ") - 10);
  auto names = split(fields, ' ');
  ASSERT_EQ(names.size(), 33u);
  EXPECT_EQ(names[0], "date");
  EXPECT_EQ(names[2], "x-edge-location");
  EXPECT_EQ(names[3], "sc-bytes");
  EXPECT_EQ(names[13], "x-edge-result-type");
  EXPECT_EQ(names[18], "time-taken");
  EXPECT_EQ(names[26], "c-port");
  EXPECT_EQ(names[32], "sc-range-end");
}

TEST(AccessLog, ResultTypes) {
  EXPECT_EQ(edgeResultType(Outcome::Hit, 200), "Hit");
  EXPECT_EQ(edgeResultType(Outcome::Stale, 200), "Hit");
  EXPECT_EQ(edgeResultType(Outcome::Revalidated, 200), "RefreshHit");
  EXPECT_EQ(edgeResultType(Outcome::Miss, 200), "Miss");
  EXPECT_EQ(edgeResultType(Outcome::Collapsed, 200), "Miss");
  EXPECT_EQ(edgeResultType(Outcome::Miss, 503), "Error");
  EXPECT_EQ(edgeResultType(Outcome::Error, 502), "Error");
  EXPECT_EQ(edgeResultType(Outcome::Synth, 508), "Error");
}

TEST(AccessLog, LineFromARequestAndItsResponse) {
  http::Request req;
  req.method = "GET";
  req.target = "/obj/7?v=2";
  req.path = "/obj/7";
  req.query = "v=2";
  req.peer = "127.10.0.5:40001";
  req.headers.add("Host", "127.0.3.2:8080");
  req.headers.add("User-Agent", "curl/8.0 (x\ty)");
  http::Response resp(200, "0123456789", "application/octet-stream");
  resp.headers.add("Content-Range", "bytes 2-5/10");
  // 2026-12-01T00:16:06.250Z
  AccessRecord r = accessRecordOf(req, resp, Outcome::Hit, "fra", 1'000'000, 3'600'000, 1796084166250, 9);
  const std::string line = formatAccessLine(r);
  ASSERT_EQ(line.back(), '\n');
  auto f = split(line.substr(0, line.size() - 1), '\t');
  ASSERT_EQ(f.size(), 33u) << line;
  EXPECT_EQ(f[0], "2026-12-01");
  EXPECT_EQ(f[1], "00:16:06");
  EXPECT_EQ(f[2], "fra");
  EXPECT_GT(std::stoull(f[3]), 10u);  // headers and body
  EXPECT_EQ(f[4], "127.10.0.5");
  EXPECT_EQ(f[5], "GET");
  EXPECT_EQ(f[6], "127.0.3.2:8080");
  EXPECT_EQ(f[7], "/obj/7");
  EXPECT_EQ(f[8], "200");
  EXPECT_EQ(f[9], "-");  // no Referer
  EXPECT_EQ(f[10], "curl/8.0%20(x%09y)");  // a tab never splits a field
  EXPECT_EQ(f[11], "v=2");
  EXPECT_EQ(f[13], "Hit");
  EXPECT_EQ(f[14], "fra-9");
  EXPECT_EQ(f[16], "http");
  EXPECT_EQ(f[18], "0.003");  // 2.6 ms
  EXPECT_EQ(f[23], "HTTP/1.1");
  EXPECT_EQ(f[26], "40001");
  EXPECT_EQ(f[29], "application/octet-stream");
  EXPECT_EQ(f[30], "10");
  EXPECT_EQ(f[31], "2");
  EXPECT_EQ(f[32], "5");
}

}  // namespace
}  // namespace cdnlab::edge::pop

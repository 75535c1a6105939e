// Interim (1xx) responses on the client side: reported to onInterim, then the final response.
#include "common/http/parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cdnlab::http {
namespace {

TEST(ResponseParserInterim, EarlyHintsAreReportedThenSkipped) {
  ResponseParser p;
  std::vector<std::pair<int, std::string>> seen;
  p.onInterim([&seen](int status, Headers fields) { seen.emplace_back(status, fields.getAll("Link")); });
  std::string in =
      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  ParseResult r = p.feed(in.data(), in.size());
  ASSERT_EQ(r.event, ParseEvent::Message);
  EXPECT_EQ(p.response().status, 200);
  EXPECT_EQ(p.response().body, "ok");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], (std::pair<int, std::string>{103, "</a.css>; rel=preload"}));
  EXPECT_EQ(seen[1].first, 100);
  EXPECT_FALSE(p.response().headers.has("Link")) << "interim fields must not leak into the final response";
}

}  // namespace
}  // namespace cdnlab::http

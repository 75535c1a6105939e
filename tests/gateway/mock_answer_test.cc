// MOCK answers built once per snapshot (gateway/runtime/mock_answer.h): the same fields as the
// per-request path, as verbatim header lines, and no prebuilt answer when a field is the server's.
#include "gateway/runtime/mock_answer.h"

#include <gtest/gtest.h>

namespace cdnlab::gateway {
namespace {

std::string text(const Buffer& b) { return std::string(b.data(), b.size()); }

TEST(MockAnswer, HeaderLinesAndBodyAreTheMocksFields) {
  MockResponse mock;
  mock.statusCode = 201;
  mock.body = R"({"pong":true})";
  mock.headers = {{"x-mock", "yes"}};
  auto m = compileMockAnswer(mock);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->status, 201);
  EXPECT_EQ(text(m->headerLines), "content-type: application/json\r\nx-mock: yes\r\n");
  EXPECT_EQ(text(m->body), R"({"pong":true})");
}

TEST(MockAnswer, TheMocksContentTypeReplacesTheDefaultInPlace) {
  MockResponse mock;
  mock.body = "hi";
  mock.headers = {{"Content-Type", "text/plain"}, {"a", "1"}};
  auto m = compileMockAnswer(mock);
  ASSERT_NE(m, nullptr);
  http::Headers fields = mockHeaders(mock);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields.get("content-type").value_or(""), "text/plain");
  EXPECT_EQ(text(m->headerLines).find("application/json"), std::string::npos) << text(m->headerLines);
  EXPECT_NE(text(m->headerLines).find("text/plain\r\n"), std::string::npos);
}

TEST(MockAnswer, NoBodyNoContentType) {
  MockResponse mock;
  mock.statusCode = 204;
  auto m = compileMockAnswer(mock);
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->headerLines.empty());
  EXPECT_TRUE(m->body.empty());
}

TEST(MockAnswer, FieldsTheServerDecidesKeepThePerRequestPath) {
  for (const char* name : {"Content-Length", "transfer-encoding", "Connection", "keep-alive", "Date", "server"}) {
    MockResponse mock;
    mock.body = "x";
    mock.headers = {{name, "1"}};
    EXPECT_EQ(compileMockAnswer(mock), nullptr) << name;
  }
}

}  // namespace
}  // namespace cdnlab::gateway

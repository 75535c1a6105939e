// RequestParser / ResponseParser: framing, pipelining, limits and request-smuggling shapes.
#include "common/http/parser.h"

#include <gtest/gtest.h>

#include <string>

namespace cdnlab::http {
namespace {

struct Fed {
  ParseEvent event;
  size_t consumed;
};

// Feeds `in` in one piece, stepping over ExpectContinue pauses.
Fed feedAll(RequestParser& p, const std::string& in) {
  size_t off = 0;
  for (;;) {
    ParseResult r = p.feed(in.data() + off, in.size() - off);
    off += r.consumed;
    if (r.event != ParseEvent::ExpectContinue) return {r.event, off};
  }
}

int errorStatusOf(const std::string& in, ParserLimits limits = {}) {
  RequestParser p(limits);
  Fed f = feedAll(p, in);
  if (f.event != ParseEvent::Error) return 0;
  return p.error().status;
}

TEST(RequestParser, SimpleGet) {
  RequestParser p;
  std::string in = "GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: example.com\r\nX-Foo:  bar  \r\n\r\n";
  Fed f = feedAll(p, in);
  ASSERT_EQ(f.event, ParseEvent::Message);
  EXPECT_EQ(f.consumed, in.size());
  Request& r = p.request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/a/b?x=1&y=2");
  EXPECT_EQ(r.path, "/a/b");
  EXPECT_EQ(r.query, "x=1&y=2");
  EXPECT_EQ(r.httpMinor, 1);
  EXPECT_TRUE(r.keepAlive);
  EXPECT_EQ(r.headers.get("host"), "example.com");
  EXPECT_EQ(r.headers.get("x-foo"), "bar");
}

TEST(RequestParser, ByteAtATime) {
  RequestParser p;
  std::string in = "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
  ParseEvent last = ParseEvent::NeedMore;
  for (size_t i = 0; i < in.size(); ++i) {
    ParseResult r = p.feed(in.data() + i, 1);
    ASSERT_EQ(r.consumed, 1u) << i;
    last = r.event;
    if (i + 1 < in.size()) {
      ASSERT_EQ(last, ParseEvent::NeedMore) << i;
    }
  }
  EXPECT_EQ(last, ParseEvent::Message);
  EXPECT_EQ(p.request().body, "hello");
}

TEST(RequestParser, PipelinedStopsAfterEachMessage) {
  RequestParser p;
  std::string a = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n";
  std::string b = "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
  std::string c = "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n";
  std::string in = a + b + c;
  size_t off = 0;
  std::vector<std::string> got;
  while (off < in.size()) {
    ParseResult r = p.feed(in.data() + off, in.size() - off);
    off += r.consumed;
    ASSERT_EQ(r.event, ParseEvent::Message);
    got.push_back(p.request().path + ":" + p.request().body);
    p.next();
  }
  EXPECT_EQ(got, (std::vector<std::string>{"/1:", "/2:abc", "/3:"}));
}

TEST(RequestParser, ChunkedBodyIsDecoded) {
  RequestParser p;
  std::string in = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n";
  Fed f = feedAll(p, in);
  ASSERT_EQ(f.event, ParseEvent::Message);
  EXPECT_EQ(f.consumed, in.size());
  EXPECT_EQ(p.request().body, "hello world");
}

TEST(RequestParser, Http10KeepAlive) {
  RequestParser p;
  ASSERT_EQ(feedAll(p, "GET / HTTP/1.0\r\n\r\n").event, ParseEvent::Message);
  EXPECT_FALSE(p.request().keepAlive);
  RequestParser q;
  ASSERT_EQ(feedAll(q, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").event, ParseEvent::Message);
  EXPECT_TRUE(q.request().keepAlive);
  EXPECT_EQ(q.request().httpMinor, 0);
  RequestParser c;
  ASSERT_EQ(feedAll(c, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").event, ParseEvent::Message);
  EXPECT_FALSE(c.request().keepAlive);
}

TEST(RequestParser, ExpectContinuePausesBeforeBody) {
  RequestParser p;
  std::string head = "PUT /u HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n";
  ParseResult r = p.feed(head.data(), head.size());
  EXPECT_EQ(r.event, ParseEvent::ExpectContinue);
  EXPECT_EQ(r.consumed, head.size());
  EXPECT_TRUE(p.headersComplete());
  r = p.feed("data", 4);
  EXPECT_EQ(r.event, ParseEvent::Message);
  EXPECT_EQ(p.request().body, "data");
}

TEST(RequestParser, OtherExpectationIs417) {
  EXPECT_EQ(errorStatusOf("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nExpect: magic\r\n\r\nx"), 417);
}

TEST(RequestParser, Limits) {
  ParserLimits small;
  small.maxHeaderBytes = 200;
  small.maxHeaderCount = 5;
  small.maxUrlBytes = 50;
  small.maxBodyBytes = 10;
  EXPECT_EQ(errorStatusOf("GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(300, 'a') + "\r\n\r\n", small), 431);
  std::string many = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 6; ++i) many += "X" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(errorStatusOf(many + "\r\n", small), 431);
  EXPECT_EQ(errorStatusOf("GET /" + std::string(60, 'u') + " HTTP/1.1\r\nHost: h\r\n\r\n", small), 414);
  EXPECT_EQ(errorStatusOf("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", small), 413);
  // Chunked bodies have no length up front: refused as they grow past the limit.
  EXPECT_EQ(errorStatusOf("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n", small), 413);
  // Within limits: fine.
  EXPECT_EQ(errorStatusOf("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", small), 0);
}

TEST(RequestParser, DefaultLimits) {
  EXPECT_EQ(errorStatusOf("GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(33 * 1024, 'a') + "\r\n\r\n"), 431);
  EXPECT_EQ(errorStatusOf("GET /" + std::string(9 * 1024, 'u') + " HTTP/1.1\r\nHost: h\r\n\r\n"), 414);
  EXPECT_EQ(errorStatusOf("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 67108865\r\n\r\n"), 413);
  std::string many = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 100; ++i) many += "X" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(errorStatusOf(many + "\r\n"), 431);
}

// Each of these must be refused with 400: a front end and a back end could frame them
// differently (request smuggling) or they are simply malformed.
TEST(RequestParser, SmugglingShapesAre400) {
  const char* cases[] = {
      // Content-Length and Transfer-Encoding together.
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
      // Two different Content-Lengths, and two equal ones.
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\nhello!",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x5\r\n\r\n",
      // Transfer-Encoding whose last coding is not chunked.
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\nabc",
      // Invalid chunk sizes.
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello\r\n0\r\n\r\n",
      // obs-fold (a header continued on the next line).
      "GET / HTTP/1.1\r\nHost: h\r\nX-Long: a\r\n b\r\n\r\n",
      // Space before the colon, header name with bad characters.
      "GET / HTTP/1.1\r\nHost: h\r\nX-Foo : bar\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nX(Foo): bar\r\n\r\n",
      // Missing or duplicate Host in HTTP/1.1.
      "GET / HTTP/1.1\r\nX: y\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      // Garbage request line, bad version.
      "GARBAGE\r\n\r\n",
      "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n",
      // Bare CR inside a header value; bare LF line ends, including the block's last one.
      "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
      "GET / HTTP/1.1\nHost: h\n\n",
      "GET / HTTP/1.1\r\nHost: h\r\n\n",
      "GET / HTTP/1.1\r\nHost: h\n\r\n",
      "GET / HTTP/1.1\rHost: h\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\n0\n\n",
  };
  for (const char* c : cases) EXPECT_EQ(errorStatusOf(c), 400) << c;
}

// Folding must be caught wherever the reads split the bytes, and a value split at a space
// across reads must not be mistaken for folding.
TEST(RequestParser, ObsFoldAcrossReadsAndSplitValues) {
  std::string folded = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: a\r\n b\r\n\r\n";
  std::string plain = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: a b c\r\n\r\n";
  for (size_t cut = 1; cut < folded.size(); ++cut) {
    RequestParser p;
    ParseResult r = p.feed(folded.data(), cut);
    if (r.event != ParseEvent::Error) r = p.feed(folded.data() + cut, folded.size() - cut);
    EXPECT_EQ(r.event, ParseEvent::Error) << cut;
  }
  for (size_t cut = 1; cut < plain.size(); ++cut) {
    RequestParser p;
    ParseResult r = p.feed(plain.data(), cut);
    ASSERT_EQ(r.event, ParseEvent::NeedMore) << cut;
    r = p.feed(plain.data() + cut, plain.size() - cut);
    ASSERT_EQ(r.event, ParseEvent::Message) << cut;
    EXPECT_EQ(p.request().headers.get("x-long"), "a b c") << cut;
  }
}

// The CRLF check at the end of the header block must hold wherever the reads split it.
TEST(RequestParser, HeaderTerminatorAcrossReads) {
  std::string good = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  std::string bad = "GET / HTTP/1.1\r\nHost: h\r\n\n";
  for (size_t cut = 1; cut < good.size(); ++cut) {
    RequestParser p;
    ParseResult r = p.feed(good.data(), cut);
    ASSERT_EQ(r.event, ParseEvent::NeedMore) << cut;
    r = p.feed(good.data() + cut, good.size() - cut);
    EXPECT_EQ(r.event, ParseEvent::Message) << cut;
  }
  for (size_t cut = 1; cut < bad.size(); ++cut) {
    RequestParser p;
    ParseResult r = p.feed(bad.data(), cut);
    if (r.event != ParseEvent::Error) r = p.feed(bad.data() + cut, bad.size() - cut);
    EXPECT_EQ(r.event, ParseEvent::Error) << cut;
  }
  // Byte by byte, so the last two bytes come from two earlier feeds.
  RequestParser p;
  ParseEvent last = ParseEvent::NeedMore;
  for (char ch : good) last = p.feed(&ch, 1).event;
  EXPECT_EQ(last, ParseEvent::Message);
}

TEST(RequestParser, ErrorIsSticky) {
  RequestParser p;
  std::string bad = "GARBAGE\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n";
  EXPECT_EQ(feedAll(p, bad).event, ParseEvent::Error);
  EXPECT_EQ(p.feed("GET / HTTP/1.1\r\n\r\n", 18).event, ParseEvent::Error);
  EXPECT_FALSE(p.error().reason.empty());
}

// ---------------------------------------------------------------------------------------------

Fed feedResponse(ResponseParser& p, const std::string& in) {
  ParseResult r = p.feed(in.data(), in.size());
  return {r.event, r.consumed};
}

TEST(ResponseParser, ContentLength) {
  ResponseParser p;
  std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"x\"\r\n\r\nhelloHTTP/1.1";
  Fed f = feedResponse(p, in);
  ASSERT_EQ(f.event, ParseEvent::Message);
  EXPECT_EQ(f.consumed, in.size() - 8);
  EXPECT_EQ(p.response().status, 200);
  EXPECT_EQ(p.response().reason, "OK");
  EXPECT_EQ(p.response().body, "hello");
  EXPECT_EQ(p.response().headers.get("etag"), "\"x\"");
  EXPECT_TRUE(p.response().keepAlive);
}

TEST(ResponseParser, Chunked) {
  ResponseParser p;
  Fed f = feedResponse(p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  ASSERT_EQ(f.event, ParseEvent::Message);
  EXPECT_EQ(p.response().body, "abcde");
}

TEST(ResponseParser, ReadUntilClose) {
  ResponseParser p;
  Fed f = feedResponse(p, "HTTP/1.1 200 OK\r\n\r\npart one ");
  EXPECT_EQ(f.event, ParseEvent::NeedMore);
  f = feedResponse(p, "part two");
  EXPECT_EQ(f.event, ParseEvent::NeedMore);
  EXPECT_EQ(p.finish(), ParseEvent::Message);
  EXPECT_EQ(p.response().body, "part one part two");
  EXPECT_FALSE(p.response().keepAlive);
}

TEST(ResponseParser, TruncatedBodyIsAnError) {
  ResponseParser p;
  EXPECT_EQ(feedResponse(p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").event, ParseEvent::NeedMore);
  EXPECT_EQ(p.finish(), ParseEvent::Error);
}

TEST(ResponseParser, InterimResponsesAreSkipped) {
  ResponseParser p;
  Fed f = feedResponse(p, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                          "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
  ASSERT_EQ(f.event, ParseEvent::Message);
  EXPECT_EQ(p.response().status, 201);
  EXPECT_EQ(p.response().body, "ok");
  EXPECT_FALSE(p.response().headers.has("link"));
}

TEST(ResponseParser, NoBodyStatusesAndHead) {
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    ResponseParser p;
    std::string in = std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 5\r\n\r\n";
    Fed f = feedResponse(p, in);
    ASSERT_EQ(f.event, ParseEvent::Message) << status;
    EXPECT_EQ(f.consumed, in.size());
    EXPECT_TRUE(p.response().body.empty());
  }
  ResponseParser h;
  h.expectNoBody(true);
  std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
  Fed f = feedResponse(h, in);
  ASSERT_EQ(f.event, ParseEvent::Message);
  EXPECT_EQ(f.consumed, in.size());
  EXPECT_EQ(h.response().headers.get("content-length"), "1000");
}

TEST(ResponseParser, KeepAliveThenNext) {
  ResponseParser p;
  std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nb";
  Fed f = feedResponse(p, in);
  ASSERT_EQ(f.event, ParseEvent::Message);
  EXPECT_EQ(p.response().body, "a");
  p.next();
  ParseResult r = p.feed(in.data() + f.consumed, in.size() - f.consumed);
  ASSERT_EQ(r.event, ParseEvent::Message);
  EXPECT_EQ(p.response().status, 404);
  EXPECT_EQ(p.response().body, "b");
}

TEST(ResponseParser, MalformedIs502) {
  ResponseParser p;
  EXPECT_EQ(feedResponse(p, "HTTP/1.1 2x0 OK\r\n\r\n").event, ParseEvent::Error);
  EXPECT_EQ(p.error().status, 502);
}

}  // namespace
}  // namespace cdnlab::http

// Request-parser hardening (RFC 9112): unsupported transfer codings (501), invalid Host (400),
// HTTP/0.9 request lines refused at once (400), absolute-form targets (authority replaces Host).
#include "common/http/parser.h"
#include "common/http/uri.h"

#include <gtest/gtest.h>

#include <string>

namespace cdnlab::http {
namespace {

// Feeds `in` in one piece; returns the event and leaves the parser for inspection.
ParseEvent feedOnce(RequestParser& p, const std::string& in) { return p.feed(in.data(), in.size()).event; }

int statusOf(const std::string& in) {
  RequestParser p;
  return feedOnce(p, in) == ParseEvent::Error ? p.error().status : 0;
}

TEST(RequestHardening, UnknownTransferCodingIs501) {
  EXPECT_EQ(statusOf("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"), 501);
  EXPECT_EQ(statusOf("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: x-custom;q=1 , chunked\r\n\r\n0\r\n\r\n"), 501);
  // Split across two fields: still the same list (RFC 9110 5.3).
  EXPECT_EQ(statusOf("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 501);
}

TEST(RequestHardening, ChunkedNotFinalOrTwiceIs400) {
  EXPECT_EQ(statusOf("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"), 400);
  EXPECT_EQ(statusOf("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"), 400);
  EXPECT_EQ(statusOf("POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400);
}

TEST(RequestHardening, PlainChunkedStillWorks) {
  RequestParser p;
  ASSERT_EQ(feedOnce(p, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
            ParseEvent::Message);
  EXPECT_EQ(p.request().body, "abc");
}

TEST(RequestHardening, InvalidHostIs400) {
  for (const char* host : {"a b@c", "user@h", "h/x", "h:80x", "h:123456", "[::1", "[zz]", "h?", "h#", ":80", "a%zz"})
    EXPECT_EQ(statusOf(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n"), 400) << host;
  for (const char* host : {"h", "h:8080", "127.0.0.1:80", "[::1]:8080", "[v1.x]", "xn--bcher-kva.example", "a%20b"})
    EXPECT_EQ(statusOf(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n"), 0) << host;
  // An empty Host is valid (RFC 9112 3.2).
  EXPECT_EQ(statusOf("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0);
}

// Without a version llhttp reads an HTTP/0.9 request line and would wait for headers that never
// come; it must be refused as soon as the line ends.
TEST(RequestHardening, Http09RequestLineIs400AtOnce) {
  RequestParser p;
  EXPECT_EQ(feedOnce(p, "GET /\r\n"), ParseEvent::Error);
  EXPECT_EQ(p.error().status, 400);
  EXPECT_NE(p.error().reason.find("HTTP/0.9"), std::string::npos);
}

TEST(RequestHardening, AbsoluteFormAuthorityReplacesHost) {
  RequestParser p;
  ASSERT_EQ(feedOnce(p, "GET http://Example.com:8080/a/b?x=1 HTTP/1.1\r\nHost: other\r\n\r\n"), ParseEvent::Message);
  EXPECT_EQ(p.request().headers.get("host"), "Example.com:8080");
  EXPECT_EQ(p.request().headers.getAll("host"), "Example.com:8080");
  EXPECT_EQ(p.request().path, "/a/b");
  EXPECT_EQ(p.request().query, "x=1");
  RequestParser empty;
  ASSERT_EQ(feedOnce(empty, "GET http://h HTTP/1.1\r\nHost: h\r\n\r\n"), ParseEvent::Message);
  EXPECT_EQ(empty.request().path, "/");
}

TEST(RequestHardening, BadAbsoluteFormIs400) {
  for (const char* target : {"http://user@h/x", "ftp://h/x", "http:///x", "http://a b/x", "mailto:x@y"})
    EXPECT_EQ(statusOf(std::string("GET ") + target + " HTTP/1.1\r\nHost: h\r\n\r\n"), 400) << target;
}

TEST(Uri, SplitAbsoluteForm) {
  auto f = splitAbsoluteForm("HTTPS://h:1/p?q#f");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->scheme, "HTTPS");
  EXPECT_EQ(f->authority, "h:1");
  EXPECT_EQ(f->pathAndQuery, "/p?q#f");
  EXPECT_FALSE(splitAbsoluteForm("/p"));
  EXPECT_TRUE(looksAbsoluteForm("http://x"));
  EXPECT_TRUE(looksAbsoluteForm("a+b.c-d:x"));
  EXPECT_FALSE(looksAbsoluteForm("/a:b"));
  EXPECT_FALSE(looksAbsoluteForm("*"));
}

}  // namespace
}  // namespace cdnlab::http

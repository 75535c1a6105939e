// Accept-Encoding negotiation and the gzip / deflate encodings of answers (response_encoding.h):
// the choices RFC 9110's rules and DynamoDB's answers give for well-formed and odd headers, and
// encodings that a decoder turns back into the body.
#include "origin/store/response_encoding.h"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <string>

namespace cdnlab::store {
namespace {

std::string choose(std::string_view header) {
  auto c = chooseContentCoding(header);
  return c ? std::string(*c) : "none";
}

TEST(ResponseEncoding, PlainLists) {
  EXPECT_EQ(choose("gzip"), "gzip");
  EXPECT_EQ(choose("deflate"), "deflate");
  EXPECT_EQ(choose("identity"), "none");
  EXPECT_EQ(choose(""), "none");
  for (const char* other : {"br", "zstd", "compress", "x-gzip"}) EXPECT_EQ(choose(other), "none") << other;
  EXPECT_EQ(choose("gzip, deflate"), "gzip");
  EXPECT_EQ(choose("br, identity, deflate, gzip"), "deflate");  // the first one named
  EXPECT_EQ(choose("GZIP, identity"), "gzip");
  EXPECT_EQ(choose("dog, gzip ,, cat"), "gzip");
}

TEST(ResponseEncoding, Qualities) {
  EXPECT_EQ(choose("gzip;q=0.8, deflate;q=0.5"), "gzip");
  EXPECT_EQ(choose("br, gzip;q=0, deflate; q = 0.5 , identity;q=0"), "deflate");
  EXPECT_EQ(choose("gzip ;q=0"), "none");
  EXPECT_EQ(choose("deflate;q=0.5, gzip;q=0.2"), "deflate");
  EXPECT_EQ(choose("deflate;q=0.5, gzip;q=31"), "gzip");       // above 1 counts as 1
  EXPECT_EQ(choose("gzip;q=31,deflate;q=51"), "gzip");
  EXPECT_EQ(choose("deflate;q=0.5, gzip;q=1;q=0.2"), "gzip");  // the first q counts
  EXPECT_EQ(choose("deflate;q=0.5,gzip;q=0."), "deflate");
  EXPECT_EQ(choose("deflate;q=0.5,gzip;q=0.x"), "gzip");       // unreadable: as if absent
  EXPECT_EQ(choose("deflate;q=-0.5,gzip;q=0.2"), "gzip");
  EXPECT_EQ(choose("gzip;nq=1;q=0 "), "none");
  EXPECT_EQ(choose("gzip;q=0, gzip;q=1, gzip;q=0"), "gzip");
  EXPECT_EQ(choose("br,identity;q=0.5,gzip;q=0.0001"), "gzip");
}

TEST(ResponseEncoding, Wildcard) {
  EXPECT_EQ(choose("*"), "gzip");
  EXPECT_EQ(choose("*, deflate;q=0.5"), "gzip");
  EXPECT_EQ(choose("*, deflate"), "deflate");  // named beats "*"
  EXPECT_EQ(choose("*, identity"), "gzip");
  EXPECT_EQ(choose("*, gzip;q=0.5"), "deflate");
  EXPECT_EQ(choose("*;q=0"), "none");
  EXPECT_EQ(choose("*;q=0.5,identity"), "gzip");
  EXPECT_EQ(choose("br;q=0.8,identity;q=0.5,*;q=0"), "none");
}

TEST(ResponseEncoding, NotTokens) {
  EXPECT_EQ(choose("\"gzip\""), "none");
  EXPECT_EQ(choose("gzip br"), "none");
  EXPECT_EQ(choose("gzip:q=1"), "none");
}

TEST(ResponseEncoding, EncodingsDecodeToTheBody) {
  std::string body(20000, 'x');
  for (size_t i = 0; i < body.size(); i += 7) body[i] = static_cast<char>('a' + i % 26);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  for (const char* coding : {"gzip", "deflate"}) {
    auto enc = encodeBody(body, coding);
    ASSERT_TRUE(enc) << coding;
    EXPECT_LT(enc->size(), body.size() / 3) << coding;
    std::string back(body.size(), '\0');
    size_t got = 0;
    auto r = std::string_view(coding) == "gzip"
                 ? libdeflate_gzip_decompress(d, enc->data(), enc->size(), back.data(), back.size(), &got)
                 : libdeflate_zlib_decompress(d, enc->data(), enc->size(), back.data(), back.size(), &got);
    EXPECT_EQ(r, LIBDEFLATE_SUCCESS) << coding;
    back.resize(got);
    EXPECT_EQ(back, body) << coding;
  }
  EXPECT_EQ((*encodeBody(body, "gzip"))[0], '\x1f');  // gzip's magic number
  libdeflate_free_decompressor(d);
}

}  // namespace
}  // namespace cdnlab::store

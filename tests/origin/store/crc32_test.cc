// crc32 (x-amz-crc32): the sliced loop against a bit-at-a-time reference at every length and
// split point, so the 8-byte steps and the tail agree with the definition.
#include "origin/store/crc32.h"

#include <gtest/gtest.h>

#include <string>

namespace cdnlab::store {
namespace {

uint32_t referenceCrc32(std::string_view s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char ch : s) {
    c ^= ch;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return ~c;
}

TEST(Crc32, KnownVectors) {
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
}

TEST(Crc32, MatchesReferenceAtEveryLengthAndSplit) {
  std::string s;
  for (int i = 0; i < 70; ++i) s.push_back(static_cast<char>((i * 37 + 11) & 0xFF));
  for (size_t n = 0; n <= s.size(); ++n) {
    std::string_view v(s.data(), n);
    ASSERT_EQ(crc32(v), referenceCrc32(v)) << "length " << n;
    for (size_t cut = 0; cut <= n; cut += 3)
      ASSERT_EQ(crc32(v.substr(cut), crc32(v.substr(0, cut))), referenceCrc32(v)) << "length " << n << " cut " << cut;
  }
}

}  // namespace
}  // namespace cdnlab::store

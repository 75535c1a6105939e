// crc32 (x-amz-crc32): against a bit-at-a-time reference at every short length and split point and
// on long, misaligned buffers, so every loop of the implementation agrees with the definition.
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

// Answers of a few KB (what the wide folding loops of a carry-less-multiply implementation take),
// at odd lengths and misaligned starts, continued across a split.
TEST(Crc32, MatchesReferenceOnLongAndMisalignedBuffers) {
  std::string s;
  for (int i = 0; i < 9000; ++i) s.push_back(static_cast<char>((i * 131 + i / 7) & 0xFF));
  for (size_t start : {0, 1, 3, 8, 13}) {
    for (size_t n : {63, 64, 65, 127, 128, 255, 256, 1000, 1217, 4096, 8191, 8500}) {
      std::string_view v(s.data() + start, n);
      ASSERT_EQ(crc32(v), referenceCrc32(v)) << "start " << start << " length " << n;
      ASSERT_EQ(crc32(v.substr(n / 3), crc32(v.substr(0, n / 3))), referenceCrc32(v)) << "start " << start << " length " << n;
    }
  }
}

}  // namespace
}  // namespace cdnlab::store

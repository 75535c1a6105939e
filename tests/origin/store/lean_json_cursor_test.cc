// LeanJsonCursor::plainString reads sixteen bytes at a time: it must stop exactly where a
// byte-by-byte reading of the same rule stops, for every byte value at every place in and after a
// block, and never read past the text.
#include "origin/store/lean_json_cursor.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cdnlab::store {
namespace {

// The rule, one byte at a time: a non-empty run of printable ASCII other than '\\', then '"'.
std::optional<std::string_view> reference(std::string_view text) {
  if (text.empty() || text[0] != '"') return std::nullopt;
  size_t i = 1;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"') break;
    if (c == '\\' || c < 0x20 || c > 0x7e) return std::nullopt;
    ++i;
  }
  if (i >= text.size() || i == 1) return std::nullopt;
  return text.substr(1, i - 1);
}

TEST(LeanJsonCursor, PlainStringStopsWhereTheByteRuleStops) {
  for (size_t length : {0, 1, 15, 16, 17, 31, 32, 33, 40}) {
    for (size_t at = 0; at <= length; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string text = "\"" + std::string(length, 'a') + "\"";
        if (at < length) text[1 + at] = static_cast<char>(b);
        // The text alone in an exactly sized buffer: a read past it is a heap overflow under ASan.
        auto buffer = std::make_unique<char[]>(text.size());
        text.copy(buffer.get(), text.size());
        std::string_view view(buffer.get(), text.size());
        LeanJsonCursor cursor(view);
        EXPECT_EQ(cursor.plainString(), reference(view)) << length << " " << at << " " << b;
        // Without its closing quote the string is never accepted.
        LeanJsonCursor open(view.substr(0, view.size() - 1));
        auto unclosed = open.plainString();
        EXPECT_EQ(unclosed, reference(view.substr(0, view.size() - 1))) << length << " " << at << " " << b;
      }
    }
  }
}

TEST(LeanJsonCursor, PlainStringLeavesTheCursorAfterTheQuote) {
  LeanJsonCursor c(R"( "0123456789abcdefghij" : "x")");
  EXPECT_EQ(c.plainString(), "0123456789abcdefghij");
  EXPECT_TRUE(c.take(':'));
  EXPECT_EQ(c.plainString(), "x");
  EXPECT_TRUE(c.atEnd());
}

}  // namespace
}  // namespace cdnlab::store

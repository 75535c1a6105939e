// A forward cursor over a request body for the fast paths' readers (get_item_reader.h,
// update_item_reader.h): JSON tokens of the few forms they accept, no allocation. Every method
// answers "not this form" (false / nullopt) rather than judging the JSON: a reader that sees
// anything else declines, and the general parser gives the error.
#pragma once

#include <optional>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cdnlab::store {

class LeanJsonCursor {
 public:
  explicit LeanJsonCursor(std::string_view text) : text_(text) {}

  void skipSpace() {  // JSON's four whitespace characters (RFC 8259, section 2)
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  // Skips whitespace, then consumes `c` if it is next.
  bool take(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool takeLiteral(std::string_view word) {
    skipSpace();
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  // A non-empty string of printable ASCII without escapes: its characters are exactly its bytes.
  std::optional<std::string_view> plainString() {
    if (!take('"')) return std::nullopt;
    const size_t start = pos_;
    pos_ = plainRunEnd(pos_);
    if (pos_ >= text_.size() || text_[pos_] != '"' || pos_ == start) return std::nullopt;
    return text_.substr(start, pos_++ - start);
  }
  // {"S":"<plain string>"}: the value.
  std::optional<std::string_view> stringAttributeValue() {
    if (!take('{')) return std::nullopt;
    auto type = plainString();
    if (!type || *type != "S" || !take(':')) return std::nullopt;
    auto value = plainString();
    if (!value || !take('}')) return std::nullopt;
    return value;
  }
  // A non-empty object of distinct plain names to plain strings ({"#n":"name"}) or, when
  // `attributeValues`, to {"S":...} values ({":v":{"S":"x"}}); at most `max` members.
  struct Pair {
    std::string_view name;
    std::string_view value;
  };
  bool flatMap(Pair* out, int max, int& count, bool attributeValues) {
    count = 0;
    if (!take('{')) return false;
    do {
      if (count == max) return false;
      auto name = plainString();
      if (!name || !take(':')) return false;
      auto value = attributeValues ? stringAttributeValue() : plainString();
      if (!value) return false;
      for (int i = 0; i < count; ++i)
        if (out[i].name == *name) return false;  // a repeated name: the general parser decides
      out[count++] = {*name, *value};
    } while (take(','));
    return take('}');
  }
  bool atEnd() {
    skipSpace();
    return pos_ == text_.size();
  }

 private:
  // The index of the first byte from `i` on that is not printable ASCII or is '"' or '\\'
  // (text_.size() when none). Sixteen bytes at a time where SSE2 is there (a field value of
  // YCSB's update is 100 bytes), never reading past the text.
  size_t plainRunEnd(size_t i) const {
    const char* p = text_.data();
    const size_t n = text_.size();
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), del = _mm_set1_epi8(0x7f);
    const __m128i space = _mm_set1_epi8(0x20);
    for (; i + 16 <= n; i += 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      // Signed: bytes of 0x80 and above are negative, so "below 0x20" takes them too.
      const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                                        _mm_or_si128(_mm_cmplt_epi8(chunk, space), _mm_cmpeq_epi8(chunk, del)));
      if (const int mask = _mm_movemask_epi8(stop)) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
#endif
    for (; i < n; ++i) {
      const unsigned char c = static_cast<unsigned char>(p[i]);
      if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) return i;
    }
    return n;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace cdnlab::store

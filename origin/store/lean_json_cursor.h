// A forward cursor over a request body for the fast paths' readers (get_item_reader.h,
// update_item_reader.h): JSON tokens of the few forms they accept, no allocation. Every method
// answers "not this form" (false / nullopt) rather than judging the JSON: a reader that sees
// anything else declines, and the general parser gives the error.
#pragma once

#include <optional>
#include <string_view>

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
    while (pos_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c == '\\' || c < 0x20 || c > 0x7e) return std::nullopt;
      ++pos_;
    }
    if (pos_ >= text_.size() || pos_ == start) return std::nullopt;
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
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace cdnlab::store

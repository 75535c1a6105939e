// A lean reader over a GetItem body (see get_item_reader.h): one forward pass, no allocation.
#include "origin/store/get_item_reader.h"

namespace cdnlab::store {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

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
  // A non-empty string of printable ASCII without escapes; nullopt for anything else.
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
  bool atEnd() {
    skipSpace();
    return pos_ == text_.size();
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// {"name":{"S":"value"}, ...} with one or two distinct names.
bool readKey(Cursor& in, GetItemRequestView& out) {
  if (!in.take('{')) return false;
  do {
    if (out.keyCount == 2) return false;
    auto name = in.plainString();
    if (!name || !in.take(':') || !in.take('{')) return false;
    auto type = in.plainString();
    if (!type || *type != "S" || !in.take(':')) return false;
    auto value = in.plainString();
    if (!value || !in.take('}')) return false;
    if (out.keyCount == 1 && out.key[0].name == *name) return false;
    out.key[out.keyCount++] = {*name, *value};
  } while (in.take(','));
  return in.take('}');
}

}  // namespace

std::optional<GetItemRequestView> readSimpleGetItem(std::string_view body) {
  Cursor in(body);
  GetItemRequestView out;
  bool haveTable = false, haveKey = false, haveConsistent = false, haveCapacity = false;
  if (!in.take('{')) return std::nullopt;
  do {
    auto member = in.plainString();
    if (!member || !in.take(':')) return std::nullopt;
    if (*member == "TableName" && !haveTable) {
      auto table = in.plainString();
      if (!table) return std::nullopt;
      out.table = *table;
      haveTable = true;
    } else if (*member == "Key" && !haveKey) {
      if (!readKey(in, out)) return std::nullopt;
      haveKey = true;
    } else if (*member == "ConsistentRead" && !haveConsistent) {
      if (in.takeLiteral("true")) out.consistentRead = true;
      else if (!in.takeLiteral("false")) return std::nullopt;
      haveConsistent = true;
    } else if (*member == "ReturnConsumedCapacity" && !haveCapacity) {
      auto mode = in.plainString();
      if (!mode || *mode != "NONE") return std::nullopt;
      haveCapacity = true;
    } else {
      return std::nullopt;  // another member, or one given twice
    }
  } while (in.take(','));
  if (!in.take('}') || !in.atEnd() || !haveTable || !haveKey) return std::nullopt;
  return out;
}

}  // namespace cdnlab::store

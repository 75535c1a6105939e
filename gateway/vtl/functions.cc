// $util helpers and JSONPath (see functions.h).
#include "gateway/vtl/functions.h"

#include <cctype>
#include <charconv>
#include <cstdio>


namespace cdnlab::gateway::vtl {
namespace {

// Decodes one UTF-8 sequence at s[i]; invalid bytes decode as U+FFFD, one byte at a time.
uint32_t nextCodePoint(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

void appendUnit(std::string& out, uint32_t unit) {
  static const char* kHex = "0123456789ABCDEF";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 15];
}

}  // namespace

std::string escapeJavaScript(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = nextCodePoint(s, i);
    if (cp >= 0x10000) {  // a Java string holds it as a surrogate pair
      uint32_t v = cp - 0x10000;
      appendUnit(out, 0xD800 + (v >> 10));
      appendUnit(out, 0xDC00 + (v & 0x3FF));
    } else if (cp > 0x7f) {
      appendUnit(out, cp);
    } else if (cp < 32) {
      switch (cp) {
        case '\b': out += "\\b"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\f': out += "\\f"; break;
        case '\r': out += "\\r"; break;
        default: appendUnit(out, cp);
      }
    } else {
      switch (cp) {
        case '\'': out += "\\'"; break;
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '/': out += "\\/"; break;
        default: out += static_cast<char>(cp);
      }
    }
  }
  return out;
}

std::string urlEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '.' || c == '-' || c == '*' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<std::string> urlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size() + 0 || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
        return Error{500, "$util.urlDecode: incomplete or invalid % escape at offset " + std::to_string(i)};
      unsigned byte = 0;
      std::from_chars(s.data() + i + 1, s.data() + i + 3, byte, 16);  // two hex digits, checked above
      out += static_cast<char>(byte);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Result<Value> jsonPath(const Value& root, std::string_view path) {
  size_t i = 0;
  auto bad = [&](const std::string& why) {
    return Error{500, "invalid JSONPath '" + std::string(path) + "': " + why};
  };
  while (i < path.size() && std::isspace(static_cast<unsigned char>(path[i]))) ++i;
  if (i >= path.size() || path[i] != '$') return bad("it must start with $");
  ++i;
  std::vector<Value> current{root};
  bool multi = false;
  while (i < path.size()) {
    std::vector<Value> next;
    auto member = [&](const std::string& name) {
      for (const Value& v : current)
        if (v.isMap())
          if (const Value* m = v.asMap().find(name)) next.push_back(*m);
    };
    auto all = [&] {
      multi = true;
      for (const Value& v : current) {
        if (v.isMap())
          for (const auto& [k, e] : v.asMap().entries) next.push_back(e);
        if (v.isList())
          for (const auto& e : v.asList()) next.push_back(e);
      }
    };
    if (path[i] == '.') {
      ++i;
      if (i < path.size() && path[i] == '.') return bad("deep scan (..) is not supported");
      if (i < path.size() && path[i] == '*') {
        ++i;
        all();
      } else {
        size_t s = i;
        while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
        if (s == i) return bad("empty member name");
        member(std::string(path.substr(s, i - s)));
      }
    } else if (path[i] == '[') {
      ++i;
      if (i < path.size() && (path[i] == '\'' || path[i] == '"')) {
        char q = path[i++];
        size_t s = i;
        while (i < path.size() && path[i] != q) ++i;
        if (i >= path.size()) return bad("unterminated quoted name");
        std::string name(path.substr(s, i - s));
        ++i;
        if (i >= path.size() || path[i] != ']') return bad("expected ]");
        ++i;
        member(name);
      } else if (i < path.size() && path[i] == '*') {
        ++i;
        if (i >= path.size() || path[i] != ']') return bad("expected ]");
        ++i;
        all();
      } else {
        const bool negative = i < path.size() && path[i] == '-';
        if (negative) ++i;
        const size_t digits = i;
        while (i < path.size() && std::isdigit(static_cast<unsigned char>(path[i]))) ++i;
        // At least one digit, at most nine (no overflow): "[-]" or "[]" is an error, not a throw.
        if (i >= path.size() || path[i] != ']' || i == digits || (i - digits > 9))
          return bad("expected an index or a quoted name in []");
        long idx = 0;
        for (size_t d = digits; d < i; ++d) idx = idx * 10 + (path[d] - '0');
        if (negative) idx = -idx;
        ++i;
        for (const Value& v : current) {
          if (!v.isList()) continue;
          long n = static_cast<long>(v.asList().size());
          long k = idx < 0 ? n + idx : idx;
          if (k >= 0 && k < n) next.push_back(v.asList()[k]);
        }
      }
    } else if (std::isspace(static_cast<unsigned char>(path[i]))) {
      ++i;
      continue;
    } else {
      return bad(std::string("unexpected '") + path[i] + "'");
    }
    current = std::move(next);
  }
  if (multi) {
    Value out = Value::list();
    for (auto& v : current) out.asList().push_back(std::move(v));
    return out;
  }
  if (current.empty()) return Value();
  return current.front();
}

}  // namespace cdnlab::gateway::vtl

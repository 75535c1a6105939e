// URI syntax checks for request parsing (see uri.h). RFC 3986 section 3 grammar, written out by
// hand: the inputs are short and hostile, so every byte is checked against its character class.
#include "common/http/uri.h"

#include "common/http/message.h"

namespace cdnlab::http {

namespace {

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isUnreserved(char c) { return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool isSubDelim(char c) {
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')':
    case '*': case '+': case ',': case ';': case '=':
      return true;
    default:
      return false;
  }
}

// reg-name = *( unreserved / pct-encoded / sub-delims ); an IPv4 address is a reg-name too.
bool isRegName(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return false;
      if (!isHexDigit(s[i + 1]) || !isHexDigit(s[i + 2])) return false;
      i += 2;
    } else if (!isUnreserved(c) && !isSubDelim(c)) {
      return false;
    }
  }
  return true;
}

// IP-literal = "[" ( IPv6address / IPvFuture ) "]": checked for its character set only (hex,
// ':' and '.' for an IPv6 address, "v" HEXDIG "." for IPvFuture); an unroutable address then
// fails where it is used, but nothing outside the brackets' grammar gets through.
bool isIpLiteral(std::string_view s) {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  s = s.substr(1, s.size() - 2);
  if (s[0] == 'v' || s[0] == 'V') {
    size_t dot = s.find('.');
    if (dot == std::string_view::npos || dot < 2 || dot + 1 >= s.size()) return false;
    for (size_t i = 1; i < dot; ++i)
      if (!isHexDigit(s[i])) return false;
    for (char c : s.substr(dot + 1))
      if (!isUnreserved(c) && !isSubDelim(c) && c != ':') return false;
    return true;
  }
  for (char c : s)
    if (!isHexDigit(c) && c != ':' && c != '.') return false;
  return s.find(':') != std::string_view::npos;
}

}  // namespace

bool isValidHostField(std::string_view value) {
  if (value.empty()) return true;
  std::string_view host = value, port;
  if (value.front() == '[') {
    size_t close = value.find(']');
    if (close == std::string_view::npos) return false;
    host = value.substr(0, close + 1);
    std::string_view rest = value.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
    if (!isIpLiteral(host)) return false;
  } else {
    size_t colon = value.rfind(':');
    if (colon != std::string_view::npos) {
      host = value.substr(0, colon);
      port = value.substr(colon + 1);
    }
    if (host.empty() || !isRegName(host)) return false;
  }
  for (char c : port)
    if (!isDigit(c)) return false;
  return port.size() <= 5;
}

bool looksAbsoluteForm(std::string_view target) {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by ':' (RFC 3986 3.1).
  if (target.empty() || !isAlpha(target[0])) return false;
  for (size_t i = 1; i < target.size(); ++i) {
    char c = target[i];
    if (c == ':') return true;
    if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

std::optional<AbsoluteForm> splitAbsoluteForm(std::string_view target) {
  size_t colon = target.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  AbsoluteForm f;
  f.scheme = target.substr(0, colon);
  if (!equalsIgnoreCase(f.scheme, "http") && !equalsIgnoreCase(f.scheme, "https")) return std::nullopt;
  std::string_view rest = target.substr(colon + 3);
  size_t end = rest.find_first_of("/?#");
  f.authority = rest.substr(0, end);
  f.pathAndQuery = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  // RFC 9110 4.2.4: userinfo in an http(s) URI is an error ('@' is not a reg-name character).
  if (f.authority.empty() || !isValidHostField(f.authority)) return std::nullopt;
  return f;
}

}  // namespace cdnlab::http

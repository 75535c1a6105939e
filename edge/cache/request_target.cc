// Request-target normalisation (see request_target.h): percent-encoding normalisation, then
// dot-segment removal, in the order RFC 3986 6.2.2 gives.
#include "edge/cache/request_target.h"

#include "common/http/uri.h"

namespace cdnlab::edge::cache {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
char upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool isUnreserved(unsigned char c) {  // RFC 3986 2.3
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// pchar's literal characters besides unreserved (RFC 3986 3.3): sub-delims, ':' and '@'; plus
// '/' between segments, and '?' inside a query (3.4).
bool isLiteralInComponent(unsigned char c, bool query) {
  if (isUnreserved(c)) return true;
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',':
    case ';': case '=': case ':': case '@': case '/':
      return true;
    case '?':
      return query;
    default:
      return false;
  }
}

void appendEscape(std::string& out, unsigned char c) {
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

Error invalid(std::string why) { return Error{400, "invalid request-target: " + std::move(why)}; }

// Percent-encoding normalisation of one component into `out`; an error names the first problem.
std::optional<Error> normalizeComponent(std::string_view s, bool query, std::string& out) {
  out.reserve(out.size() + s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !isHex(s[i + 1]) || !isHex(s[i + 2]))
        return invalid("'%' at offset " + std::to_string(i) + " is not followed by two hex digits");
      unsigned char d = static_cast<unsigned char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
      if (isUnreserved(d)) {
        out += char(d);
      } else {
        out += '%';
        out += upper(s[i + 1]);
        out += upper(s[i + 2]);
      }
      i += 2;
    } else if (c == '#') {
      return invalid("a fragment ('#') is never part of a request");
    } else if (c <= 0x20 || c == 0x7f) {
      return invalid("control character or space at offset " + std::to_string(i));
    } else if (isLiteralInComponent(c, query)) {
      out += char(c);
    } else {
      appendEscape(out, c);  // non-ASCII or a character RFC 3986 does not allow here
    }
  }
  return std::nullopt;
}

// RFC 3986 5.2.4 remove_dot_segments, on a path that starts with '/'.
std::string removeDotSegments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  auto popSegment = [&out] {
    size_t slash = out.rfind('/');
    out.resize(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);  // keep the '/'
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      popSegment();
    } else if (in == "/..") {
      in = "/";
      popSegment();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t next = in.find('/', 1);
      std::string_view segment = in.substr(0, next);
      out += segment;
      in.remove_prefix(segment.size());
    }
  }
  return out.empty() ? "/" : out;
}

}  // namespace

std::string NormalizedTarget::originForm() const {
  if (!query) return path;
  return path + "?" + *query;
}

Result<NormalizedTarget> normalizeTarget(std::string_view target) {
  NormalizedTarget n;
  std::string_view rest = target;
  if (http::looksAbsoluteForm(target)) {
    auto form = http::splitAbsoluteForm(target);
    if (!form) return invalid("absolute-form must be http(s)://host[:port][/path], without userinfo");
    for (char c : form->authority) n.authority += lower(c);
    rest = form->pathAndQuery;
    if (rest.empty()) rest = "/";
  }
  if (rest.empty() || rest.front() != '/') return invalid("must start with '/' (origin-form) or be http(s)://...");
  size_t q = rest.find('?');
  std::string path;
  if (auto err = normalizeComponent(rest.substr(0, q), false, path)) return *err;
  n.path = removeDotSegments(path);
  if (q != std::string_view::npos) {
    n.query.emplace();
    if (auto err = normalizeComponent(rest.substr(q + 1), true, *n.query)) return *err;
  }
  return n;
}

}  // namespace cdnlab::edge::cache

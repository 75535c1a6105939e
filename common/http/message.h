// HTTP/1.1 messages as every cdnlab server and client sees them: Headers (ordered, case-
// insensitive), Request, Response (body as a shared Buffer so a cached body is never copied),
// reason phrases and HTTP-date formatting/parsing (RFC 9110 5.6.7).
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/buffer.h"

namespace cdnlab::http {

bool equalsIgnoreCase(std::string_view a, std::string_view b);
// Trims optional whitespace (SP / HTAB) at both ends (RFC 9110 5.6.3 OWS).
std::string_view trimOws(std::string_view s);
// True when the comma-separated list `value` holds `token` (case-insensitive), e.g.
// listHasToken("keep-alive, Upgrade", "upgrade").
bool listHasToken(std::string_view value, std::string_view token);
// RFC 9110 5.6.2: tchar, and token = 1*tchar (what a field name must be).
bool isTokenChar(char c);
bool isToken(std::string_view s);

struct Header {
  std::string name;
  std::string value;
};

// Header fields in arrival order. Names compare case-insensitively; duplicates are kept (add),
// so a proxy forwards exactly what it got. Lookups are linear: messages carry ~10-30 fields,
// where a vector beats a map.
class Headers {
 public:
  using const_iterator = std::vector<Header>::const_iterator;

  // The first value of `name`, or nullopt. The view lives until the Headers change.
  std::optional<std::string_view> get(std::string_view name) const;
  // All values of `name` joined with ", " (RFC 9110 5.3), for list headers such as
  // Cache-Control or Vary. Empty string if absent.
  std::string getAll(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // Replaces every field `name` with one field (keeps the position of the first).
  void set(std::string_view name, std::string_view value);
  void add(std::string_view name, std::string_view value);
  void add(Header field) { fields_.push_back(std::move(field)); }
  // Removes every field `name`; returns how many were removed.
  size_t remove(std::string_view name);
  void clear() { fields_.clear(); }
  void reserve(size_t n) { fields_.reserve(n); }

  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }
  const Header& operator[](size_t i) const { return fields_[i]; }
  // For the parser: appends to the last field's value (a value split across reads).
  std::vector<Header>& fields() { return fields_; }

 private:
  std::vector<Header> fields_;
};

struct Request {
  std::string method;  // "GET", "HEAD", ... as sent (llhttp validates it)
  std::string target;  // request-target as sent: "/a/b?x=1" (or absolute-form)
  std::string path;    // target up to '?' (no decoding); of an absolute-form target, its path part
  std::string query;   // after '?', without it; empty when none
  int httpMinor = 1;   // HTTP/1.<minor>
  Headers headers;
  std::string body;    // decoded (chunked framing removed)
  bool keepAlive = true;  // from version + Connection header (llhttp_should_keep_alive)
  std::string peer;    // "ip:port" of the client
  bool isHead() const { return method == "HEAD"; }
  void clear();        // keeps capacity, for reuse by the parser
};

struct Response {
  int status = 200;
  std::string reason;  // empty: reasonPhrase(status)
  Headers headers;     // Content-Length, Date, Server, Connection are added by the server
  Buffer body;
  // Optional pre-serialized header lines ("Name: value\r\n" each, no status line, no final
  // CRLF), written as-is after `headers`: a cached entry serializes its stored headers once and
  // every hit sends that Buffer without formatting or copying them.
  Buffer headerBlock;
  // True: no Content-Length is known and the body is streamed (see RequestContext::stream*):
  // sent chunked to HTTP/1.1 clients, close-delimited to HTTP/1.0 clients.
  bool streamed = false;

  Response() = default;
  Response(int s, std::string_view text, std::string_view contentType = "text/plain")
      : status(s), body(Buffer::copyOf(text)) {
    if (!contentType.empty()) headers.add("Content-Type", contentType);
  }
};

// "OK", "Not Found", ...; "Unknown" for unregistered codes.
const char* reasonPhrase(int status);
// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string httpDate(time_t t);
// Writes the 29-byte IMF-fixdate into out (no NUL); returns 29.
size_t formatHttpDate(time_t t, char out[29]);
// Parses IMF-fixdate, RFC 850 and asctime forms (RFC 9110 5.6.7); nullopt if none matches.
std::optional<time_t> parseHttpDate(std::string_view s);
// Methods RFC 9110 9.2.2 calls idempotent (GET HEAD OPTIONS TRACE PUT DELETE).
bool isIdempotentMethod(std::string_view method);
// Status codes that never carry a body (1xx, 204, 304).
inline bool statusHasNoBody(int status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

}  // namespace cdnlab::http

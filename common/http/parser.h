// HTTP/1.1 parsing with llhttp behind a small class (as Envoy's http1 parser does). The parser
// fills a Request / response, enforces size limits while bytes arrive, and turns every
// malformed or hostile input into a ParseError carrying the status to answer. llhttp's lenient
// modes stay off: conflicting Content-Length / Transfer-Encoding, Transfer-Encoding not ending
// in chunked, bad chunk sizes and similar request-smuggling shapes are errors (400).
#pragma once

#include <llhttp.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/http/message.h"

namespace cdnlab::http {

struct ParserLimits {
  size_t maxHeaderBytes = 32 * 1024;      // request line + header block -> 431
  size_t maxHeaderCount = 100;            // -> 431
  size_t maxUrlBytes = 8 * 1024;          // -> 414
  uint64_t maxBodyBytes = 64 << 20;       // -> 413 (from Content-Length before reading it)
};

struct ParseError {
  int status = 400;     // what to answer: 400, 413, 414, 431 (or 502 for a bad upstream response)
  std::string reason;   // short text, sent as the response body
};

// What feed() stopped at.
enum class ParseEvent {
  NeedMore,      // every byte consumed, message not complete
  ExpectContinue,  // headers done and the client sent "Expect: 100-continue"; body not yet read
  Message,       // a complete message is ready (take it); bytes after it are not consumed
  Error,         // see error(); the connection must be closed after answering
};

struct ParseResult {
  ParseEvent event;
  size_t consumed;  // bytes of `data` used; feed the rest again after handling the event
};

// Parses requests from one connection, one after the other (pipelining): feed() stops after
// each complete message so the caller can dispatch it before parsing the next one. Reused for
// the whole connection (no allocation per request besides the fields themselves).
class RequestParser {
 public:
  explicit RequestParser(const ParserLimits& limits = {});
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  ParseResult feed(const char* data, size_t len);
  // The message being parsed; after ParseEvent::Message, the complete one.
  Request& request() { return request_; }
  // True once the current message's headers are complete (body may still be arriving).
  bool headersComplete() const { return headersComplete_; }
  // True once any byte of the current (not yet complete) message has been consumed.
  bool inMessage() const { return inMessage_; }
  const ParseError& error() const { return error_; }
  // After ParseEvent::Message: prepare for the next message on the same connection.
  void next();

 private:
  static int onMessageBegin(llhttp_t* p);
  static int onUrl(llhttp_t* p, const char* at, size_t len);
  static int onUrlComplete(llhttp_t* p);
  static int onHeaderField(llhttp_t* p, const char* at, size_t len);
  static int onHeaderValue(llhttp_t* p, const char* at, size_t len);
  static int onHeaderValueComplete(llhttp_t* p);
  static int onHeadersComplete(llhttp_t* p);
  static int onBody(llhttp_t* p, const char* at, size_t len);
  static int onMessageComplete(llhttp_t* p);
  int fail(int status, const char* reason);
  // The byte `back` positions before data[pos], looking into the previous feed if needed.
  char byteBefore(const char* data, size_t pos, size_t back) const;
  void rememberTail(const char* data, size_t n);

  llhttp_t parser_;
  ParserLimits limits_;
  Request request_;
  char tail_[2] = {0, 0};  // last two bytes of the previous feed
  bool headersJustCompleted_ = false;
  ParseError error_;
  size_t headerBytes_ = 0;
  // obs-fold detection: llhttp reports a folded value as two spans with the CRLF skipped
  // between them, so a second span of one value must start where the previous one ended.
  const char* feedStart_ = nullptr;
  const char* valueEnd_ = nullptr;
  bool valueEndedAtFeedEnd_ = false;
  bool inValue_ = false;
  bool inField_ = false;        // last header callback was a field (name) chunk
  bool headersComplete_ = false;
  bool inMessage_ = false;
  bool expectContinue_ = false;
  bool messageDone_ = false;
  bool failed_ = false;
};

// A parsed response (client side).
struct ParsedResponse {
  int status = 0;
  std::string reason;
  int httpMinor = 1;
  Headers headers;
  std::string body;
  bool keepAlive = true;
};

// Parses responses on a client connection. Handles Content-Length, chunked and
// read-until-close bodies; skips 1xx interim responses (reporting each to onInterim when set); no body for 204/304 or when the
// request was HEAD (call expectNoBody(true) before feeding that response).
class ResponseParser {
 public:
  explicit ResponseParser(const ParserLimits& limits = {});
  ResponseParser(const ResponseParser&) = delete;
  ResponseParser& operator=(const ResponseParser&) = delete;

  void expectNoBody(bool noBody) { noBody_ = noBody; }
  // Called with each interim (1xx other than 101) response's status and fields, from inside
  // feed(); the final response is parsed after it as usual. Empty: interim responses are dropped.
  void onInterim(std::function<void(int, Headers)> fn) { onInterim_ = std::move(fn); }
  ParseResult feed(const char* data, size_t len);
  // The peer closed: completes a read-until-close body (Message) or reports a truncated one
  // (Error). NeedMore if nothing of a message had arrived.
  ParseEvent finish();
  ParsedResponse& response() { return response_; }
  bool started() const { return inMessage_; }
  const ParseError& error() const { return error_; }
  void next();

 private:
  static int onMessageBegin(llhttp_t* p);
  static int onStatus(llhttp_t* p, const char* at, size_t len);
  static int onHeaderField(llhttp_t* p, const char* at, size_t len);
  static int onHeaderValue(llhttp_t* p, const char* at, size_t len);
  static int onHeadersComplete(llhttp_t* p);
  static int onBody(llhttp_t* p, const char* at, size_t len);
  static int onMessageComplete(llhttp_t* p);
  int fail(int status, const char* reason);

  llhttp_t parser_;
  ParserLimits limits_;
  ParsedResponse response_;
  ParseError error_;
  std::function<void(int, Headers)> onInterim_;
  size_t headerBytes_ = 0;
  bool inField_ = false;
  bool noBody_ = false;
  bool inMessage_ = false;
  bool messageDone_ = false;
  bool failed_ = false;
};

}  // namespace cdnlab::http

// llhttp-backed request and response parsers (see parser.h). llhttp calls back with spans of
// the input; we copy them into the message as they come (a field may be split across reads)
// and check limits as bytes arrive, so an oversized header block is refused before it is
// buffered in full.
#include "common/http/parser.h"

#include "common/http/uri.h"

#include <cstring>

namespace cdnlab::http {

namespace {

// Per-field overhead counted toward maxHeaderBytes besides name and value (": " and CRLF).
constexpr size_t kFieldOverhead = 4;

void trimTrailingOws(std::string& v) {
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
}

// Appends a header-field (name) span: a new field unless the previous span was also a name.
// Returns false when the count limit is hit.
bool appendField(Headers& headers, bool& inField, const char* at, size_t len, size_t maxCount) {
  auto& fields = headers.fields();
  if (!inField) {
    if (fields.size() >= maxCount) return false;
    fields.push_back(Header{std::string(at, len), std::string()});
    inField = true;
  } else {
    fields.back().name.append(at, len);
  }
  return true;
}

// obs-fold and bare CR/LF inside a value are refused (RFC 9112 5.2: a server MUST either reject
// obs-fold or replace it; we reject, as a proxy that forwards headers must not reinterpret them).
bool valueHasLineBreak(const char* at, size_t len) {
  return memchr(at, '\r', len) != nullptr || memchr(at, '\n', len) != nullptr;
}

// What a request's Transfer-Encoding list asks of us (RFC 9112 6.1, 6.3, 7).
enum class CodingCheck { Ok, Malformed, Unsupported };

// Chunked must be the final coding and appear once (else the framing is unreliable: 400). The
// only coding we decode is chunked; any other ("gzip, chunked") would be dropped silently when
// forwarding, so it is refused as not implemented (501).
CodingCheck checkTransferCodings(std::string_view te) {
  bool other = false, lastChunked = false;
  int chunked = 0;
  size_t start = 0;
  while (start <= te.size()) {
    size_t comma = te.find(',', start);
    std::string_view coding = te.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    coding = trimOws(trimOws(coding).substr(0, trimOws(coding).find(';')));
    if (!coding.empty()) {
      lastChunked = equalsIgnoreCase(coding, "chunked");
      if (lastChunked) ++chunked;
      else other = true;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!lastChunked || chunked != 1) return CodingCheck::Malformed;
  return other ? CodingCheck::Unsupported : CodingCheck::Ok;
}

// RFC 9112 3.2.2: an absolute-form target's authority replaces Host, and path / query come from
// its path. Returns false when the target is not a usable http(s) absolute-form.
bool applyAbsoluteForm(Request& req) {
  auto form = splitAbsoluteForm(req.target);
  if (!form) return false;
  req.headers.set("Host", form->authority);
  std::string_view pq = form->pathAndQuery;
  size_t q = pq.find('?');
  req.path = pq.substr(0, q);
  if (req.path.empty()) req.path = "/";
  req.query = q == std::string_view::npos ? std::string() : std::string(pq.substr(q + 1));
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// RequestParser

RequestParser::RequestParser(const ParserLimits& limits) : limits_(limits) {
  // llhttp keeps a pointer to the settings: one static table for every request parser.
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = &RequestParser::onMessageBegin;
    s.on_url = &RequestParser::onUrl;
    s.on_url_complete = &RequestParser::onUrlComplete;
    s.on_header_field = &RequestParser::onHeaderField;
    s.on_header_value = &RequestParser::onHeaderValue;
    s.on_header_value_complete = &RequestParser::onHeaderValueComplete;
    s.on_headers_complete = &RequestParser::onHeadersComplete;
    s.on_body = &RequestParser::onBody;
    s.on_message_complete = &RequestParser::onMessageComplete;
    return s;
  }();
  llhttp_init(&parser_, HTTP_REQUEST, &settings);
  parser_.data = this;
  request_.headers.reserve(16);
}

int RequestParser::fail(int status, const char* reason) {
  failed_ = true;
  error_.status = status;
  error_.reason = reason;
  llhttp_set_error_reason(&parser_, reason);
  return HPE_USER;
}

int RequestParser::onMessageBegin(llhttp_t* p) {
  auto* self = static_cast<RequestParser*>(p->data);
  self->inMessage_ = true;
  // The previous request was moved out with its vector: one allocation for a typical request
  // instead of a growth series.
  if (self->request_.headers.fields().capacity() == 0) self->request_.headers.reserve(16);
  return 0;
}

int RequestParser::onUrl(llhttp_t* p, const char* at, size_t len) {
  auto* self = static_cast<RequestParser*>(p->data);
  self->request_.target.append(at, len);
  self->headerBytes_ += len;
  if (self->request_.target.size() > self->limits_.maxUrlBytes) return self->fail(414, "request-target too long");
  return 0;
}

int RequestParser::onUrlComplete(llhttp_t* p) {
  auto* self = static_cast<RequestParser*>(p->data);
  // llhttp takes "GET /" + CRLF as an HTTP/0.9 request line and then waits for headers that an
  // HTTP/0.9 client never sends: refuse it now instead of at the header timeout.
  if (p->http_major == 0 && p->http_minor == 9) return self->fail(400, "HTTP/0.9 request line (no HTTP version)");
  return 0;
}

int RequestParser::onHeaderField(llhttp_t* p, const char* at, size_t len) {
  auto* self = static_cast<RequestParser*>(p->data);
  bool newField = !self->inField_;
  if (!appendField(self->request_.headers, self->inField_, at, len, self->limits_.maxHeaderCount))
    return self->fail(431, "too many header fields");
  self->headerBytes_ += len + (newField ? kFieldOverhead : 0);
  if (self->headerBytes_ > self->limits_.maxHeaderBytes) return self->fail(431, "header block too large");
  return 0;
}

int RequestParser::onHeaderValue(llhttp_t* p, const char* at, size_t len) {
  auto* self = static_cast<RequestParser*>(p->data);
  if (self->inField_) {
    // First span of this value: the name is complete. RFC 9112 5.1: no whitespace between
    // field name and colon (a server MUST reject it).
    const std::string& name = self->request_.headers.fields().back().name;
    if (name.find_first_of(" \t") != std::string::npos) return self->fail(400, "whitespace in a header name");
    self->inField_ = false;
  } else if (self->inValue_) {
    bool contiguous = at == self->valueEnd_ || (self->valueEndedAtFeedEnd_ && at == self->feedStart_);
    if (!contiguous) return self->fail(400, "obsolete line folding in a header value");
  }
  self->inValue_ = true;
  self->valueEnd_ = at + len;
  if (valueHasLineBreak(at, len)) return self->fail(400, "bare CR/LF in a header value");
  self->request_.headers.fields().back().value.append(at, len);
  self->headerBytes_ += len;
  if (self->headerBytes_ > self->limits_.maxHeaderBytes) return self->fail(431, "header block too large");
  return 0;
}

int RequestParser::onHeaderValueComplete(llhttp_t* p) {
  auto* self = static_cast<RequestParser*>(p->data);
  self->inField_ = false;
  self->inValue_ = false;
  auto& fields = self->request_.headers.fields();
  if (!fields.empty()) trimTrailingOws(fields.back().value);
  return 0;
}

int RequestParser::onHeadersComplete(llhttp_t* p) {
  auto* self = static_cast<RequestParser*>(p->data);
  Request& req = self->request_;
  self->headersComplete_ = true;
  self->inField_ = false;
  if (p->http_major != 1) return self->fail(505, "only HTTP/1.x is supported");
  if (p->method == HTTP_CONNECT) return self->fail(501, "CONNECT is not supported");
  req.method = llhttp_method_name(static_cast<llhttp_method_t>(p->method));
  req.httpMinor = p->http_minor;
  req.keepAlive = llhttp_should_keep_alive(p) != 0;
  size_t q = req.target.find('?');
  if (q == std::string::npos) {
    req.path = req.target;
  } else {
    req.path.assign(req.target, 0, q);
    req.query.assign(req.target, q + 1);
  }
  // RFC 9112 3.2: exactly one Host in HTTP/1.1. Several Hosts is a classic cache-poisoning shape.
  size_t hosts = 0;
  for (const Header& h : req.headers)
    if (equalsIgnoreCase(h.name, "host")) ++hosts;
  if (hosts > 1 || (hosts == 0 && req.httpMinor >= 1)) return self->fail(400, "exactly one Host header is required");
  if (hosts == 1 && !isValidHostField(*req.headers.get("host"))) return self->fail(400, "Host is not a valid authority");
  if (looksAbsoluteForm(req.target) && !applyAbsoluteForm(req))
    return self->fail(400, "absolute-form request-target must be http(s)://authority[/path]");
  if (req.headers.has("transfer-encoding")) {
    // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 is faulty framing.
    if (req.httpMinor == 0) return self->fail(400, "Transfer-Encoding in an HTTP/1.0 request");
    switch (checkTransferCodings(req.headers.getAll("transfer-encoding"))) {
      case CodingCheck::Ok:
        break;
      case CodingCheck::Malformed:
        return self->fail(400, "Transfer-Encoding must end in chunked, applied once");
      case CodingCheck::Unsupported:
        return self->fail(501, "unsupported transfer coding (only chunked is implemented)");
    }
  }
  bool hasBody = (p->flags & F_CHUNKED) != 0 || ((p->flags & F_CONTENT_LENGTH) != 0 && p->content_length > 0);
  if ((p->flags & F_CONTENT_LENGTH) != 0 && p->content_length > self->limits_.maxBodyBytes)
    return self->fail(413, "request body too large");
  if (auto expect = req.headers.get("expect")) {
    if (!equalsIgnoreCase(trimOws(*expect), "100-continue")) return self->fail(417, "unsupported expectation");
    // feed() stops here so the caller can send "100 Continue" before the client sends the body.
    if (hasBody) self->expectContinue_ = true;
  }
  if ((p->flags & F_CONTENT_LENGTH) != 0) req.body.reserve(static_cast<size_t>(p->content_length));
  // Always pause at the end of the header block: feed() checks how it was terminated.
  self->headersJustCompleted_ = true;
  return HPE_PAUSED;
}

int RequestParser::onBody(llhttp_t* p, const char* at, size_t len) {
  auto* self = static_cast<RequestParser*>(p->data);
  if (self->request_.body.size() + len > self->limits_.maxBodyBytes) return self->fail(413, "request body too large");
  self->request_.body.append(at, len);
  return 0;
}

int RequestParser::onMessageComplete(llhttp_t* p) {
  auto* self = static_cast<RequestParser*>(p->data);
  self->messageDone_ = true;
  // Stop after each message: the caller dispatches it before the next pipelined one is parsed.
  return HPE_PAUSED;
}

ParseResult RequestParser::feed(const char* data, size_t len) {
  if (failed_) return {ParseEvent::Error, 0};
  if (messageDone_) return {ParseEvent::Message, 0};  // caller must call next() first
  feedStart_ = data;
  size_t off = 0;
  for (;;) {
    llhttp_errno_t err = llhttp_execute(&parser_, data + off, len - off);
    if (err == HPE_OK) {
      valueEndedAtFeedEnd_ = inValue_ && valueEnd_ == data + len;
      rememberTail(data, len);
      return {ParseEvent::NeedMore, len};
    }
    size_t consumed = static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
    if (err == HPE_PAUSED && headersJustCompleted_) {
      headersJustCompleted_ = false;
      llhttp_resume(&parser_);
      // llhttp (non-strict build) also ends a header block at a bare LF; a peer that does not
      // would frame the bytes differently (RFC 9112 2.2), so the block must end in CRLF CRLF.
      if (byteBefore(data, consumed, 2) != '\r' || byteBefore(data, consumed, 1) != '\n') {
        fail(400, "header block not terminated by CRLF");
        return {ParseEvent::Error, consumed};
      }
      if (expectContinue_) {
        rememberTail(data, consumed);
        return {ParseEvent::ExpectContinue, consumed};
      }
      off = consumed;
      continue;
    }
    rememberTail(data, consumed);
    if (err == HPE_PAUSED && messageDone_) {
      llhttp_resume(&parser_);
      return {ParseEvent::Message, consumed};
    }
    if (err == HPE_PAUSED_UPGRADE && messageDone_) {
      // We do not switch protocols: the request is answered as a plain HTTP request.
      llhttp_resume_after_upgrade(&parser_);
      return {ParseEvent::Message, consumed};
    }
    if (!failed_) {
      failed_ = true;
      error_.status = 400;
      const char* reason = llhttp_get_error_reason(&parser_);
      error_.reason = reason ? reason : llhttp_errno_name(err);
    }
    return {ParseEvent::Error, consumed};
  }
}

char RequestParser::byteBefore(const char* data, size_t pos, size_t back) const {
  if (pos >= back) return data[pos - back];
  return tail_[2 - (back - pos)];  // from the end of the previous feed
}

void RequestParser::rememberTail(const char* data, size_t n) {
  if (n >= 2) {
    tail_[0] = data[n - 2];
    tail_[1] = data[n - 1];
  } else if (n == 1) {
    tail_[0] = tail_[1];
    tail_[1] = data[0];
  }
}

void RequestParser::next() {
  request_.clear();
  headerBytes_ = 0;
  inField_ = false;
  inValue_ = false;
  valueEndedAtFeedEnd_ = false;
  headersComplete_ = false;
  inMessage_ = false;
  expectContinue_ = false;
  messageDone_ = false;
}

// ---------------------------------------------------------------------------------------------
// ResponseParser

ResponseParser::ResponseParser(const ParserLimits& limits) : limits_(limits) {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = &ResponseParser::onMessageBegin;
    s.on_status = &ResponseParser::onStatus;
    s.on_header_field = &ResponseParser::onHeaderField;
    s.on_header_value = &ResponseParser::onHeaderValue;
    s.on_headers_complete = &ResponseParser::onHeadersComplete;
    s.on_body = &ResponseParser::onBody;
    s.on_message_complete = &ResponseParser::onMessageComplete;
    return s;
  }();
  llhttp_init(&parser_, HTTP_RESPONSE, &settings);
  parser_.data = this;
}

int ResponseParser::fail(int status, const char* reason) {
  failed_ = true;
  error_.status = status;
  error_.reason = reason;
  llhttp_set_error_reason(&parser_, reason);
  return HPE_USER;
}

int ResponseParser::onMessageBegin(llhttp_t* p) {
  auto* self = static_cast<ResponseParser*>(p->data);
  self->inMessage_ = true;
  return 0;
}

int ResponseParser::onStatus(llhttp_t* p, const char* at, size_t len) {
  auto* self = static_cast<ResponseParser*>(p->data);
  self->response_.reason.append(at, len);
  self->headerBytes_ += len;
  if (self->headerBytes_ > self->limits_.maxHeaderBytes) return self->fail(502, "upstream header block too large");
  return 0;
}

int ResponseParser::onHeaderField(llhttp_t* p, const char* at, size_t len) {
  auto* self = static_cast<ResponseParser*>(p->data);
  bool newField = !self->inField_;
  if (!appendField(self->response_.headers, self->inField_, at, len, self->limits_.maxHeaderCount))
    return self->fail(502, "upstream sent too many header fields");
  self->headerBytes_ += len + (newField ? kFieldOverhead : 0);
  if (self->headerBytes_ > self->limits_.maxHeaderBytes) return self->fail(502, "upstream header block too large");
  return 0;
}

int ResponseParser::onHeaderValue(llhttp_t* p, const char* at, size_t len) {
  auto* self = static_cast<ResponseParser*>(p->data);
  self->inField_ = false;
  if (valueHasLineBreak(at, len)) return self->fail(502, "upstream header value with line folding");
  self->response_.headers.fields().back().value.append(at, len);
  self->headerBytes_ += len;
  if (self->headerBytes_ > self->limits_.maxHeaderBytes) return self->fail(502, "upstream header block too large");
  return 0;
}

int ResponseParser::onHeadersComplete(llhttp_t* p) {
  auto* self = static_cast<ResponseParser*>(p->data);
  ParsedResponse& r = self->response_;
  self->inField_ = false;
  for (Header& h : r.headers.fields()) trimTrailingOws(h.value);
  r.status = p->status_code;
  r.httpMinor = p->http_minor;
  if ((p->flags & F_CONTENT_LENGTH) != 0 && p->content_length > self->limits_.maxBodyBytes)
    return self->fail(502, "upstream body too large");
  // A response to HEAD, a 204 and a 304 have no body whatever their headers say (RFC 9110
  // 6.4.1); returning 1 tells llhttp so.
  if ((self->noBody_ && r.status >= 200) || r.status == 204 || r.status == 304) return 1;
  if ((p->flags & F_CONTENT_LENGTH) != 0) r.body.reserve(static_cast<size_t>(p->content_length));
  return 0;
}

int ResponseParser::onBody(llhttp_t* p, const char* at, size_t len) {
  auto* self = static_cast<ResponseParser*>(p->data);
  if (self->response_.body.size() + len > self->limits_.maxBodyBytes) return self->fail(502, "upstream body too large");
  self->response_.body.append(at, len);
  return 0;
}

int ResponseParser::onMessageComplete(llhttp_t* p) {
  auto* self = static_cast<ResponseParser*>(p->data);
  int status = p->status_code;
  if (status >= 100 && status < 200 && status != 101) {
    // Interim response (100 Continue, 103 Early Hints): report it, then keep parsing.
    if (self->onInterim_) self->onInterim_(status, std::move(self->response_.headers));
    self->response_ = ParsedResponse{};
    self->headerBytes_ = 0;
    self->inMessage_ = false;
    return 0;
  }
  self->response_.keepAlive = llhttp_should_keep_alive(p) != 0;
  self->messageDone_ = true;
  return HPE_PAUSED;
}

ParseResult ResponseParser::feed(const char* data, size_t len) {
  if (failed_) return {ParseEvent::Error, 0};
  if (messageDone_) return {ParseEvent::Message, 0};
  llhttp_errno_t err = llhttp_execute(&parser_, data, len);
  if (err == HPE_OK) return {ParseEvent::NeedMore, len};
  size_t consumed = static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
  if ((err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) && messageDone_) {
    if (err == HPE_PAUSED) llhttp_resume(&parser_);
    else llhttp_resume_after_upgrade(&parser_);
    return {ParseEvent::Message, consumed};
  }
  if (!failed_) {
    failed_ = true;
    error_.status = 502;
    const char* reason = llhttp_get_error_reason(&parser_);
    error_.reason = reason ? reason : llhttp_errno_name(err);
  }
  return {ParseEvent::Error, consumed};
}

ParseEvent ResponseParser::finish() {
  if (failed_) return ParseEvent::Error;
  if (messageDone_) return ParseEvent::Message;
  if (!inMessage_) return ParseEvent::NeedMore;
  llhttp_errno_t err = llhttp_finish(&parser_);
  if (messageDone_) {
    if (err == HPE_PAUSED) llhttp_resume(&parser_);
    return ParseEvent::Message;
  }
  failed_ = true;
  error_.status = 502;
  error_.reason = "upstream closed the connection before the response was complete";
  return ParseEvent::Error;
}

void ResponseParser::next() {
  response_ = ParsedResponse{};
  headerBytes_ = 0;
  inField_ = false;
  noBody_ = false;
  inMessage_ = false;
  messageDone_ = false;
}

}  // namespace cdnlab::http

#include "bench/loadgen/response_reader.h"

#include <strings.h>

#include <cstring>

namespace cdnlab::loadgen {

namespace {
ResponseReader* self(llhttp_t* p) { return static_cast<ResponseReader*>(p->data); }
}  // namespace

ResponseReader::ResponseReader() {
  llhttp_settings_init(&settings_);
  settings_.on_message_begin = onMessageBegin;
  settings_.on_header_field = onHeaderField;
  settings_.on_header_value = onHeaderValue;
  settings_.on_headers_complete = onHeadersComplete;
  settings_.on_body = onBody;
  settings_.on_message_complete = onMessageComplete;
  llhttp_init(&parser_, HTTP_RESPONSE, &settings_);
  parser_.data = this;
}

void ResponseReader::reset() {
  nameLen_ = 0;
  nameTooLong_ = false;
  inValue_ = false;
  field_ = Field::Other;
  xCacheLen_ = servedByLen_ = 0;
  status_ = 0;
  bodyBytes_ = 0;
  keepAlive_ = true;
  started_ = false;
  complete_ = false;
  if (llhttp_get_errno(&parser_) == HPE_PAUSED) llhttp_resume(&parser_);
}

ResponseReader::Step ResponseReader::feed(const char* data, size_t len) {
  llhttp_errno_t err = llhttp_execute(&parser_, data, len);
  if (err == HPE_OK) return {Event::NeedMore, len};
  if (err == HPE_PAUSED && complete_) {
    // Paused in on_message_complete: the position says how much belonged to this message.
    size_t used = static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
    return {Event::Complete, used};
  }
  return {Event::Error, len};
}

void ResponseReader::append(char* buf, size_t& len, const char* at, size_t n) {
  size_t room = kMaxValue - len;
  if (n > room) n = room;
  std::memcpy(buf + len, at, n);
  len += n;
}

int ResponseReader::onMessageBegin(llhttp_t* p) {
  self(p)->started_ = true;
  return 0;
}

int ResponseReader::onHeaderField(llhttp_t* p, const char* at, size_t len) {
  ResponseReader* r = self(p);
  if (r->inValue_) {  // a new header starts
    r->inValue_ = false;
    r->nameLen_ = 0;
    r->nameTooLong_ = false;
  }
  if (r->nameLen_ + len > sizeof r->name_) {
    r->nameTooLong_ = true;
    return 0;
  }
  std::memcpy(r->name_ + r->nameLen_, at, len);
  r->nameLen_ += len;
  return 0;
}

int ResponseReader::onHeaderValue(llhttp_t* p, const char* at, size_t len) {
  ResponseReader* r = self(p);
  if (!r->inValue_) {  // the name is complete: is it one of ours?
    r->inValue_ = true;
    r->field_ = Field::Other;
    if (!r->nameTooLong_) {
      std::string_view n(r->name_, r->nameLen_);
      if (n.size() == 7 && strncasecmp(n.data(), "X-Cache", 7) == 0) {
        r->field_ = Field::XCache;
        r->xCacheLen_ = 0;  // the last occurrence wins
      } else if (n.size() == 11 && strncasecmp(n.data(), "X-Served-By", 11) == 0) {
        r->field_ = Field::ServedBy;
        r->servedByLen_ = 0;
      }
    }
  }
  if (r->field_ == Field::XCache) append(r->xCache_, r->xCacheLen_, at, len);
  if (r->field_ == Field::ServedBy) append(r->servedBy_, r->servedByLen_, at, len);
  return 0;
}

int ResponseReader::onHeadersComplete(llhttp_t* p) {
  ResponseReader* r = self(p);
  r->status_ = p->status_code;
  r->keepAlive_ = llhttp_should_keep_alive(p) != 0;
  return 0;
}

int ResponseReader::onBody(llhttp_t* p, const char*, size_t len) {
  self(p)->bodyBytes_ += len;
  return 0;
}

int ResponseReader::onMessageComplete(llhttp_t* p) {
  ResponseReader* r = self(p);
  r->complete_ = true;
  r->keepAlive_ = llhttp_should_keep_alive(p) != 0;
  return HPE_PAUSED;  // stop here: one response per request, the caller resets
}

}  // namespace cdnlab::loadgen

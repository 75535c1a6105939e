// The load generator's response parser: llhttp in response mode, keeping only what a load run
// needs (status, the X-Cache and X-Served-By values, body length, keep-alive) in fixed buffers.
// No allocation per response and no body copy, unlike http::ResponseParser which materialises
// headers and body for proxies: this is the hot path of `cdnlab load`. Pure (no libuv).
#pragma once

#include <llhttp.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cdnlab::loadgen {

class ResponseReader {
 public:
  enum class Event { NeedMore, Complete, Error };
  struct Step {
    Event event;
    size_t consumed;  // bytes used; after Complete, feed the rest again (after reset())
  };

  ResponseReader();
  ResponseReader(const ResponseReader&) = delete;
  ResponseReader& operator=(const ResponseReader&) = delete;

  Step feed(const char* data, size_t len);
  // Prepares for the next response on the same connection.
  void reset();

  int status() const { return status_; }
  uint64_t bodyBytes() const { return bodyBytes_; }
  bool keepAlive() const { return keepAlive_; }
  bool started() const { return started_; }
  // Header values, truncated to kMaxValue bytes (enough for a few chained PoP ids).
  std::string_view xCache() const { return {xCache_, xCacheLen_}; }
  std::string_view servedBy() const { return {servedBy_, servedByLen_}; }

  static constexpr size_t kMaxValue = 96;

 private:
  enum class Field { Other, XCache, ServedBy };
  static int onMessageBegin(llhttp_t* p);
  static int onHeaderField(llhttp_t* p, const char* at, size_t len);
  static int onHeaderValue(llhttp_t* p, const char* at, size_t len);
  static int onHeadersComplete(llhttp_t* p);
  static int onBody(llhttp_t* p, const char* at, size_t len);
  static int onMessageComplete(llhttp_t* p);
  static void append(char* buf, size_t& len, const char* at, size_t n);

  llhttp_t parser_;
  llhttp_settings_t settings_;
  // The header name being read (it may arrive in pieces); names longer than this are not ours.
  char name_[16];
  size_t nameLen_ = 0;
  bool nameTooLong_ = false;
  bool inValue_ = false;
  Field field_ = Field::Other;
  char xCache_[kMaxValue];
  size_t xCacheLen_ = 0;
  char servedBy_[kMaxValue];
  size_t servedByLen_ = 0;
  int status_ = 0;
  uint64_t bodyBytes_ = 0;
  bool keepAlive_ = true;
  bool started_ = false;
  bool complete_ = false;
};

}  // namespace cdnlab::loadgen

// What the built-in edge functions share: parse the Lambda@Edge event, reach its request /
// response, read and set headers in CloudFront's {"lowercase":[{"key","value"}]} shape, and
// answer through the native ABI. A built-in edits the event's own request or response object
// in place and returns it, as the Node.js examples in AWS's documentation do.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string_view>

#include "lambda/native/cdnlab_native.h"

namespace cdnlab::lambda::edge::functions {

class EdgeEventDoc {
 public:
  EdgeEventDoc() = default;
  EdgeEventDoc(const EdgeEventDoc&) = delete;
  EdgeEventDoc& operator=(const EdgeEventDoc&) = delete;
  // False (and ctx's error set, "InvalidEvent") when the bytes are not a Lambda@Edge event.
  bool parse(const cdnlab_native_context* ctx, const char* event, size_t len);
  rapidjson::Value& request() { return *request_; }
  rapidjson::Value* response() { return response_; }  // null at the request triggers
  std::string_view eventType() const { return eventType_; }
  rapidjson::MemoryPoolAllocator<>& alloc() { return doc_.GetAllocator(); }

  // The first value of header `lower` (a lowercase name) in msg.headers.
  static std::optional<std::string_view> header(const rapidjson::Value& msg, std::string_view lower);
  // Replaces header `key` (any case; stored under its lowercase name) with one value.
  void setHeader(rapidjson::Value& msg, std::string_view key, std::string_view value);
  void setString(rapidjson::Value& obj, const char* member, std::string_view value);

  // Writes `v` as the function's response. Returns CDNLAB_NATIVE_OK or (over the limit) an error.
  static int answer(const cdnlab_native_context* ctx, const rapidjson::Value& v);

 private:
  // The DOM lives in buffers inside this object (on the handler's stack): RapidJSON's default
  // would allocate and free a 64 KiB chunk per event. Larger events spill to the heap.
  char valueBuffer_[8192];
  char stackBuffer_[1024];
  rapidjson::MemoryPoolAllocator<> valueAlloc_{valueBuffer_, sizeof valueBuffer_};
  rapidjson::MemoryPoolAllocator<> stackAlloc_{stackBuffer_, sizeof stackBuffer_};
  rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>, rapidjson::MemoryPoolAllocator<>> doc_{
      &valueAlloc_, sizeof stackBuffer_, &stackAlloc_};
  rapidjson::Value* request_ = nullptr;
  rapidjson::Value* response_ = nullptr;
  std::string_view eventType_;
};

int fail(const cdnlab_native_context* ctx, const char* type, const char* message);

// A generated response {status, statusDescription, headers:{...}, body} built in `doc`.
rapidjson::Value generatedResponse(EdgeEventDoc& doc, int status, std::string_view description, std::string_view body,
                                   std::string_view contentType);

}  // namespace cdnlab::lambda::edge::functions

// Buffer: an immutable, reference-counted byte string. A cached response body is made once and
// then shared by every connection (and worker thread) that sends it: copying a Buffer copies a
// pointer, never the bytes. The server hands Buffers to uv_write as iovecs and keeps a copy alive
// until the write callback, so a cache hit copies no body bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cdnlab {

class Buffer {
 public:
  Buffer() = default;
  // Takes ownership of `bytes` (moved, not copied).
  explicit Buffer(std::string bytes)
      : bytes_(std::make_shared<const std::string>(std::move(bytes))), offset_(0), size_(bytes_->size()) {}
  static Buffer copyOf(std::string_view bytes) { return Buffer(std::string(bytes)); }

  const char* data() const { return bytes_ ? bytes_->data() + offset_ : ""; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data(), size_}; }

  // A window onto the same bytes (no copy), e.g. for a Range response. Clamped to the buffer.
  Buffer slice(size_t offset, size_t length) const {
    Buffer b = *this;
    if (offset > size_) offset = size_;
    if (length > size_ - offset) length = size_ - offset;
    b.offset_ = offset_ + offset;
    b.size_ = length;
    return b;
  }
  // How many Buffers share these bytes (tests use it to prove that no copy was made).
  long useCount() const { return bytes_.use_count(); }
  // True when both share the same underlying allocation.
  bool sharesWith(const Buffer& other) const { return bytes_ && bytes_ == other.bytes_; }

 private:
  std::shared_ptr<const std::string> bytes_;
  size_t offset_ = 0;
  size_t size_ = 0;
};

}  // namespace cdnlab

// A blocking test client on a raw socket: sends exact bytes (malformed, pipelined, trickled)
// and reads responses back with ResponseParser. For tests only; every read has a deadline.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/http/parser.h"

namespace cdnlab::http::testing {

class RawClient {
 public:
  explicit RawClient(int port, const char* host = "127.0.0.1") {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host, &a.sin_addr);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
    int one = 1;
    if (fd_ >= 0) setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawClient() { closeNow(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  void closeNow() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void shutdownWrite() { ::shutdown(fd_, SHUT_WR); }
  void setReceiveBuffer(int bytes) { setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes); }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads raw bytes until `needle` appears in what was read (kept for later reads) or deadline.
  bool readUntil(std::string_view needle, int timeoutMs = 5000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (buffered_.find(needle) == std::string::npos) {
      if (!readSome(deadline)) return false;
    }
    return true;
  }
  // Drops the first n buffered bytes (after readUntil).
  void consume(size_t n) { buffered_.erase(0, n); }
  const std::string& buffered() const { return buffered_; }

  // One response, or nullopt on timeout / close before a complete response / malformed bytes.
  std::optional<ParsedResponse> readResponse(int timeoutMs = 5000, bool head = false) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    parser_.expectNoBody(head);
    for (;;) {
      if (!buffered_.empty()) {
        ParseResult r = parser_.feed(buffered_.data(), buffered_.size());
        buffered_.erase(0, r.consumed);
        if (r.event == ParseEvent::Message) return take();
        if (r.event == ParseEvent::Error) return std::nullopt;
      }
      if (!readSome(deadline)) {
        if (closed_ && parser_.finish() == ParseEvent::Message) return take();
        return std::nullopt;
      }
    }
  }

  // True when the server closes the connection (EOF or reset) before the deadline; bytes that
  // arrive meanwhile are kept.
  bool waitClosed(int timeoutMs = 5000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!closed_) {
      if (!readSome(deadline) && !closed_) return false;
    }
    return true;
  }

  // Reads what is there (waiting up to the deadline) into buffered(); false on timeout or close.
  bool readSome(std::chrono::steady_clock::time_point deadline) {
    if (closed_ || fd_ < 0) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffered_.append(buf, static_cast<size_t>(n));
    return true;
  }

 private:
  ParsedResponse take() {
    ParsedResponse r = std::move(parser_.response());
    parser_.next();
    return r;
  }

  int fd_ = -1;
  bool closed_ = false;
  std::string buffered_;
  ResponseParser parser_{ParserLimits{1 << 20, 1000, 1 << 20, uint64_t{1} << 32}};
};

}  // namespace cdnlab::http::testing

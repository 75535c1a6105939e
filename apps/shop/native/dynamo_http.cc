// A minimal blocking DynamoDB JSON client for the shop's native functions (see dynamo_http.h).
#include "apps/shop/native/dynamo_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace cdnlab::shop {
namespace {

using Clock = std::chrono::steady_clock;

struct Endpoint {
  std::string host;
  int port = 0;
};

bool parseEndpoint(const char* url, Endpoint& out) {
  if (!url) return false;
  std::string s(url);
  if (s.rfind("http://", 0) != 0) return false;
  s = s.substr(7);
  auto slash = s.find('/');
  if (slash != std::string::npos) s = s.substr(0, slash);
  auto colon = s.rfind(':');
  out.host = colon == std::string::npos ? s : s.substr(0, colon);
  out.port = colon == std::string::npos ? 80 : std::atoi(s.c_str() + colon + 1);
  return out.port > 0 && out.port < 65536 && !out.host.empty();
}

long msLeft(Clock::time_point until) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
}

bool waitFor(int fd, short events, Clock::time_point until) {
  pollfd p{fd, events, 0};
  while (true) {
    long left = msLeft(until);
    if (left <= 0) return false;
    int n = ::poll(&p, 1, static_cast<int>(left));
    if (n > 0) return true;
    if (n == 0 || errno != EINTR) return false;
  }
}

// The body of a complete HTTP/1.1 response in `raw` (Content-Length or read to close).
bool parseResponse(const std::string& raw, DynamoReply& r) {
  auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.compare(0, 9, "HTTP/1.1 ") != 0) return false;
  r.status = std::atoi(raw.c_str() + 9);
  r.body = raw.substr(end + 4);
  return r.status >= 100;
}

}  // namespace

DynamoReply dynamoCall(const std::string& op, const std::string& body, long timeoutMs) {
  DynamoReply r;
  Endpoint ep;
  const char* url = std::getenv("AWS_ENDPOINT_URL_DYNAMODB");
  if (!parseEndpoint(url, ep)) {
    r.error = "AWS_ENDPOINT_URL_DYNAMODB is not an http://host:port URL";
    return r;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(ep.port));
  if (::inet_pton(AF_INET, ep.host == "localhost" ? "127.0.0.1" : ep.host.c_str(), &addr.sin_addr) != 1) {
    r.error = "the store endpoint's host must be an IPv4 address";
    return r;
  }
  const auto until = Clock::now() + std::chrono::milliseconds(timeoutMs > 0 ? timeoutMs : 1);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    r.error = std::string("socket: ") + std::strerror(errno);
    return r;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 && errno != EINPROGRESS) {
    r.error = std::string("connect: ") + std::strerror(errno);
    return r;
  }
  if (!waitFor(fd, POLLOUT, until)) {
    r.error = "connect: timed out";
    return r;
  }
  int soErr = 0;
  socklen_t len = sizeof soErr;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soErr, &len);
  if (soErr != 0) {
    r.error = std::string("connect: ") + std::strerror(soErr);
    return r;
  }
  const std::string req = "POST / HTTP/1.1\r\nHost: " + ep.host + ":" + std::to_string(ep.port) +
                          "\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810." + op +
                          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!waitFor(fd, POLLOUT, until)) {
        r.error = "send: timed out";
        return r;
      }
    } else {
      r.error = std::string("send: ") + std::strerror(errno);
      return r;
    }
  }
  // Read until the server closes (Connection: close), bounded in size and time.
  std::string raw;
  char buf[16384];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      raw.append(buf, static_cast<size_t>(n));
      if (raw.size() > (32u << 20)) {
        r.error = "answer over 32 MiB";
        return r;
      }
      // Done once Content-Length bytes of body are in (servers may keep the socket open briefly).
      auto end = raw.find("\r\n\r\n");
      if (end != std::string::npos) {
        const char* cl = ::strcasestr(raw.c_str(), "\r\ncontent-length:");
        if (cl && cl < raw.c_str() + end &&
            raw.size() - (end + 4) >= static_cast<size_t>(std::strtoul(cl + 17, nullptr, 10)))
          break;
      }
    } else if (n == 0) {
      break;
    } else if (errno == EAGAIN || errno == EINTR) {
      if (!waitFor(fd, POLLIN, until)) {
        r.error = "no answer from the store in time";
        return r;
      }
    } else {
      r.error = std::string("recv: ") + std::strerror(errno);
      return r;
    }
  }
  if (!parseResponse(raw, r)) {
    r.status = 0;
    r.error = "malformed answer from the store";
    return r;
  }
  if (r.status >= 400) {
    rapidjson::Document d;
    d.Parse(r.body.c_str(), r.body.size());
    if (!d.HasParseError() && d.IsObject() && d.HasMember("__type") && d["__type"].IsString()) {
      std::string t = d["__type"].GetString();
      auto hash = t.rfind('#');
      r.errorType = hash == std::string::npos ? t : t.substr(hash + 1);
    }
  }
  return r;
}

}  // namespace cdnlab::shop

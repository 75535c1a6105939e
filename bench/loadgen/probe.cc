// Pre-flight TCP probe of `cdnlab load` (see probe.h).
#include "bench/loadgen/probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace cdnlab::loadgen {

Result<bool> probeTcp(const Endpoint& e, int timeoutMs) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(e.port));
  if (inet_pton(AF_INET, e.host.c_str(), &a.sin_addr) != 1) return Error{1, "not a numeric IPv4 address"};
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{1, std::string("socket: ") + std::strerror(errno)};
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
  int err = rc == 0 ? 0 : errno;
  if (err == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    int n;
    do n = ::poll(&p, 1, timeoutMs);
    while (n < 0 && errno == EINTR);
    if (n == 0) {
      ::close(fd);
      return Error{1, "no answer within " + std::to_string(timeoutMs) + " ms"};
    }
    socklen_t len = sizeof err;
    if (n < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  }
  ::close(fd);
  if (err != 0) return Error{1, std::strerror(err)};
  return true;
}

}  // namespace cdnlab::loadgen
